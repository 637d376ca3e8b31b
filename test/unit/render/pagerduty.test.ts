import { describe, expect, it } from 'vitest';
import { dedupKey, isChangeEvent, MAX_DEDUP_KEY, MAX_SUMMARY, pagerDutyEvent, type PagerDutyAlertEvent, type PagerDutyChangeEvent, type PagerDutyEvent } from '../../../lib/render/pagerduty.ts';
import { followUpAlert, hostileAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const KEY = '111122223333|us-west-2|prod|service:orders-api|oom';
const TASK_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2';
const SERVICE_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2';
const LOGS_URL =
  'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0';
const DOCS_URL = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html';

function alertEvent(event: PagerDutyEvent): PagerDutyAlertEvent {
  if (isChangeEvent(event)) throw new Error('expected an alert event');
  return event;
}

function changeEvent(event: PagerDutyEvent): PagerDutyChangeEvent {
  if (!isChangeEvent(event)) throw new Error('expected a change event');
  return event;
}

describe('pagerDutyEvent', () => {
  it('triggers the sample OOM alert as this event', () => {
    expect(pagerDutyEvent(sampleAlert(), ROUTING_KEY)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: KEY,
      payload: {
        summary:
          '[WARNING] OOM: service orders-api (prod) – container orders-api killed for using too much memory — Task 77ea7336 of service orders-api stopped: container orders-api used more memory than its limit and was killed (exit 137).',
        source: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod',
        severity: 'warning',
        timestamp: '2025-03-14T09:26:51.000Z',
        component: 'orders-api',
        group: 'prod',
        class: 'oom',
        custom_details: {
          Account: '111122223333',
          Region: 'us-west-2',
          Cluster: 'prod',
          Service: 'orders-api',
          Task: '77ea7336e48e3a4e63c55244182d37c0',
          'Task definition': 'orders-api:212',
          Deployment: 'ecs-svc/9571171551795520066',
          'Stop code': 'EssentialContainerExited',
          Reason: 'Essential container in task exited',
          Time: '2025-03-14 09:26:51 UTC',
          Why: 'The container used more memory than its hard limit and the kernel killed it (OutOfMemoryError) (container "orders-api").',
          'What to do': 'Raise the container or task memory, or find the leak; size JVM or Node heaps below the limit.',
          Kind: 'new',
          'Alert key': KEY,
          Containers: [
            'orders-api (essential): exit 137 — Killed for using more memory than its limit (OutOfMemoryError); reason: OutOfMemoryError: Container killed due to memory usage',
            "envoy (non-essential): exit 143 — Shut down cleanly on ECS's stop signal (SIGTERM)",
          ],
        },
      },
      links: [
        { href: TASK_URL, text: 'Task' },
        { href: SERVICE_URL, text: 'Service' },
        { href: LOGS_URL, text: 'Logs (orders-api)' },
        { href: DOCS_URL, text: 'Docs' },
      ],
      client: 'ECS incident notifier',
      client_url: TASK_URL,
    });
  });

  it('maps our severities to PagerDuty urgency: critical pages, warning and info do not', () => {
    const severity = (value: 'critical' | 'warning' | 'info') => alertEvent(pagerDutyEvent(sampleAlert({ severity: value }), ROUTING_KEY)).payload?.severity;
    expect([severity('critical'), severity('warning'), severity('info')]).toEqual(['critical', 'warning', 'info']);
  });

  it('triggers a follow-up and a repeat with the same dedup_key, so they update the open alert', () => {
    const first = alertEvent(pagerDutyEvent(sampleAlert(), ROUTING_KEY));
    const followUp = alertEvent(pagerDutyEvent(followUpAlert(), ROUTING_KEY));
    const repeat = alertEvent(pagerDutyEvent(sampleAlert({ kind: 'repeat', title: 'Still firing: OOM – service orders-api (prod)' }), ROUTING_KEY));

    expect([followUp.event_action, repeat.event_action]).toEqual(['trigger', 'trigger']);
    expect([followUp.dedup_key, repeat.dedup_key]).toEqual([first.dedup_key, first.dedup_key]);
    expect(followUp.payload?.custom_details).toMatchObject({ Events: '7 from 2025-03-14 09:26:51 to 09:31:40 UTC (grouped over 5 minutes)', Kind: 'follow-up' });
    expect(followUp.client_url).toBe(SERVICE_URL);
  });

  it('resolves the resolved notice with the same dedup_key and nothing else', () => {
    expect(pagerDutyEvent(resolvedAlert(), ROUTING_KEY)).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: KEY });
  });

  it('sends a deployment notice as a change event, which pages no one', () => {
    const notice = sampleAlert({
      kind: 'deployment',
      status: 'resolved',
      severity: 'info',
      key: '111122223333|us-west-2|prod|service:orders-api|deployment-notice:ecs-svc/1',
      title: 'Deployment failed – service orders-api (prod)',
      summary: 'Deployment ecs-svc/1 of service orders-api (prod) failed at 2025-03-14T09:26:51Z.',
      deploymentOutcome: 'failed',
    });
    const event = changeEvent(pagerDutyEvent(notice, ROUTING_KEY));

    expect(event).not.toHaveProperty('event_action');
    expect(event).not.toHaveProperty('dedup_key');
    expect(event.routing_key).toBe(ROUTING_KEY);
    expect(event.payload).toMatchObject({
      summary: 'Deployment failed – service orders-api (prod) — Deployment ecs-svc/1 of service orders-api (prod) failed at 2025-03-14T09:26:51Z.',
      source: 'arn:aws:ecs:us-west-2:111122223333:cluster/prod',
      timestamp: '2025-03-14T09:26:51.000Z',
    });
    expect(event.payload.custom_details).toMatchObject({ Kind: 'deployment', Outcome: 'failed' });
    expect(event.links?.map((link) => link.text)).toEqual(['Task', 'Service', 'Logs (orders-api)', 'Docs']);
  });

  it('keeps a long alert key within 255 characters, stable and distinct from keys sharing its beginning', () => {
    const long = `111122223333|us-west-2|prod|service:${'s'.repeat(300)}|oom`;
    const other = `${long.slice(0, -3)}app_error_exit`;

    const key = alertEvent(pagerDutyEvent(sampleAlert({ key: long }), ROUTING_KEY)).dedup_key;

    expect(key).toHaveLength(MAX_DEDUP_KEY);
    expect(key).toMatch(/^111122223333\|us-west-2\|prod\|service:s+\|sha256:[0-9a-f]{64}$/u);
    expect(dedupKey(long)).toBe(key);
    expect(dedupKey(other)).not.toBe(key);
    expect(alertEvent(pagerDutyEvent(resolvedAlert({ key: long }), ROUTING_KEY)).dedup_key).toBe(key);
    expect(dedupKey('k'.repeat(MAX_DEDUP_KEY))).toBe('k'.repeat(MAX_DEDUP_KEY));
    expect(dedupKey(`${'k'.repeat(182)}🚀${'k'.repeat(100)}`)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/u);
  });

  it('bounds the summary to 1,024 characters and makes event text inert', () => {
    const alert = hostileAlert({ summary: 'x'.repeat(5_000) });
    const event = alertEvent(pagerDutyEvent(alert, ROUTING_KEY));

    expect(event.payload?.summary).toHaveLength(MAX_SUMMARY);
    expect(event.payload?.summary.endsWith('…')).toBe(true);
    // eslint-disable-next-line no-control-regex -- the absence of control characters is what is tested
    expect(JSON.stringify(event.payload?.custom_details)).not.toMatch(/[\u0000-\u001f\u202e]|\\n/u);
    expect(event.payload?.custom_details.Reason).toBe('<!channel> @here click <https://evil.example|here> & \\u001b[2J\\u202egnp.exe\\u202c next line');
  });

  it('names the source by what is known when the cluster ARN cannot be built, in the right partition', () => {
    const source = (facts: Partial<ReturnType<typeof sampleAlert>['facts']>) => {
      const alert = sampleAlert();
      alert.facts = { ...alert.facts, ...facts };
      return alertEvent(pagerDutyEvent(alert, ROUTING_KEY)).payload?.source;
    };
    expect(source({ region: 'cn-north-1' })).toBe('arn:aws-cn:ecs:cn-north-1:111122223333:cluster/prod');
    expect(source({ region: 'us-gov-west-1' })).toBe('arn:aws-us-gov:ecs:us-gov-west-1:111122223333:cluster/prod');
    expect(source({ cluster: null })).toBe('111122223333/us-west-2');
    expect(source({ account: null, region: null, cluster: null })).toBe('ECS incident notifier');
  });

  it('leaves out what it does not know: component, group, timestamp, links and client_url', () => {
    const alert = sampleAlert({ time: 'not a time', links: { task: null, service: null, docs: 'not a url' } });
    alert.facts = { ...alert.facts, service: null, taskFamily: null, cluster: null, containers: [] };
    const event = alertEvent(pagerDutyEvent(alert, ROUTING_KEY));

    expect(event.payload).not.toHaveProperty('component');
    expect(event.payload).not.toHaveProperty('group');
    expect(event.payload).not.toHaveProperty('timestamp');
    expect(event).not.toHaveProperty('links');
    expect(event).not.toHaveProperty('client_url');
  });

  it('names the task family as the component of a standalone task', () => {
    const alert = sampleAlert();
    alert.facts = { ...alert.facts, service: null, taskFamily: 'nightly-export' };
    expect(alertEvent(pagerDutyEvent(alert, ROUTING_KEY)).payload?.component).toBe('nightly-export');
  });
});
