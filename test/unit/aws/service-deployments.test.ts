import {
  AccessDeniedException,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type DescribeServiceDeploymentsCommandOutput,
  type ListServiceDeploymentsCommandOutput,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ecsServiceDeploymentLookup, serviceDeploymentAt, serviceDeploymentFacts, type ServiceDeploymentFields } from '../../../lib/aws/service-deployments.ts';
import { ecsClientAnswering, recordedBody } from '../../support/api-responses.ts';

/** A recorded body as the SDK hands it over: ECS's `…At` timestamps (epoch seconds on the wire) as Dates. */
function sdkShaped<T>(path: string): T {
  return { ...(JSON.parse(recordedBody(path), (key, value: unknown) => (key.endsWith('At') && typeof value === 'number' ? new Date(value * 1_000) : value)) as object), $metadata: {} } as T;
}

const listed = (): ListServiceDeploymentsCommandOutput => sdkShaped('list-service-deployments/shop-prod-checkout.json');
const described = (variant: string): DescribeServiceDeploymentsCommandOutput => sdkShaped(`describe-service-deployments/${variant}.json`);

function mockedEcs() {
  const client = new ECSClient({ region: 'eu-west-1' });
  return { client, ecs: mockClient(client) };
}

const FAILED_DEPLOYMENT = 'arn:aws:ecs:eu-west-1:111122223333:service-deployment/shop-prod/checkout/hT3kQ9vLmW2xRb7YpZ4nA';
const PREVIOUS_DEPLOYMENT = 'arn:aws:ecs:eu-west-1:111122223333:service-deployment/shop-prod/checkout/Ue8sJ1cK0dF5gH6jL2mN3';
const ROLLBACK_EVENT_TIME = '2025-09-16T10:04:31Z';

/** What the recordings of events/api say of checkout's failed deployment, at the moment its rollback started. */
const CHECKOUT_ROLLBACK = {
  serviceDeploymentArn: FAILED_DEPLOYMENT,
  serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/shop-prod/checkout',
  clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/shop-prod',
  status: 'ROLLBACK_IN_PROGRESS',
  statusReason: 'ECS deployment circuit breaker: task failed to start.',
  lifecycleStage: null,
  rollback: {
    reason: 'The circuit breaker initiated the rollback operation.',
    startedAt: '2025-09-16T10:04:30.131Z',
    serviceRevisionArn: 'arn:aws:ecs:eu-west-1:111122223333:service-revision/shop-prod/checkout/3395716208841263307',
  },
  hooks: [],
  targetServiceRevisionArn: 'arn:aws:ecs:eu-west-1:111122223333:service-revision/shop-prod/checkout/8120443906125780512',
  createdAt: '2025-09-16T09:59:59.207Z',
  startedAt: '2025-09-16T10:00:00.084Z',
  finishedAt: null,
  stoppedAt: null,
  updatedAt: '2025-09-16T10:04:30.131Z',
};

afterEach(() => {
  vi.useRealTimers();
});

describe('ecsServiceDeploymentLookup', () => {
  it('finds the deployment the event is about among the service’s deployments and reads its rollback from the recorded responses', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(ListServiceDeploymentsCommand).resolves(listed());
    ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [FAILED_DEPLOYMENT] }).resolves(described('checkout-rollback-in-progress'));

    const facts = await ecsServiceDeploymentLookup(client)('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME);

    expect(facts).toEqual(CHECKOUT_ROLLBACK);
    // Fifteen days back from the event: a pause hook may hold a deployment for up to 14 days.
    expect(ecs).toHaveReceivedCommandWith(ListServiceDeploymentsCommand, {
      cluster: 'shop-prod',
      service: 'checkout',
      createdAt: { after: new Date('2025-09-01T10:04:31Z'), before: new Date(ROLLBACK_EVENT_TIME) },
      maxResults: 100,
    });
    expect(ecs).toHaveReceivedCommandWith(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [FAILED_DEPLOYMENT] });
  });

  it('reads the recorded wire bodies through the SDK’s own deserializer the same way', async () => {
    const client = ecsClientAnswering(
      { ListServiceDeployments: 'list-service-deployments/shop-prod-checkout.json', DescribeServiceDeployments: 'describe-service-deployments/checkout-rollback-in-progress.json' },
      'eu-west-1',
    );
    expect(await ecsServiceDeploymentLookup(client)('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME)).toEqual(CHECKOUT_ROLLBACK);
  });

  it('reads the hooks of the API reference’s deployment paused at a lifecycle hook', async () => {
    const { client, ecs } = mockedEcs();
    const arn = 'arn:aws:ecs:us-west-2:123456789012:service-deployment/my-cluster/my-service/xyz789ABC123';
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: arn, status: 'IN_PROGRESS' }], $metadata: {} });
    ecs.on(DescribeServiceDeploymentsCommand).resolves(described('my-service-paused-hook'));

    const facts = await ecsServiceDeploymentLookup(client)('my-cluster', 'my-service', 'ecs-svc/1234567890123456789', '2026-05-06T16:05:00Z');

    expect(facts).toMatchObject({
      status: 'IN_PROGRESS',
      rollback: null,
      hooks: [{ hookId: 'ecs-pause-Xk7rT2mP9sLwQn4vB8fYd3hJ6gA1cE5iO0uR_ZpWq', targetType: 'PAUSE', targetArn: null, status: 'AWAITING_ACTION', expiresAt: '2026-05-06T16:03:00.000Z', timeoutAction: 'ROLLBACK' }],
      updatedAt: '2026-05-06T16:05:00.000Z',
    });
  });

  it('reads every page of a long deployment history', async () => {
    const { client, ecs } = mockedEcs();
    const [failed, previous] = listed().serviceDeployments ?? [];
    ecs
      .on(ListServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [previous!], nextToken: 'page-2', $metadata: {} })
      .resolvesOnce({ serviceDeployments: [failed!], $metadata: {} });
    ecs.on(DescribeServiceDeploymentsCommand).resolves(described('checkout-rollback-in-progress'));

    expect(await ecsServiceDeploymentLookup(client)('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME)).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS' });
    expect(ecs).toHaveReceivedNthCommandWith(ListServiceDeploymentsCommand, 2, { nextToken: 'page-2' });
  });

  it('resolves null without describing anything when the service has no deployment before the event', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [], $metadata: {} });

    expect(await ecsServiceDeploymentLookup(client)('shop-prod', 'checkout', 'ecs-svc/1', ROLLBACK_EVENT_TIME)).toBeNull();
    expect(ecs).toHaveReceivedCommandTimes(DescribeServiceDeploymentsCommand, 0);
  });

  it('resolves null, and asks again next time, when ECS reports the deployment MISSING (a revision from before October 2024)', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(ListServiceDeploymentsCommand).resolves(listed());
    ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [], failures: [{ arn: FAILED_DEPLOYMENT, reason: 'MISSING' }], $metadata: {} })
      .resolves(described('checkout-rollback-in-progress'));
    const lookup = ecsServiceDeploymentLookup(client);

    expect(await lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME)).toBeNull();
    expect(await lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME)).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS' });
  });

  it('resolves null when the role may not list or describe service deployments', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(ListServiceDeploymentsCommand).rejects(
      new AccessDeniedException({ $metadata: { httpStatusCode: 400 }, message: 'User: arn:aws:sts::111122223333:assumed-role/notifier/fn is not authorized to perform: ecs:ListServiceDeployments' }),
    );
    expect(await ecsServiceDeploymentLookup(client)('shop-prod', 'checkout', 'ecs-svc/1', ROLLBACK_EVENT_TIME)).toBeNull();
    // Over the wire: the recorded list, then an AccessDeniedException for DescribeServiceDeployments.
    const wire = ecsClientAnswering({ ListServiceDeployments: 'list-service-deployments/shop-prod-checkout.json' }, 'eu-west-1');
    expect(await ecsServiceDeploymentLookup(wire)('shop-prod', 'checkout', 'ecs-svc/1', ROLLBACK_EVENT_TIME)).toBeNull();
  });

  it('resolves null when ECS does not answer within the deadline, both calls counted', async () => {
    vi.useFakeTimers();
    const { client, ecs } = mockedEcs();
    ecs.on(ListServiceDeploymentsCommand).resolves(listed());
    ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => new Promise(() => undefined));

    const answer = ecsServiceDeploymentLookup(client, { timeoutMs: 3_000, clock: () => 0 })('shop-prod', 'checkout', 'ecs-svc/1', ROLLBACK_EVENT_TIME);
    await vi.advanceTimersByTimeAsync(3_000);

    expect(await answer).toBeNull();
  });

  it('calls ECS once per deployment within the TTL, concurrent or not, and again after it', async () => {
    const { client, ecs } = mockedEcs();
    ecs.on(ListServiceDeploymentsCommand).resolves(listed());
    ecs.on(DescribeServiceDeploymentsCommand).resolves(described('checkout-rollback-in-progress'));
    let now = 0;
    const lookup = ecsServiceDeploymentLookup(client, { ttlMs: 30_000, clock: () => now });

    await Promise.all([lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME), lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME)]);
    now = 29_999;
    await lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME);
    expect(ecs).toHaveReceivedCommandTimes(DescribeServiceDeploymentsCommand, 1);

    now = 30_000;
    await lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', ROLLBACK_EVENT_TIME);
    expect(ecs).toHaveReceivedCommandTimes(DescribeServiceDeploymentsCommand, 2);
  });
});

describe('serviceDeploymentAt', () => {
  const brief = (id: string, createdAt?: number) => ({ serviceDeploymentArn: `arn:aws:ecs:eu-west-1:111122223333:service-deployment/shop-prod/checkout/${id}`, status: 'SUCCESSFUL' as const, ...(createdAt === undefined ? {} : { createdAt }) });

  it('takes the deployment created last at or before the event, whatever the order of the list', () => {
    const at = '2025-09-16T10:04:31Z';
    const before = Date.parse(at) / 1_000;
    expect(serviceDeploymentAt([brief('old', before - 3_600), brief('failed', before - 271), brief('later', before + 60)], at)).toBe(brief('failed').serviceDeploymentArn);
    expect(serviceDeploymentAt([brief('later', before + 60)], at)).toBeNull();
    expect(serviceDeploymentAt(listed().serviceDeployments ?? [], at)).toBe(FAILED_DEPLOYMENT);
    expect(serviceDeploymentAt(listed().serviceDeployments ?? [], '2025-09-16T08:00:00Z')).toBe(PREVIOUS_DEPLOYMENT);
  });

  it('takes a deployment without times only when it is the only one', () => {
    expect(serviceDeploymentAt([brief('only')], '2025-09-16T10:04:31Z')).toBe(brief('only').serviceDeploymentArn);
    expect(serviceDeploymentAt([brief('a'), brief('b')], '2025-09-16T10:04:31Z')).toBeNull();
    expect(serviceDeploymentAt([], '2025-09-16T10:04:31Z')).toBeNull();
  });
});

describe('serviceDeploymentFacts', () => {
  it('reads the recorded wire body (epoch seconds) as it reads the SDK output (Dates)', () => {
    const wire = JSON.parse(recordedBody('describe-service-deployments/checkout-rollback-in-progress.json')) as { serviceDeployments: ServiceDeploymentFields[] };
    expect(serviceDeploymentFacts(wire.serviceDeployments[0])).toEqual(CHECKOUT_ROLLBACK);
    expect(serviceDeploymentFacts(described('checkout-rollback-in-progress').serviceDeployments?.[0])).toEqual(CHECKOUT_ROLLBACK);
  });

  it('gives nothing for an entry without its ARN or status, and keeps at most 20 hooks', () => {
    expect(serviceDeploymentFacts({ status: 'ROLLBACK_FAILED' })).toBeNull();
    expect(serviceDeploymentFacts({ serviceDeploymentArn: FAILED_DEPLOYMENT })).toBeNull();
    expect(serviceDeploymentFacts(undefined)).toBeNull();
    const hooks = Array.from({ length: 25 }, (_, index) => ({ hookId: `step-${index}`, targetType: 'PAUSE' as const, status: 'SUCCEEDED' as const }));
    expect(serviceDeploymentFacts({ serviceDeploymentArn: FAILED_DEPLOYMENT, status: 'SUCCESSFUL', lifecycleHookDetails: hooks })?.hooks).toHaveLength(20);
  });
});
