import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import {
  ADAPTIVE_CARD_VERSION,
  MAX_ACTION_TITLE,
  MAX_ACTION_URL,
  MAX_ACTIONS_PER_SET,
  MAX_MESSAGE_BYTES,
  MESSAGE_BUDGET_BYTES,
  messageBytes,
  renderTeams,
  type AdaptiveCard,
  type CardElement,
  type TeamsMessage,
} from '../../../lib/render/teams.ts';
import { adaptiveCardProblems, cardTexts, unescapedMarkdown } from '../../support/adaptive-card.ts';
import { FOLLOW_UP_TASK_IDS, followUpAlert, hostileAlert, HOSTILE_REASON, resolvedAlert, sampleAlert } from '../../support/alerts.ts';

const TASK_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2';
const SERVICE_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2';
const LOGS_URL =
  'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0';
const DOCS_URL = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html';

function cardOf(message: TeamsMessage): AdaptiveCard {
  return message.attachments[0].content;
}

function band(card: AdaptiveCard): Extract<CardElement, { type: 'Container' }> {
  const first = card.body[0];
  if (first?.type !== 'Container') throw new Error('the card does not start with its band');
  return first;
}

function blocks<T extends CardElement['type']>(elements: readonly CardElement[], type: T): Extract<CardElement, { type: T }>[] {
  return elements.flatMap((element): Extract<CardElement, { type: T }>[] => {
    const inner = element.type === 'Container' ? blocks(element.items, type) : [];
    return element.type === type ? [element as Extract<CardElement, { type: T }>, ...inner] : inner;
  });
}

function facts(card: AdaptiveCard): Record<string, string> {
  return Object.fromEntries(blocks(card.body, 'FactSet').flatMap((set) => set.facts.map((row) => [row.title, row.value])));
}

function actions(card: AdaptiveCard) {
  return blocks(card.body, 'ActionSet').flatMap((set) => set.actions);
}

/** Every problem of the card and of the texts people read. */
function problems(message: TeamsMessage): string[] {
  const card = cardOf(message);
  const markdown = cardTexts(card)
    .filter((shown) => shown.where !== 'Action.title')
    .flatMap((shown) => unescapedMarkdown(shown.text).map((found) => `${shown.where} ${JSON.stringify(shown.text.slice(0, 80))}: ${found}`));
  return [...adaptiveCardProblems(card), ...markdown];
}

describe('renderTeams', () => {
  it('renders the sample OOM alert as this message', () => {
    expect(renderTeams(sampleAlert())).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.4',
            msteams: { width: 'Full' },
            body: [
              {
                type: 'Container',
                style: 'warning',
                bleed: true,
                items: [
                  { type: 'TextBlock', text: '⚠️ OOM: service orders-api (prod) – container orders-api killed for using too much memory', wrap: true, size: 'Large', weight: 'Bolder' },
                  { type: 'TextBlock', text: 'WARNING · new alert', wrap: true, size: 'Small', weight: 'Bolder', color: 'Warning', spacing: 'None' },
                ],
              },
              {
                type: 'TextBlock',
                text: 'Task 77ea7336 of service orders-api stopped: container orders-api used more memory than its limit and was killed (exit 137).',
                wrap: true,
              },
              {
                type: 'TextBlock',
                text: '**Why:** The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError) (container "orders-api").',
                wrap: true,
              },
              { type: 'TextBlock', text: '**What to do:** Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.', wrap: true },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Account', value: '111122223333' },
                  { title: 'Region', value: 'us-west-2' },
                  { title: 'Cluster', value: 'prod' },
                  { title: 'Service', value: 'orders-api' },
                  { title: 'Task', value: '77ea7336e48e3a4e63c55244182d37c0' },
                  { title: 'Task definition', value: 'orders-api:212' },
                  { title: 'Deployment', value: 'ecs-svc/9571171551795520066' },
                  { title: 'Stop code', value: 'EssentialContainerExited' },
                  { title: 'Time', value: '2025-03-14 09:26:51 UTC' },
                ],
              },
              { type: 'TextBlock', text: '**Reason:** Essential container in task exited', wrap: true },
              {
                type: 'Container',
                items: [
                  { type: 'TextBlock', text: '**Containers:**', wrap: true },
                  {
                    type: 'TextBlock',
                    text: '• orders-api (essential): exit 137 — Killed for using more memory than its limit (OutOfMemoryError); reason: OutOfMemoryError: Container killed due to memory usage',
                    wrap: true,
                    spacing: 'None',
                  },
                  { type: 'TextBlock', text: "• envoy (non-essential): exit 143 — Shut down cleanly on ECS's stop signal (SIGTERM)", wrap: true, spacing: 'None' },
                ],
              },
              {
                type: 'TextBlock',
                text: '2025-03-14 09:26:51 UTC · new alert · key 111122223333|us-west-2|prod|service:orders-api|oom',
                wrap: true,
                size: 'Small',
                isSubtle: true,
                spacing: 'Medium',
              },
              {
                type: 'ActionSet',
                actions: [
                  { type: 'Action.OpenUrl', title: 'Open task', url: TASK_URL },
                  { type: 'Action.OpenUrl', title: 'Open service', url: SERVICE_URL },
                  { type: 'Action.OpenUrl', title: 'Logs (orders-api)', url: LOGS_URL },
                  { type: 'Action.OpenUrl', title: 'AWS docs', url: DOCS_URL },
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it('colours the band and the status line by severity, and green for a resolved notice', () => {
    const tone = (alert: Alert) => {
      const head = band(cardOf(renderTeams(alert)));
      const status = head.items[1];
      return [head.style, status?.type === 'TextBlock' ? status.color : undefined];
    };
    expect(tone(sampleAlert({ severity: 'critical' }))).toEqual(['attention', 'Attention']);
    expect(tone(sampleAlert({ severity: 'warning' }))).toEqual(['warning', 'Warning']);
    expect(tone(sampleAlert({ severity: 'info' }))).toEqual(['accent', 'Accent']);
    expect(tone(resolvedAlert({ severity: 'critical' }))).toEqual(['good', 'Good']);
  });

  it('says a notice is resolved once, shows when it fired, and leaves out what to do', () => {
    const card = cardOf(renderTeams(resolvedAlert()));
    const texts = cardTexts(card).map((shown) => shown.text);

    expect(band(card).items[0]).toMatchObject({ text: '✅ Resolved: OOM – service orders-api (prod)' });
    expect(band(card).items[1]).toMatchObject({ text: 'RESOLVED · resolved' });
    expect(texts.some((text) => text.startsWith('**What to do:**'))).toBe(false);
    expect(facts(card)).toMatchObject({ 'Resolved at': '2025-03-14 10:01:40 UTC', 'First fired': '2025-03-14 09:26:51 UTC (8 events in all)' });
  });

  it('shows the grouping of a follow-up: how many events over which window, and the tasks', () => {
    const card = cardOf(renderTeams(followUpAlert({ firing: { since: '2025-03-14T09:26:51Z', events: 8 } })));

    expect(facts(card)).toMatchObject({
      Events: '7 from 2025-03-14 09:26:51 to 09:31:40 UTC (grouped over 5 minutes)',
      Tasks: FOLLOW_UP_TASK_IDS.join(', '),
      'Firing since': '2025-03-14 09:26:51 UTC (8 events so far)',
    });
    expect(facts(card)).not.toHaveProperty('Task');
    expect(band(card).items[1]).toMatchObject({ text: 'WARNING · follow-up' });
    expect(cardTexts(card).at(-1 - actions(card).length)?.text).toContain('· follow-up · key 111122223333|us-west-2|prod|service:orders-api|oom');
  });

  it('escapes untrusted text for Teams markdown, so no link, emphasis or tag can form', () => {
    const alert = hostileAlert();
    alert.summary = '- [click here](https://evil.example) **now** _or_ <at>Everyone</at> # ~~gone~~ `code`';
    alert.facts.service = '1. orders_api';
    const card = cardOf(renderTeams(alert));
    const texts = cardTexts(card).map((shown) => shown.text);

    expect(texts).toContain('\\- \\[click here\\](https://evil.example) \\*\\*now\\*\\* \\_or\\_ \\<at\\>Everyone\\</at\\> # \\~\\~gone\\~\\~ \\`code\\`');
    expect(facts(card).Service).toBe('1\\. orders\\_api');
    expect(texts).toContain(`**Reason:** \\<!channel\\> @here click \\<https://evil.example|here\\> & \\\\u001b\\[2J\\\\u202egnp.exe\\\\u202c next line`);
    expect(problems(renderTeams(alert))).toEqual([]);
    expect(HOSTILE_REASON).toContain('\n');
    expect(JSON.stringify(card)).not.toContain('\\n');
  });

  it('shows the last log lines in monospace, newest last, and the reason when they are missing', () => {
    const alert = sampleAlert();
    alert.facts.containers[0]!.logTail = { lines: ['starting', '* heap at 98% *', 'java.lang.OutOfMemoryError: Java heap space'], cut: false, missing: null };
    alert.facts.containers[1]!.logTail = { lines: [], cut: false, missing: 'the log group does not exist' };
    const card = cardOf(renderTeams(alert));
    const logs = blocks(card.body, 'TextBlock').filter((block) => block.fontType === 'Monospace');

    expect(cardTexts(card).map((shown) => shown.text)).toEqual(expect.arrayContaining(['**Last log lines (orders-api):**', 'Last log lines not shown: the log group does not exist']));
    expect(logs.map((block) => block.text)).toEqual(['starting', '\\* heap at 98% \\*', 'java.lang.OutOfMemoryError: Java heap space']);
    expect(logs.every((block) => block.size === 'Small' && block.spacing === 'None')).toBe(true);
  });

  it('drops the oldest log lines first when they are too long together', () => {
    const alert = sampleAlert();
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index} ${'x'.repeat(390)}`);
    alert.facts.containers[0]!.logTail = { lines, cut: true, missing: null };
    const shown = blocks(cardOf(renderTeams(alert)).body, 'TextBlock').filter((block) => block.fontType === 'Monospace');

    expect(shown.length).toBeLessThan(20);
    expect(shown.at(-1)?.text).toBe(lines.at(-1));
    expect(shown.map((block) => block.text)).toEqual(lines.slice(-shown.length));
  });

  it('offers the links as buttons, five per row, logs only for failed containers, no over-long URL', () => {
    const alert = sampleAlert({ links: { ...sampleAlert().links, cluster: 'https://console.example/cluster', ec2Instance: 'https://console.example/instance' } });
    alert.facts.runbook = 'https://wiki.example/runbooks/orders';
    // envoy exited 0: not failed, so its logs get no button.
    alert.facts.containers[1] = { ...alert.facts.containers[1]!, exitCode: 0, logsUrl: 'https://console.example/logs/envoy' };
    alert.facts.containers.push({ name: 'worker', essential: true, exitCode: 1, exitMeaning: null, reason: null, logsUrl: `https://console.example/${'x'.repeat(MAX_ACTION_URL)}` });
    const card = cardOf(renderTeams(alert));
    const sets = blocks(card.body, 'ActionSet');

    expect(sets.map((set) => set.actions.length)).toEqual([MAX_ACTIONS_PER_SET, 2]);
    expect(actions(card).map((action) => action.title)).toEqual(['Open task', 'Open service', 'Logs (orders-api)', 'Runbook', 'Open EC2 instance', 'Open cluster', 'AWS docs']);
    expect(actions(card).every((action) => action.title.length <= MAX_ACTION_TITLE)).toBe(true);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('says when facts may be missing because a lookup failed', () => {
    const texts = cardTexts(cardOf(renderTeams(sampleAlert({ enriched: false })))).map((shown) => shown.text);
    expect(texts).toContain('Some facts or links may be missing: the ECS API did not answer a lookup (task definition, service or instance).');
  });

  it('cuts a card that would pass the message limit, keeping the title, the summary and the links', () => {
    const alert = sampleAlert();
    const wide = '漢'.repeat(5_000);
    alert.summary = wide;
    alert.facts.cause = wide;
    alert.facts.reason = wide;
    alert.facts.containers = Array.from({ length: 20 }, (_, index) => ({
      name: `c${index}`,
      essential: true,
      exitCode: 1,
      exitMeaning: wide,
      reason: wide,
      // Ten long log links: buttons alone would take most of the budget.
      logsUrl: `https://console.example/logs/${index}/${'x'.repeat(1_900)}`,
      logTail: { lines: Array.from({ length: 20 }, () => wide.slice(0, 400)), cut: true, missing: null },
    }));
    const message = renderTeams(alert);
    const card = cardOf(message);

    expect(messageBytes(message)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    expect(MESSAGE_BUDGET_BYTES).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(band(card).items[0]).toMatchObject({ text: '⚠️ OOM: service orders-api (prod) – container orders-api killed for using too much memory' });
    expect(cardTexts(card)[2]?.text).toMatch(/^漢+…$/u);
    // The last resort: no facts, containers or log lines, three links.
    expect(blocks(card.body, 'FactSet')).toEqual([]);
    expect(cardTexts(card).some((shown) => shown.text === '**Containers:**')).toBe(false);
    expect(actions(card).map((action) => action.title)).toEqual(['Open task', 'Open service', 'Logs (c0)']);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });
});

describe('renderTeams cards, checked by the Adaptive Cards object model', () => {
  it('declares version 1.4', () => {
    expect(cardOf(renderTeams(sampleAlert())).version).toBe(ADAPTIVE_CARD_VERSION);
    expect(ADAPTIVE_CARD_VERSION).toBe('1.4');
  });

  it('are valid for every kind of alert the builders give', () => {
    const withLogs = sampleAlert({ severity: 'critical' });
    withLogs.facts.containers[0]!.logTail = { lines: ['- not a list', '# not a heading', '1. not a list either'], cut: false, missing: null };
    const deployment = sampleAlert({ kind: 'deployment', status: 'resolved', severity: 'info', deploymentOutcome: 'failed', title: 'Deployment failed – service orders-api (prod)' });
    const spot = sampleAlert({ spot: true, links: { task: null, service: null, docs: 'https://docs.aws.amazon.com/x', ec2Instance: 'https://console.example/i', cluster: 'https://console.example/c' } });
    const bare = sampleAlert({ links: { task: null, service: null, docs: 'not a url' } });
    bare.facts = { ...bare.facts, account: null, region: null, cluster: null, service: null, taskArn: null, containers: [], cause: '', remedy: '', reason: null };
    const alerts = [sampleAlert(), followUpAlert(), resolvedAlert(), hostileAlert(), withLogs, deployment, spot, bare, sampleAlert({ kind: 'repeat', enriched: false })];

    for (const alert of alerts) expect({ id: alert.kind, problems: problems(renderTeams(alert)) }).toEqual({ id: alert.kind, problems: [] });
  });

  it('find problems in a broken card, so the check bites', () => {
    const card = structuredClone(cardOf(renderTeams(sampleAlert())));
    expect(adaptiveCardProblems(card)).toEqual([]);

    const badColour = structuredClone(card);
    Object.assign(band(badColour).items[1]!, { color: 'Purple' });
    expect(adaptiveCardProblems(badColour)).toContain('parse: InvalidPropertyValue: Invalid value "Purple" for property "color".');

    const unknownElement = structuredClone(card);
    unknownElement.body.push({ type: 'Table', rows: [] } as unknown as CardElement);
    expect(adaptiveCardProblems(unknownElement).join('\n')).toContain('Unknown element type "Table"');

    const unknownProperty = structuredClone(card);
    Object.assign(unknownProperty.body[1]!, { colour: 'Attention' });
    expect(adaptiveCardProblems(unknownProperty)).toEqual(['$.body[1].colour: dropped by the object model (an unknown property, an invalid value, or a default that need not be sent)']);

    const noUrl = structuredClone(card);
    const buttons = blocks(noUrl.body, 'ActionSet')[0]!.actions;
    Object.assign(buttons[0]!, { url: undefined });
    expect(adaptiveCardProblems(noUrl).join('\n')).toContain('Property "url" must be set');

    expect(adaptiveCardProblems({ ...card, version: '1.6' })).toContain('$.version: 1.6 is newer than Teams renders (1.5)');
    expect(adaptiveCardProblems({ ...card, type: 'Card' }).join('\n')).toContain('MissingCardType');
  });

  it('are valid, escaped and within the size limit whatever the text', () => {
    const hostile = fc
      .array(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.constantFrom('*', '**', '_', '~~', '`', '[x](https://evil.example)', '<at>Everyone</at>', '# ', '- ', '1. ', '> ', '\\', '\\*', '\u202e', '\r\n', '\ud800', '🚀', '漢'),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    const text = fc.oneof({ weight: 4, arbitrary: hostile }, { weight: 1, arbitrary: hostile.map((part) => part.repeat(300)) });
    const alerts = fc
      .record({
        title: text,
        summary: text,
        cause: text,
        reason: text,
        service: text,
        names: fc.array(text, { minLength: 1, maxLength: 12 }),
        lines: fc.array(text, { maxLength: 20 }),
        kind: fc.constantFrom<Alert['kind']>('new', 'follow-up', 'repeat', 'resolved', 'deployment'),
        severity: fc.constantFrom<Alert['severity']>('critical', 'warning', 'info'),
      })
      .map(({ title, summary, cause, reason, service, names, lines, kind, severity }): Alert => {
        const alert = sampleAlert({ title, summary, kind, severity, status: kind === 'new' || kind === 'follow-up' || kind === 'repeat' ? 'firing' : 'resolved' });
        alert.facts = { ...alert.facts, cause, reason, service };
        alert.facts.containers = names.map((name, index) => ({
          name,
          essential: index === 0,
          exitCode: index,
          exitMeaning: null,
          reason,
          logsUrl: `https://example.com/logs/${index}`,
          logTail: { lines, cut: false, missing: null },
        }));
        return alert;
      });

    fc.assert(
      fc.property(alerts, (alert) => {
        const message = renderTeams(alert);
        expect(problems(message)).toEqual([]);
        expect(messageBytes(message)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
      }),
      { numRuns: 100 },
    );
  });
});
