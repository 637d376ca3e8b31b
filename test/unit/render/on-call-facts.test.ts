import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { buildAlert, logStreamsToRead, type BuildOptions, type TaskDefinitionFacts } from '../../../lib/alerts/build.ts';
import { originOf } from '../../../lib/aws/account-lookups.ts';
import { parseAlertMessage } from '../../../lib/notify/alert-message.ts';
import { snsMessage, SNS_MAX_PUBLISH_BYTES, publishBytes } from '../../../lib/notify/sns-message.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { renderEmail } from '../../../lib/render/email.ts';
import { renderSlack, type SectionBlock } from '../../../lib/render/slack.ts';
import { recordedLookups } from '../../../lib/replay/recorded-api.ts';
import { EVENTS_DIR, loadFixture } from '../../support/fixtures.ts';
import { snsDocument } from '../../support/sns.ts';

// What on-call reads in each channel about a failed task, built the way the pipeline builds it: the event classified,
// its lookups answered from the recorded responses in events/api/ (DescribeTaskDefinition, DescribeServices,
// GetLogEvents), then rendered as the email, the Slack message and the SNS message.

function scenarioLine(file: string, line: number): Record<string, unknown> {
  const text = readFileSync(join(EVENTS_DIR, 'scenarios', file), 'utf8').trim().split('\n')[line - 1];
  if (text === undefined) throw new Error(`no line ${line} in ${file}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The alert of one event, enriched from the recordings as the replay and the Lambda functions enrich it. */
async function enrichedAlert(event: Record<string, unknown>, extra: Partial<BuildOptions> = {}): Promise<Alert> {
  const evaluated = evaluate(event, 'test');
  const lookups = (await recordedLookups(join(EVENTS_DIR, 'api')))(originOf(evaluated.envelope));
  const { verdict } = evaluated;
  const taskDefinition = verdict.taskDefinitionArn === null ? null : await lookups.taskDefinitions(verdict.taskDefinitionArn);
  const logTails = new Map(await Promise.all(logStreamsToRead(verdict, taskDefinition).map(async (stream) => [stream.container, await lookups.logTails(stream)] as const)));
  const service = verdict.cluster === null || verdict.service === null ? null : await lookups.services(verdict.cluster, verdict.service);
  return buildAlert(verdict, { eventId: evaluated.envelope.id, taskDefinition, enriched: true, windowMinutes: 5, logTails, service, ...extra });
}

/** The email body with each wrapped paragraph joined back onto one line. */
function flat(text: string): string {
  return text.replace(/\n {6,}(?!\| )/g, ' ');
}

function slackText(alert: Alert): string {
  return renderSlack(alert).attachments[0].blocks.map((block) => JSON.stringify(block)).join('\n');
}

function sections(alert: Alert): string[] {
  return renderSlack(alert)
    .attachments[0].blocks.filter((block): block is SectionBlock => block.type === 'section')
    .flatMap((block) => [block.text?.text ?? '', ...(block.fields ?? []).map((field) => field.text)]);
}

function snsBodies(alert: Alert): { email: string; machine: Alert } {
  const message = snsMessage(alert);
  const bodies = snsDocument(message.Message);
  return { email: bodies.email ?? '', machine: parseAlertMessage(bodies.sqs ?? '', 'test') };
}

const OOM = scenarioLine('oom-crash-loop.jsonl', 1);
const PULL_FAILED = scenarioLine('deployment-rollback.jsonl', 5);

describe('an OOM alert', () => {
  it('shows the memory limits, the service counts, the owner and the last log lines, credentials masked, in the email', async () => {
    const { text } = renderEmail(await enrichedAlert(OOM));

    expect(text).toContain('    Memory: limit 1536 MiB\n');
    expect(text).toContain('  Task memory         2048 MiB\n');
    expect(text).toContain('  Service tasks       1 running of 4 desired, 3 pending\n');
    expect(text).toContain('  Owner               team-orders\n');
    expect(text).toContain('  Runbook             https://wiki.example.com/runbooks/orders-api#out-of-memory\n');
    expect(text).toContain(
      [
        '    Last log lines:',
        '    | orders-api listening on :8080 (NODE_ENV=production, heap limit 1456 MB)',
        '    | db: connected to postgres://orders_app:****@orders-db.cluster-c9akciq32.us-west-2.rds.amazonaws.com:5432/orders',
      ].join('\n'),
    );
    expect(text).toContain('    | warn: heap used 1403 MB (rss 1488 MB) while building export\n');
    expect(text).not.toMatch(/Zq8v2LxT4mN6|eyJhbGci|Last log lines not shown/);
    // Only the container that failed gets its image and logs; the sidecar stopped by ECS does not.
    expect(text.match(/Last log lines:/g)).toHaveLength(1);
    expect(flat(text)).toContain('    Image: 111122223333.dkr.ecr.us-west-2.amazonaws.com/orders-api:2025.03.12-3\n');
    expect(text).not.toContain('aws-appmesh-envoy');
  });

  it('shows the same lines in Slack, in a code block, and the runbook as a button', async () => {
    const alert = await enrichedAlert(OOM);
    const logs = sections(alert).find((text) => text.startsWith('*Last log lines (orders-api):*'));

    expect(logs?.split('\n').slice(0, 3)).toEqual(['*Last log lines (orders-api):*', '```', 'orders-api listening on :8080 (NODE_ENV=production, heap limit 1456 MB)']);
    expect(logs?.endsWith('POST /orders/export authorization=Bearer **** still building, 151872 rows\n```')).toBe(true);
    expect(sections(alert)).toEqual(expect.arrayContaining(['*Service tasks*\n1 running of 4 desired, 3 pending', '*Owner*\nteam-orders']));
    expect(sections(alert).join('\n')).toContain('memory limit 1536 MiB');
    const buttons = renderSlack(alert).attachments[0].blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(buttons.find((button) => button.text.text === 'Runbook')?.url).toBe('https://wiki.example.com/runbooks/orders-api#out-of-memory');
    expect(slackText(alert)).not.toMatch(/Zq8v2LxT4mN6|eyJhbGci/);
  });

  it('carries the lines in both SNS bodies, and the Slack function renders the machine body as the alert itself', async () => {
    const alert = await enrichedAlert(OOM);
    const { email, machine } = snsBodies(alert);

    expect(email).toBe(renderEmail(alert).text);
    expect(machine.facts.containers[0]?.logTail?.lines).toHaveLength(9);
    expect(machine).toEqual(alert);
    expect(renderSlack(machine)).toEqual(renderSlack(alert));
  });
});

describe('an image pull failure', () => {
  it('names the image and says in one line why there are no log lines, in every channel', async () => {
    const alert = await enrichedAlert(PULL_FAILED);
    const why = 'Last log lines not shown: log stream ecs/checkout/9dcb1d449b650214d6c961dffd70d2c7 of /ecs/checkout does not exist (the container may never have started)';

    const { text } = renderEmail(alert);
    expect(flat(text)).toContain('    Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/checkout:2025.09.16-1\n');
    expect(flat(text)).toContain(`    ${why}\n`);
    expect(text).not.toContain('Memory:');
    expect(sections(alert)).toContain(why);
    expect(snsBodies(alert).email).toBe(text);
    expect(alert.facts.owner).toBe('team-checkout (#checkout-oncall)');
  });
});

describe('a container that does not log through awslogs', () => {
  const definition = (logDriver: string | null): TaskDefinitionFacts => ({
    containers: [{ name: 'web', essential: true, awslogs: null, logDriver }],
  });
  const failed = (): Record<string, unknown> => loadFixture('task/stopped-app-error-exit-1.json');

  it.each([
    ['awsfirelens', 'Last log lines not shown: the container logs through FireLens, not awslogs'],
    ['json-file', 'Last log lines not shown: the container logs with the json-file driver, not awslogs'],
    [null, 'Last log lines not shown: the container has no log configuration'],
  ])('with log driver %s goes out saying why, once', async (driver, why) => {
    const event = failed();
    const evaluated = evaluate(event, 'test');
    const name = evaluated.verdict.containers.find((container) => container.exitCode === 1)?.name ?? 'web';
    const taskDefinition = { containers: [{ ...definition(driver).containers[0]!, name }] };
    const alert = buildAlert(evaluated.verdict, { eventId: null, taskDefinition, enriched: true, windowMinutes: 5 });

    expect(flat(renderEmail(alert).text).split('\n').filter((line) => line.includes('Last log lines'))).toEqual([`    ${why}`]);
    expect(sections(alert).filter((text) => text.includes('Last log lines'))).toEqual([why]);
    expect(logStreamsToRead(evaluated.verdict, taskDefinition)).toEqual([]);
  });

  it('says the stream name is unknown when awslogs has no stream prefix', async () => {
    const evaluated = evaluate(failed(), 'test');
    const name = evaluated.verdict.containers.find((container) => container.exitCode === 1)?.name ?? 'web';
    const taskDefinition: TaskDefinitionFacts = { containers: [{ name, essential: true, awslogs: { group: '/ecs/web', region: null, streamPrefix: null }, logDriver: 'awslogs' }] };
    const alert = buildAlert(evaluated.verdict, { eventId: null, taskDefinition, enriched: true, windowMinutes: 5 });
    expect(flat(renderEmail(alert).text)).toContain('    Last log lines not shown: the awslogs driver has no stream prefix, so the stream name is not known\n');
  });
});

describe('hostile log lines', () => {
  it('cannot mention anyone, add a link or break out of the code block in Slack, nor add lines in the email', async () => {
    const alert = await enrichedAlert(OOM);
    const container = alert.facts.containers[0]!;
    container.logTail = { lines: ['<!channel> look at <https://evil.example|this> & ``` done', 'ok\u001b[2J\nInjected: line\u202e'], cut: false, missing: null };

    const logs = sections(alert).find((text) => text.startsWith('*Last log lines'));
    expect(logs).toContain('&lt;!channel&gt; look at &lt;https://evil.example|this&gt; &amp; ˋˋˋ done');
    expect(logs?.match(/```/g)).toHaveLength(2);
    const email = renderEmail(alert).text;
    expect(email).toContain('    | ok\\u001b[2J Injected: line\\u202e\n');
    expect(email).not.toContain('\nInjected');
  });

  it('keeps the SNS message under its limit when ten containers carry 20 lines of 400 characters', async () => {
    const alert = await enrichedAlert(OOM);
    const template = alert.facts.containers[0]!;
    alert.facts.containers = Array.from({ length: 10 }, (_, index) => ({
      ...template,
      name: `c${index}`,
      reason: 'é'.repeat(30_000),
      logTail: { lines: Array.from({ length: 20 }, () => '€'.repeat(400)), cut: false, missing: null },
    }));
    const message = snsMessage(alert);
    expect(publishBytes(message)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
    const machine = parseAlertMessage(snsDocument(message.Message).sqs ?? '', 'test');
    expect(machine.facts.containers.every((container) => (container.logTail?.lines.length ?? 0) <= 20)).toBe(true);
  });
});

describe('firing since and the task ids', () => {
  it('says since when the group fires and how many events so far, in email, Slack and the SNS body', async () => {
    const alert = { ...(await enrichedAlert(OOM)), firing: { since: '2026-12-06T09:26:51Z', events: 7 } };
    expect(renderEmail(alert).text).toContain('  Firing since        2026-12-06 09:26:51 UTC (7 events so far)\n');
    expect(sections(alert)).toContain('*Firing since*\n2026-12-06 09:26:51 UTC (7 events so far)');
    expect(snsBodies(alert).machine.firing).toEqual({ since: '2026-12-06T09:26:51Z', events: 7 });
    expect(renderEmail({ ...alert, firing: { since: '2026-12-06T09:26:51Z', events: 1 } }).text).toContain('(1 event so far)');
  });

  it('shows no firing line when the alert has none, or on a resolved notice', async () => {
    const alert = await enrichedAlert(OOM);
    expect(renderEmail(alert).text).not.toContain('Firing since');
    const resolved: Alert = { ...alert, kind: 'resolved', status: 'resolved', firing: { since: '2026-12-06T09:26:51Z', events: 7 } };
    expect(renderEmail(resolved).text).not.toContain('Firing since');
  });

  it('lists 10 task ids of a crash loop and +N more in the email and Slack', async () => {
    const alert = await enrichedAlert(OOM);
    const ids = Array.from({ length: 14 }, (_, index) => `${index.toString(16)}${'0'.repeat(31)}`);
    const grouped: Alert = { ...alert, kind: 'follow-up', group: { ...alert.group, count: 16, ids } };
    const text = renderEmail(grouped).text;
    expect(text).toContain(`  Tasks               ${ids[0]}\n`);
    expect(text).toContain(`                      ${ids[9]}\n                      +6 more\n`);
    expect(text).not.toContain(ids[10]);
    expect(sections(grouped).find((field) => field.startsWith('*Tasks*'))?.split('\n').at(-1)).toBe('+6 more');
  });
});

describe('runbook', () => {
  it('shows a runbook that is not an http(s) URL as inert text, never as a link', async () => {
    for (const runbook of ['javascript:alert(1)', 'see wiki page Orders <oncall>', 'ftp://x.example/run']) {
      const alert = { ...(await enrichedAlert(OOM)) };
      alert.facts = { ...alert.facts, runbook };
      const text = renderEmail(alert).text;
      expect(text).toContain(`  Runbook             ${runbook}`);
      expect(text.slice(text.indexOf('\nLinks'))).not.toContain('Runbook');
      const blocks = renderSlack(alert).attachments[0].blocks;
      expect(blocks.flatMap((block) => (block.type === 'actions' ? block.elements : [])).map((button) => button.text.text)).not.toContain('Runbook');
    }
  });

  it('takes the runbook and owner from the keys the deploy parameters name', async () => {
    const alert = await enrichedAlert(PULL_FAILED, { tagKeys: { runbook: 'cost-center', owner: 'missing' } });
    expect(alert.facts.runbook).toBe('shop');
    expect(alert.facts.owner).toBeUndefined();
  });
});

describe('Spot and container-instance alerts', () => {
  it('link the EC2 instance and the ECS cluster in the email and as Slack buttons', () => {
    const evaluated = evaluate(loadFixture('container-instance/draining.json'), 'test');
    const alert = buildAlert(evaluated.verdict, { eventId: null, taskDefinition: null, enriched: true, windowMinutes: 5 });
    const region = evaluated.verdict.region ?? '';
    const instance = evaluated.verdict.ec2InstanceId ?? '';

    const text = renderEmail(alert).text;
    expect(text).toContain(`  EC2 instance        https://${region}.console.aws.amazon.com/ec2/home?region=${region}#InstanceDetails:instanceId=${instance}\n`);
    expect(text).toContain(`  Cluster             https://${region}.console.aws.amazon.com/ecs/v2/clusters/${evaluated.verdict.cluster ?? ''}/services?region=${region}\n`);
    const buttons = renderSlack(alert).attachments[0].blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(buttons.map((button) => button.text.text)).toEqual(expect.arrayContaining(['Open EC2 instance', 'Open cluster']));
  });

  it('are the only alerts with those links', async () => {
    const alert = await enrichedAlert(OOM);
    expect(alert.links.ec2Instance).toBeUndefined();
    expect(alert.links.cluster).toBeUndefined();
  });
});
