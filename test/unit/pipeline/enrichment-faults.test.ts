import { ECSClient } from '@aws-sdk/client-ecs';
import { STSClient } from '@aws-sdk/client-sts';
// The SDK's standard retry strategy with a configurable backoff (a transitive dependency of every client).
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { alertOnEvent, type AlertingDeps } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { accountLookups, ecsLookups } from '../../../lib/aws/account-lookups.ts';
import { clientConfig } from '../../../lib/aws/clients/config.ts';
import { ecsInstanceLookup, ecsTaskLookup } from '../../../lib/aws/instances.ts';
import { ecsServiceLookup } from '../../../lib/aws/services.ts';
import { cachedRoleCredentials, stsAssumeRole } from '../../../lib/aws/role-credentials.ts';
import { ecsTaskDefinitionLookup } from '../../../lib/aws/task-definitions.ts';
import { handleEvent } from '../../../lib/pipeline/receive.ts';
import { createLogger } from '../../../lib/log.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { ecsClientAnswering } from '../../support/api-responses.ts';
import { deploymentEvent, taskEvent } from '../../support/events.ts';
import { loadFixture } from '../../support/fixtures.ts';

// The ECS API lookups that add facts to alerts (task definitions, DescribeServices, the tasks on an instance, a
// retirement notice's tasks) failing the ways they fail in AWS. The alert must go out all the same, marked not
// enriched. The faults come from the HTTP layer under a real ECS client, so the SDK parses the error bodies and runs
// its own retries, as in Lambda.

type Fault = 'throttled' | 'access denied' | 'timed out (the SDK’s request timeout)' | 'silent (the lookup’s own deadline)';

const FAULTS: readonly Fault[] = ['throttled', 'access denied', 'timed out (the SDK’s request timeout)', 'silent (the lookup’s own deadline)'];

function errorResponse(type: string, message: string): { response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } } {
  return {
    response: {
      statusCode: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fa017000-0000-4000-8000-000000000007' },
      body: new TextEncoder().encode(JSON.stringify({ __type: type, message })),
    },
  };
}

/** A real ECS client whose every call meets the fault, with the SDK's standard retries (backoff cut to milliseconds). */
function faultyEcs(fault: Fault): { client: ECSClient; calls: { count: number } } {
  const calls = { count: 0 };
  const { maxAttempts } = clientConfig();
  const handle = async (): Promise<unknown> => {
    calls.count += 1;
    switch (fault) {
      case 'throttled':
        return errorResponse('ThrottlingException', 'Rate exceeded');
      case 'access denied':
        return errorResponse('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/notifier is not authorized to perform: ecs:DescribeServices');
      case 'timed out (the SDK’s request timeout)':
        // What the Node HTTP handler throws when its requestTimeout passes.
        throw Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
      case 'silent (the lookup’s own deadline)':
        return new Promise(() => undefined);
    }
  };
  const client = new ECSClient({
    region: 'us-west-2',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 1),
    requestHandler: { handle },
  });
  return { client, calls };
}

type Lookup = 'taskDefinitions' | 'services' | 'instances' | 'tasks';

/**
 * The lookup under test over the ECS client (its deadline short: only the silent fault waits for it). The task
 * definition lookup, when it is not the one under test, answers at once, so that whether the alert is enriched
 * depends on the lookup under test alone.
 */
function lookupOver(client: ECSClient, lookup: Lookup): Pick<AlertingDeps, 'taskDefinitions' | 'lookups'> {
  const timeoutMs = 50;
  const answered = async (): Promise<{ containers: [] }> => ({ containers: [] });
  switch (lookup) {
    case 'taskDefinitions':
      return { taskDefinitions: ecsTaskDefinitionLookup(client, { timeoutMs }) };
    case 'services':
      return { taskDefinitions: answered, lookups: { services: ecsServiceLookup(client, { timeoutMs }) } };
    case 'instances':
      return { taskDefinitions: answered, lookups: { instances: ecsInstanceLookup(client, { timeoutMs }) } };
    case 'tasks':
      return { taskDefinitions: answered, lookups: { tasks: ecsTaskLookup(client, { timeoutMs }) } };
  }
}

async function alertsOf(events: Record<string, unknown>[], lookups: Pick<AlertingDeps, 'taskDefinitions' | 'lookups'>): Promise<Alert[]> {
  const sent: Alert[] = [];
  const deps: AlertingDeps = { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING, ...lookups };
  for (const event of events) await alertOnEvent(evaluate(event, 'test'), deps);
  return sent;
}

function deploymentInTrouble(): Record<string, unknown>[] {
  const failed = (minute: number): Record<string, unknown> => ({
    ...taskEvent(
      {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull access denied',
        startedBy: 'ecs-svc/2',
        taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${String(minute).repeat(32)}`,
      },
      [{ name: 'web', reason: 'CannotPullContainerError: pull access denied' }],
    ),
    id: `failed-${minute}`,
    time: `2025-03-14T09:1${minute}:00Z`,
  });
  return [{ ...deploymentEvent({ deploymentId: 'ecs-svc/2' }), id: 'start', time: '2025-03-14T09:10:00Z' }, failed(1), failed(2), failed(3)];
}

interface Case {
  name: string;
  lookup: Lookup;
  events: () => Record<string, unknown>[];
  title: string;
  /** Recorded answers that enrich the same alert when ECS is healthy, to show the flag is the fault's doing. */
  recorded?: Partial<Record<string, string>>;
}

const CASES: readonly Case[] = [
  {
    name: 'a task stop (DescribeTaskDefinition)',
    lookup: 'taskDefinitions',
    events: () => [loadFixture('task/stopped-oom.json')],
    title: 'Out of memory – service orders-api (prod)',
    recorded: { DescribeTaskDefinition: 'describe-task-definition/orders-api-212.json' },
  },
  {
    name: 'a deployment in trouble (DescribeServices)',
    lookup: 'services',
    events: deploymentInTrouble,
    title: 'Deployment in trouble – service api (prod): 3 tasks failed',
  },
  {
    name: 'a Fargate Spot warning (DescribeServices)',
    lookup: 'services',
    events: () => [loadFixture('task/spot-warning-running.json')],
    title: 'Spot interruption warning – service thumbnailer (prod)',
    recorded: { DescribeServices: 'describe-services/thumbnailer.json' },
  },
  {
    name: 'an EC2 Spot warning (ListClusters, ListContainerInstances, ListTasks, DescribeTasks)',
    lookup: 'instances',
    events: () => [loadFixture('ec2/spot-interruption-warning.json')],
    title: 'EC2 Spot interruption warning – instance i-1234567890abcdef0',
  },
  {
    name: 'a container instance draining (ListContainerInstances, ListTasks, DescribeTasks)',
    lookup: 'instances',
    events: () => [loadFixture('container-instance/draining.json')],
    title: 'Container instance draining – instance i-f3a8506b (default)',
    recorded: {
      ListContainerInstances: 'list-container-instances/batch-ec2-i-0b1c2d3e4f5a6b7c8.json',
      ListTasks: 'list-tasks/batch-ec2-7c1e4b2a9d3f4e6a8b0c2d4e6f8a1b3c.json',
      DescribeTasks: 'describe-tasks/batch-ec2-instance-tasks.json',
    },
  },
  {
    name: 'a Fargate task retirement notice (DescribeTasks)',
    lookup: 'tasks',
    events: () => [loadFixture('health/fargate-task-retirement.json')],
    title: 'Fargate task retirement scheduled – cluster examplecluster',
    recorded: { DescribeTasks: 'describe-tasks/examplecluster-retirement-tasks.json' },
  },
];

describe.each(CASES)('$name', ({ lookup, events, title, recorded }) => {
  it.each(FAULTS)('still alerts, marked not enriched, when ECS is %s', async (fault) => {
    const { client, calls } = faultyEcs(fault);

    const sent = await alertsOf(events(), lookupOver(client, lookup));

    expect(sent.map((alert) => [alert.title, alert.enriched])).toEqual([[title, false]]);
    expect(calls.count).toBeGreaterThan(0);
  });

  if (recorded !== undefined) {
    it('is enriched when ECS answers', async () => {
      const sent = await alertsOf(events(), lookupOver(ecsClientAnswering(recorded), lookup));
      expect(sent.map((alert) => [alert.title, alert.enriched])).toEqual([[title, true]]);
    });
  }
});

describe('the SDK under the lookups', () => {
  it('retries a throttled call as often as clientConfig allows, then the lookup answers null', async () => {
    const { client, calls } = faultyEcs('throttled');
    expect(await ecsServiceLookup(client)('prod', 'api')).toBeNull();
    expect(calls.count).toBe(clientConfig().maxAttempts);
  });

  it('does not retry access denied', async () => {
    const { client, calls } = faultyEcs('access denied');
    expect(await ecsTaskDefinitionLookup(client)('arn:aws:ecs:us-west-2:111122223333:task-definition/api:1')).toBeNull();
    expect(calls.count).toBe(1);
  });
});

// A member account's event is looked up with the credentials of a role assumed in that account. STS failing the ways
// it fails in AWS (from the HTTP layer under a real STS client, with the SDK's own retries and error parsing) must
// leave the alert as a failed ECS lookup does: published, marked not enriched, the invocation successful; and the
// next event must ask STS again.

type StsFault = 'throttled' | 'access denied' | 'timed out (the SDK’s request timeout)' | 'silent (the AssumeRole’s own bound)';

const STS_FAULTS: readonly StsFault[] = ['throttled', 'access denied', 'timed out (the SDK’s request timeout)', 'silent (the AssumeRole’s own bound)'];

function xmlResponse(statusCode: number, body: string): { response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } } {
  return { response: { statusCode, headers: { 'content-type': 'text/xml' }, body: new TextEncoder().encode(body) } };
}

function stsError(statusCode: number, code: string, message: string): ReturnType<typeof xmlResponse> {
  return xmlResponse(
    statusCode,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fa017000-0000-4000-8000-000000000008</RequestId></ErrorResponse>`,
  );
}

/** A real STS client meeting `fault` while it is set, and issuing credentials (the documented response shape) after. */
function faultySts(): { client: STSClient; calls: { count: number }; fault: { now: StsFault | null } } {
  const calls = { count: 0 };
  const fault: { now: StsFault | null } = { now: null };
  const { maxAttempts } = clientConfig();
  const handle = async (): Promise<unknown> => {
    calls.count += 1;
    switch (fault.now) {
      case 'throttled':
        return stsError(400, 'Throttling', 'Rate exceeded');
      case 'access denied':
        return stsError(403, 'AccessDenied', 'User: arn:aws:sts::111122223333:assumed-role/notifier/fn is not authorized to perform: sts:AssumeRole');
      case 'timed out (the SDK’s request timeout)':
        throw Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
      case 'silent (the AssumeRole’s own bound)':
        return new Promise(() => undefined);
      case null:
        return xmlResponse(
          200,
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAMEMBEREXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
    }
  };
  const client = new STSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 1),
    requestHandler: { handle },
  });
  return { client, calls, fault };
}

describe('a member account’s alert', () => {
  it.each(STS_FAULTS)('still goes out, marked not enriched, when STS is %s, and the next event asks STS again', async (fault) => {
    const sts = faultySts();
    const sent: Alert[] = [];
    const lookupsFor = accountLookups({
      monitor: { account: '111122223333', region: 'eu-west-1' },
      own: ecsLookups(ecsClientAnswering({})),
      memberRoleName: 'ecs-incident-notifier-lookup',
      roleCredentials: cachedRoleCredentials({ assumeRole: stsAssumeRole(() => sts.client), sessionName: 'ecs-incident-notifier-111122223333', externalId: null, timeoutMs: 50 }),
      // The member's ECS answers those who sign with the member role's key.
      ecsClient: (region, credentials) =>
        ecsClientAnswering(
          { DescribeServices: 'describe-services/thumbnailer-222222222222.json', DescribeTaskDefinition: 'describe-task-definition/thumbnailer-7-222222222222.json' },
          region,
          credentials,
        ),
      logger: createLogger(() => undefined),
      timeoutMs: 200,
    });
    const deps = () => ({ logger: createLogger(() => undefined), alerting: { store: new MemoryStore(), notifier: { publish: async (alert: Alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING }, lookupsFor });
    sts.fault.now = fault;

    const result = await handleEvent(loadFixture('task/spot-warning-member-account.json'), 'test', deps());
    const failedCalls = sts.calls.count;
    sts.fault.now = null;
    await handleEvent(loadFixture('task/spot-warning-member-account.json'), 'test', deps());

    expect(result.decision.outcome).toEqual({ outcome: 'alert' });
    expect(sent.map((alert) => [alert.title, alert.enriched, alert.summary.includes('3 of 4 tasks running')])).toEqual([
      ['Spot interruption warning – service thumbnailer (prod)', false, false],
      ['Spot interruption warning – service thumbnailer (prod)', true, true],
    ]);
    expect(failedCalls).toBeGreaterThan(0);
    expect(sts.calls.count).toBe(failedCalls + 1);
  });
});
