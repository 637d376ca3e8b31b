import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_LENGTH, renderEmail, toAscii, WRAP_WIDTH, wrap } from '../../../lib/render/email.ts';
import { FOLLOW_UP_TASK_IDS, followUpAlert, hostileAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';

const TASK_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/77ea7336e48e3a4e63c55244182d37c0/configuration?region=us-west-2';
const SERVICE_URL = 'https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2';
const LOGS_URL =
  'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logsV2:log-groups/log-group/$252Fecs$252Forders-api/log-events/ecs$252Forders-api$252F77ea7336e48e3a4e63c55244182d37c0';
const DOCS_URL = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html';

describe('renderEmail', () => {
  it('writes the sample OOM alert as this email', () => {
    const { subject, text } = renderEmail(sampleAlert());

    expect(subject).toBe('[WARNING] OOM: service orders-api (prod) - container orders-api killed for using too much memory');
    expect(text).toBe(`[WARNING] OOM: service orders-api (prod) – container orders-api killed for using too much memory

Task 77ea7336 of service orders-api stopped: container orders-api used more
memory than its limit and was killed (exit 137).

Why: The container used more memory than its hard limit and the kernel
killed it (OutOfMemoryError) (container "orders-api").

What to do: Raise the container or task memory, or find the leak; size JVM
or Node heaps below the limit.

Details
  Account             111122223333
  Region              us-west-2
  Cluster             prod
  Service             orders-api
  Task                77ea7336e48e3a4e63c55244182d37c0
  Task definition     orders-api:212
  Deployment          ecs-svc/9571171551795520066
  Stop code           EssentialContainerExited
  Reason              Essential container in task exited
  Time                2025-03-14 09:26:51 UTC

Containers
  orders-api (essential): exit 137 — Killed for using more memory than its
    limit (OutOfMemoryError)
    Reason: OutOfMemoryError: Container killed due to memory usage
  envoy (non-essential): exit 143 — Shut down cleanly on ECS's stop signal
    (SIGTERM)

Links
  Task                ${TASK_URL}
  Service             ${SERVICE_URL}
  Logs (orders-api)   ${LOGS_URL}
  Docs                ${DOCS_URL}

Alert key: 111122223333|us-west-2|prod|service:orders-api|oom
Message id: b3a2f0d6c1e94f58a7d2c4e6f8a0b1c2
Sent by ecs-incident-notifier through Amazon SNS.
Replies to this email are not read.
`);
  });

  it('wraps every line but the headline and the links at the wrap width', () => {
    const lines = renderEmail(followUpAlert()).text.split('\n');

    const long = lines.slice(1).filter((line) => line.length > WRAP_WIDTH && !line.includes('https://'));
    expect(long).toEqual([]);
  });

  it('lists the number of events, their time span and every task id for a follow-up', () => {
    const { subject, text } = renderEmail(followUpAlert());

    expect(subject).toBe('[WARNING] OOM: service orders-api (prod) - 7 more tasks in 5 min');
    expect(text).toContain(`  Events              7 from 2025-03-14 09:26:51 to 09:31:40 UTC (grouped
                      over 5 minutes)
  Tasks               ${FOLLOW_UP_TASK_IDS[0]}
                      ${FOLLOW_UP_TASK_IDS[1]}
`);
    for (const id of FOLLOW_UP_TASK_IDS) expect(text).toContain(`  ${id}\n`);
    expect(text).not.toContain('  Task   ');
    expect(text).not.toContain('  Time   ');
  });

  it('says RESOLVED first, when the group started firing and when it ended, without a remedy, for a resolved notice', () => {
    const { subject, text } = renderEmail(resolvedAlert());

    expect(subject).toBe('[RESOLVED] OOM - service orders-api (prod)');
    expect(text.split('\n')[0]).toBe('[RESOLVED] OOM – service orders-api (prod)');
    expect(text).toContain(`  Resolved at         2025-03-14 10:01:40 UTC
  First fired         2025-03-14 09:26:51 UTC (8 events in all)
`);
    expect(text).not.toContain('What to do:');
    expect(text).not.toContain('  Events ');
  });

  it('adds RESOLVED to a resolved title that does not say it', () => {
    expect(renderEmail(resolvedAlert({ title: 'OOM – service orders-api (prod) is fine again' })).subject).toBe(
      '[RESOLVED] OOM - service orders-api (prod) is fine again',
    );
  });

  it('keeps the "Still firing:" of a repeat after the severity in the subject', () => {
    const alert = sampleAlert({ kind: 'repeat', title: 'Still firing: OOM – service orders-api (prod)' });

    expect(renderEmail(alert).subject).toBe('[WARNING] Still firing: OOM - service orders-api (prod)');
  });

  it('prints no line for a missing fact and no empty section', () => {
    const alert = sampleAlert();
    alert.facts = { ...alert.facts, account: null, deploymentId: null, stopCode: null, reason: null, taskDefinition: '', containers: [] };
    alert.links = { ...alert.links, task: null, service: null };

    const { text } = renderEmail(alert);

    expect(text).not.toMatch(/Account|Deployment|Stop code|Reason|Task definition|Containers|Service {2,}https/);
    expect(text).not.toMatch(/\n\n\n/);
    expect(text).not.toMatch(/[ \t]\n/);
    expect(text).toContain(`Links
  Docs                ${DOCS_URL}
`);
  });

  it('says some facts or links may be missing when the alert could not be enriched', () => {
    expect(renderEmail(sampleAlert({ enriched: false })).text).toContain(
      '  Some facts or links may be missing: the ECS API did not answer a lookup\n  (task definition, service or instance).\n',
    );
  });

  it('shows control characters and bidi overrides from a stopped reason as visible escapes, on one line', () => {
    const { text } = renderEmail(hostileAlert());

    expect(text).toContain(`  Reason              <!channel> @here click <https://evil.example|here> &
                      \\u001b[2J\\u202egnp.exe\\u202c next line
`);
    // eslint-disable-next-line no-control-regex -- the absence of control characters is what is tested
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
  });

  it('cuts a 5,000-character reason at 1,000 characters with an ellipsis', () => {
    const alert = sampleAlert();
    alert.facts.reason = 'x'.repeat(5000);

    const { text } = renderEmail(alert);

    expect(text).toContain(`  Reason              ${'x'.repeat(999)}…\n`);
  });

  it('cuts a very long title on a word boundary with ... and keeps the subject under 100 ASCII characters', () => {
    const title = 'Deployment failed: service checkout-payments-reconciliation-worker (production-eu-central) rolled back after the circuit breaker tripped';

    const { subject } = renderEmail(sampleAlert({ severity: 'critical', title }));

    expect(subject).toBe('[CRITICAL] Deployment failed: service checkout-payments-reconciliation-worker...');
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });

  it('cuts a title that is one long word where it must', () => {
    const { subject } = renderEmail(sampleAlert({ title: 'a'.repeat(300) }));

    expect(subject).toBe(`[WARNING] ${'a'.repeat(86)}...`);
    expect(subject).toHaveLength(MAX_SUBJECT_LENGTH);
  });

  it('transliterates or drops non-ASCII characters and line breaks in the subject', () => {
    const title = 'Tâche arrêtée – can’t pull “café” image…\nsecond line\u0007 画像 ｆｕｌｌ ß';

    const { subject } = renderEmail(sampleAlert({ severity: 'info', title }));

    expect(subject).toBe('[INFO] Tache arretee - can\'t pull "cafe" image... second line full ss');
    expect(subject).toMatch(/^[\x20-\x7e]+$/u);
  });

  it('falls back to a plain subject when nothing of the title is ASCII', () => {
    expect(renderEmail(sampleAlert({ title: '画像 🚀' })).subject).toBe('[WARNING] ECS alert');
  });
});

describe('toAscii', () => {
  it('keeps printable ASCII as it is', () => {
    expect(toAscii('OOM: service a-b_c (prod) [x] {y} #1 ~ ok!')).toBe('OOM: service a-b_c (prod) [x] {y} #1 ~ ok!');
  });
});

describe('wrap', () => {
  it('puts a word longer than the line on a line of its own instead of breaking it', () => {
    const url = `https://example.com/${'a'.repeat(100)}`;

    expect(wrap(`see ${url} now`, '  ', '  ')).toEqual(['  see', `  ${url}`, '  now']);
  });
});
