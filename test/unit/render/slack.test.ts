import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import {
  MAX_ACTIONS_PER_BLOCK,
  MAX_BUTTON_TEXT,
  MAX_FIELD_TEXT,
  MAX_FIELDS,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  renderSlack,
} from '../../../lib/render/slack.ts';
import { FOLLOW_UP_TASK_IDS, followUpAlert, hostileAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';
import { blocksOf, slackBlocks as blocks, slackTexts as texts } from '../../support/slack-message.ts';

const TASK_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2';
const SERVICE_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2';
const LOGS_URL =
  'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0';
const DOCS_URL = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html';

function withReason(reason: string): Alert {
  const alert = sampleAlert();
  alert.facts.reason = reason;
  return alert;
}

describe('renderSlack', () => {
  it('renders the sample OOM alert as this message', () => {
    expect(renderSlack(sampleAlert())).toEqual({
      text: '⚠️ [WARNING] OOM: service orders-api (prod) – container orders-api killed for using too much memory',
      attachments: [
        {
          color: '#f9a825',
          blocks: [
            {
              type: 'header',
              text: { type: 'plain_text', text: '⚠️ OOM: service orders-api (prod) – container orders-api killed for using too much memory', emoji: true },
            },
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text:
                  'Task 77ea7336 of service orders-api stopped: container orders-api used more memory than its limit and was killed (exit 137).\n\n' +
                  '*Why:* The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError) (container "orders-api").\n\n' +
                  '*What to do:* Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.',
              },
            },
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*Cluster*\nprod' },
                { type: 'mrkdwn', text: '*Service*\norders-api' },
                { type: 'mrkdwn', text: '*Task*\n77ea7336e48e3a4e63c55244182d37c0' },
                { type: 'mrkdwn', text: '*Task definition*\norders-api:212' },
                { type: 'mrkdwn', text: '*Deployment*\necs-svc/9571171551795520066' },
                { type: 'mrkdwn', text: '*Stop code*\nEssentialContainerExited' },
                { type: 'mrkdwn', text: '*Account*\n111122223333' },
                { type: 'mrkdwn', text: '*Region*\nus-west-2' },
                { type: 'mrkdwn', text: '*Time*\n2025-03-14 09:26:51 UTC' },
              ],
            },
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text:
                  '*Reason:* Essential container in task exited\n' +
                  '*Containers:*\n' +
                  '• orders-api (essential): exit 137 — Killed for using more memory than its limit (OutOfMemoryError); reason: OutOfMemoryError: Container killed due to memory usage\n' +
                  "• envoy (non-essential): exit 143 — Shut down cleanly on ECS's stop signal (SIGTERM)",
              },
            },
            {
              type: 'context',
              elements: [{ type: 'mrkdwn', text: '2025-03-14 09:26:51 UTC · new alert · key 111122223333|us-west-2|prod|service:orders-api|oom' }],
            },
            {
              type: 'actions',
              elements: [
                { type: 'button', action_id: 'task-0', text: { type: 'plain_text', text: 'Open task', emoji: true }, url: TASK_URL },
                { type: 'button', action_id: 'service-1', text: { type: 'plain_text', text: 'Open service', emoji: true }, url: SERVICE_URL },
                { type: 'button', action_id: 'logs-2', text: { type: 'plain_text', text: 'Logs (orders-api)', emoji: true }, url: LOGS_URL },
                { type: 'button', action_id: 'docs-3', text: { type: 'plain_text', text: 'AWS docs', emoji: true }, url: DOCS_URL },
              ],
            },
          ],
        },
      ],
    });
  });

  it('colours the bar by severity, and green for a resolved notice', () => {
    expect(renderSlack(sampleAlert({ severity: 'critical' })).attachments[0].color).toBe('#d32f2f');
    expect(renderSlack(sampleAlert({ severity: 'warning' })).attachments[0].color).toBe('#f9a825');
    expect(renderSlack(sampleAlert({ severity: 'info' })).attachments[0].color).toBe('#9e9e9e');
    expect(renderSlack(resolvedAlert({ severity: 'critical' })).attachments[0].color).toBe('#2e7d32');
  });

  it('marks a resolved notice with ✅ and "Resolved:", says when it fired and drops the remedy', () => {
    const message = renderSlack(resolvedAlert());

    expect(message.text).toBe('✅ [RESOLVED] OOM – service orders-api (prod)');
    expect(blocksOf(message, 'header')[0]!.text.text).toBe('✅ Resolved: OOM – service orders-api (prod)');
    const fields = blocksOf(message, 'section').flatMap((block) => block.fields ?? []).map((field) => field.text);
    expect(fields).toContain('*Resolved at*\n2025-03-14 10:01:40 UTC');
    expect(fields).toContain('*First fired*\n2025-03-14 09:26:51 UTC (8 events in all)');
    expect(texts(message).join('\n')).not.toContain('What to do');
    expect(blocksOf(message, 'context')[0]!.elements[0]!.text).toContain(' · resolved · ');
  });

  it('says "Resolved:" once in the header whether or not the title already says it', () => {
    const message = renderSlack(resolvedAlert({ title: 'OOM – service orders-api (prod)' }));

    expect(blocksOf(message, 'header')[0]!.text.text).toBe('✅ Resolved: OOM – service orders-api (prod)');
  });

  it('shows the events and the ids of the tasks of a follow-up as fields', () => {
    const message = renderSlack(followUpAlert());

    const fields = blocksOf(message, 'section').flatMap((block) => block.fields ?? []).map((field) => field.text);
    expect(fields.slice(0, 4)).toEqual([
      '*Cluster*\nprod',
      '*Service*\norders-api',
      '*Events*\n7 from 2025-03-14 09:26:51 to 09:31:40 UTC (grouped over 5 minutes)',
      `*Tasks*\n${FOLLOW_UP_TASK_IDS.join('\n')}`,
    ]);
    expect(blocksOf(message, 'context')[0]!.elements[0]!.text).toContain(' · follow-up · ');
    expect(blocksOf(message, 'actions')[0]!.elements.map((button) => button.text.text)).toEqual(['Open service', 'Logs (orders-api)', 'AWS docs']);
  });

  it('escapes <!channel> so it cannot notify the channel', () => {
    const all = texts(renderSlack(withReason('<!channel> the task stopped'))).join('\n');

    expect(all).toContain('*Reason:* &lt;!channel&gt; the task stopped');
    expect(all).not.toContain('<!channel>');
  });

  it('escapes a link in Slack syntax so it shows as text and links nowhere', () => {
    const all = texts(renderSlack(withReason('see <https://evil.example|click>'))).join('\n');

    expect(all).toContain('see &lt;https://evil.example|click&gt;');
    expect(all).not.toMatch(/[<>]/u);
  });

  it('escapes & once, including in text that already looks like an entity', () => {
    const all = texts(renderSlack(withReason('R&D said &lt; 5'))).join('\n');

    expect(all).toContain('*Reason:* R&amp;D said &amp;lt; 5');
  });

  it('escapes user mentions in container names, in the containers list and on the logs button', () => {
    const message = renderSlack(hostileAlert());

    const all = texts(message).join('\n');
    expect(all).toContain('• &lt;@U024BE7LH&gt; (essential): exit 137');
    expect(blocksOf(message, 'actions')[0]!.elements[2]!.text.text).toBe('Logs (&lt;@U024BE7LH&gt;)');
    expect(all).not.toMatch(/[<>]/u);
  });

  it('leaves plain @here as text, since webhook messages only notify through <!here>', () => {
    expect(texts(renderSlack(withReason('ping @here and @channel'))).join('\n')).toContain('*Reason:* ping @here and @channel');
  });

  it('bounds a 10,000-character reason and ten long container reasons to the section limit', () => {
    const alert = withReason('<'.repeat(10_000));
    alert.facts.containers = Array.from({ length: 10 }, (_, index) => ({
      name: `sidecar-${index}`,
      essential: false,
      exitCode: 1,
      exitMeaning: 'Application error',
      reason: '&'.repeat(5_000),
      logsUrl: `https://example.com/logs/${index}`,
    }));

    const message = renderSlack(alert);

    const details = blocksOf(message, 'section').at(-1)!.text!.text;
    expect(details.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(details).toMatch(/^\*Reason:\* (&lt;)+…\n\*Containers:\*\n/u);
    expect(details.split('\n')).toHaveLength(12);
    for (const line of details.split('\n').slice(2)) expect(line).toMatch(/^• sidecar-\d \(non-essential\): exit 1 — Application error; reason: (&amp;)+…$/u);
  });

  it('keeps the header within 150 characters and each button label within 75', () => {
    const alert = sampleAlert({ title: 'T'.repeat(400) });
    alert.facts.containers[0]!.name = 'n'.repeat(200);

    const message = renderSlack(alert);

    expect(blocksOf(message, 'header')[0]!.text.text).toHaveLength(MAX_HEADER_TEXT);
    for (const button of blocksOf(message, 'actions').flatMap((block) => block.elements)) {
      expect(button.text.text.length).toBeLessThanOrEqual(MAX_BUTTON_TEXT);
    }
  });

  it('shows at most ten fields, each within 2000 characters', () => {
    const alert = sampleAlert({ spot: true });
    alert.facts = { ...alert.facts, containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/abc', ec2InstanceId: 'i-0123456789abcdef0' };
    alert.facts.taskDefinition = 'x'.repeat(5000);

    const fields = blocksOf(renderSlack(alert), 'section').flatMap((block) => block.fields ?? []);

    expect(fields).toHaveLength(MAX_FIELDS);
    for (const field of fields) expect(field.text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
  });

  it('ends a list field with … when its items do not all fit 2000 characters', () => {
    const ids = Array.from({ length: 20 }, (_, index) => `${index}`.repeat(300).slice(0, 300));
    const alert = followUpAlert({ group: { count: 20, ids, firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:31:40Z', windowMinutes: 5 } });

    const tasks = blocksOf(renderSlack(alert), 'section').flatMap((block) => block.fields ?? []).find((field) => field.text.startsWith('*Resources*'))!;

    expect(tasks.text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
    expect(tasks.text.endsWith(`\n${ids[5]}\n…`)).toBe(true);
  });

  it('offers logs buttons only for failed containers, five buttons per actions block at most', () => {
    const alert = sampleAlert();
    alert.facts.containers = Array.from({ length: 6 }, (_, index) => ({
      name: `app-${index}`,
      essential: true,
      exitCode: index === 5 ? 0 : 1,
      exitMeaning: null,
      reason: null,
      logsUrl: `https://example.com/logs/${index}`,
    }));

    const actions = blocksOf(renderSlack(alert), 'actions');

    expect(actions.map((block) => block.elements.length)).toEqual([5, 3]);
    for (const block of actions) expect(block.elements.length).toBeLessThanOrEqual(MAX_ACTIONS_PER_BLOCK);
    const labels = actions.flatMap((block) => block.elements.map((button) => button.text.text));
    expect(labels).toEqual(['Open task', 'Open service', 'Logs (app-0)', 'Logs (app-1)', 'Logs (app-2)', 'Logs (app-3)', 'Logs (app-4)', 'AWS docs']);
    const ids = actions.flatMap((block) => block.elements.map((button) => button.action_id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('offers no button for a link that is not plain https or longer than 3000 characters', () => {
    const alert = sampleAlert();
    alert.links = { task: 'javascript:alert(1)', service: `https://example.com/${'a'.repeat(3000)}`, docs: 'http://docs.example.com' };

    const buttons = blocksOf(renderSlack(alert), 'actions').flatMap((block) => block.elements);

    expect(buttons.map((button) => button.url)).toEqual([LOGS_URL]);
  });

  it('has no section, fields or actions block for facts and links that are absent', () => {
    const alert = sampleAlert({ summary: '' });
    alert.facts = { ...alert.facts, cause: '', remedy: '', account: null, region: null, cluster: null, service: null, taskArn: null, taskDefinition: null, deploymentId: null, stopCode: null, reason: null, containers: [] };
    alert.links = { task: null, service: null, docs: '' };

    const message = renderSlack(alert);

    expect(blocks(message).map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(blocksOf(message, 'section')[0]!.fields).toEqual([{ type: 'mrkdwn', text: '*Time*\n2025-03-14 09:26:51 UTC' }]);
  });

  it('says in the context line that some links may be missing when the alert could not be enriched', () => {
    const context = blocksOf(renderSlack(sampleAlert({ enriched: false })), 'context')[0]!;

    expect(context.elements.map((element) => element.text)).toContain('Some facts or links may be missing: the ECS API did not answer a lookup (task definition, service or instance).');
  });
});
