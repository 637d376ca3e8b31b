import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION, MAX_KEYWORD, MAX_NEXT_STEP, MAX_SUMMARY, MAX_TITLE, renderAmazonQ } from '../../../lib/render/amazon-q.ts';
import { followUpAlert, hostileAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';

const TASK_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2';
const SERVICE_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2';
const LOGS_URL =
  'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0';
const DOCS_URL = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html';
const KEY = '111122223333|us-west-2|prod|service:orders-api|oom';

describe('renderAmazonQ', () => {
  it('renders the sample OOM alert as this custom notification', () => {
    expect(renderAmazonQ(sampleAlert())).toEqual({
      version: '1.0',
      source: 'custom',
      id: 'b3a2f0d6c1e94f58a7d2c4e6f8a0b1c2',
      content: {
        textType: 'client-markdown',
        title: '⚠️ [WARNING] OOM: service orders-api (prod) – container orders-api killed for using too much memory',
        description: [
          'Task 77ea7336 of service orders-api stopped: container orders-api used more memory than its limit and was killed (exit 137).',
          '',
          '*Why:* The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError) (container "orders-api").',
          '',
          '*Account:* 111122223333',
          '*Region:* us-west-2',
          '*Cluster:* prod',
          '*Service:* orders-api',
          '*Task:* 77ea7336e48e3a4e63c55244182d37c0',
          '*Task definition:* orders-api:212',
          '*Deployment:* ecs-svc/9571171551795520066',
          '*Stop code:* EssentialContainerExited',
          '*Reason:* Essential container in task exited',
          '*Time:* 2025-03-14 09:26:51 UTC',
          '*Containers:*',
          '• orders-api (essential): exit 137 — Killed for using more memory than its limit (OutOfMemoryError); reason: OutOfMemoryError: Container killed due to memory usage',
          "• envoy (non-essential): exit 143 — Shut down cleanly on ECS's stop signal (SIGTERM)",
          '',
          `*Links:* <${TASK_URL}|Task> · <${SERVICE_URL}|Service> · <${LOGS_URL}|Logs (orders-api)> · <${DOCS_URL}|Docs>`,
        ].join('\n'),
        nextSteps: [
          'Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.',
          `Read the logs of orders-api: <${LOGS_URL}|CloudWatch Logs>`,
        ],
        keywords: ['WARNING', 'oom', 'prod', 'orders-api'],
      },
      metadata: {
        threadId: KEY,
        summary: '[WARNING] OOM: service orders-api (prod) – container orders-api killed for using too much memory',
        eventType: 'ecs-oom',
        relatedResources: ['arn:aws:ecs:us-west-2:111122223333:task/prod/77ea7336e48e3a4e63c55244182d37c0'],
        additionalContext: {
          alertKey: KEY,
          alertId: 'b3a2f0d6c1e94f58a7d2c4e6f8a0b1c2',
          kind: 'new',
          status: 'firing',
          severity: 'warning',
          category: 'oom',
          account: '111122223333',
          region: 'us-west-2',
          cluster: 'prod',
          service: 'orders-api',
          time: '2025-03-14T09:26:51Z',
        },
      },
    });
  });

  it('threads the new alert, its follow-up and its resolved notice together by the alert key', () => {
    const threads = [sampleAlert(), followUpAlert(), resolvedAlert()].map((alert) => renderAmazonQ(alert).metadata.threadId);

    expect(threads).toEqual([KEY, KEY, KEY]);
  });

  it('marks a resolved notice with ✅ and no next steps', () => {
    const notification = renderAmazonQ(resolvedAlert());

    expect(notification.content.title).toBe('✅ Resolved: OOM – service orders-api (prod)');
    expect(notification.content).not.toHaveProperty('nextSteps');
    expect(notification.content.description).toContain('*Resolved at:* 2025-03-14 10:01:40 UTC\n*First fired:* 2025-03-14 09:26:51 UTC (8 events in all)');
    expect(notification.metadata.additionalContext.status).toBe('resolved');
  });

  it('lists the tasks of a follow-up on one line', () => {
    expect(renderAmazonQ(followUpAlert()).content.description).toContain(
      '*Events:* 7 from 2025-03-14 09:26:51 to 09:31:40 UTC (grouped over 5 minutes)\n*Tasks:* 77ea7336e48e3a4e63c55244182d37c0, 0b5e2c6a1f0d4e8b9a7c3d2e1f0a9b8c, ',
    );
  });

  it('escapes Slack links and mentions in untrusted text and breaks plain @-mentions with a word joiner', () => {
    const { content } = renderAmazonQ(hostileAlert());

    expect(content.description).toContain('*Reason:* &lt;!channel&gt; @\u2060here click &lt;https://evil.example|here&gt; &amp; \\u001b[2J\\u202egnp.exe\\u202c next line');
    expect(content.description).toContain('• &lt;@\u2060U024BE7LH&gt; (essential)');
    const withoutOurLinks = content.description.replace(/<https:\/\/[^<>|]+\|[^<>]*>/gu, '');
    expect(withoutOurLinks).not.toMatch(/[<>]/u);
    expect(content.description).not.toMatch(/@here/u);
  });

  it('keeps eventType to letters, digits and hyphens', () => {
    expect(renderAmazonQ(sampleAlert({ category: 'placement_failure_spot_capacity' })).metadata.eventType).toBe('ecs-placement-failure-spot-capacity');
  });

  it('keeps the links and bounds every text when the alert is enormous', () => {
    const alert = sampleAlert({ title: 'T'.repeat(1000), summary: 'S'.repeat(10_000) });
    alert.facts = { ...alert.facts, cause: 'C'.repeat(10_000), remedy: 'R'.repeat(10_000), reason: '<'.repeat(10_000), cluster: 'c'.repeat(500) };
    alert.facts.containers = Array.from({ length: 10 }, (_, index) => ({ name: `app-${index}`, essential: true, exitCode: 1, exitMeaning: null, reason: 'r'.repeat(2000), logsUrl: null }));

    const { content, metadata } = renderAmazonQ(alert);

    expect(content.title.length).toBeLessThanOrEqual(MAX_TITLE);
    expect(content.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(content.description).toMatch(/\n\n\*Links:\* <https:\/\/[^\n]+\|Docs>$/u);
    for (const step of content.nextSteps ?? []) expect(step.length).toBeLessThanOrEqual(MAX_NEXT_STEP);
    for (const keyword of content.keywords ?? []) expect(keyword.length).toBeLessThanOrEqual(MAX_KEYWORD);
    expect(metadata.summary.length).toBeLessThanOrEqual(MAX_SUMMARY);
  });

  it('omits absent resources and context entries instead of sending nulls', () => {
    const alert = sampleAlert();
    alert.facts = { ...alert.facts, taskArn: null, cluster: null, service: null };

    const { metadata, content } = renderAmazonQ(alert);

    expect(metadata.relatedResources).toEqual([]);
    expect(metadata.additionalContext).not.toHaveProperty('cluster');
    expect(content.keywords).toEqual(['WARNING', 'oom']);
    expect(JSON.stringify(renderAmazonQ(alert))).not.toContain('null');
  });
});
