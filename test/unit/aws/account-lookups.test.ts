import { ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { accountLookups, ecsLookups, originOf, partitionOfRegion, UNAVAILABLE_LOOKUPS, type AccountLookupsOptions, type EcsLookups } from '../../../lib/aws/account-lookups.ts';
import { cachedRoleCredentials, type AssumeRoleRequest, type TemporaryCredentials } from '../../../lib/aws/role-credentials.ts';
import { AssumeRoleError } from '../../../lib/errors.ts';
import { createLogger } from '../../../lib/log.ts';
import { ecsClientAnswering, recordedBody } from '../../support/api-responses.ts';

const MONITOR = { account: '111122223333', region: 'eu-west-1' };
const MEMBER = '222222222222';
const OWN_KEY = 'AKIAMONITOREXAMPLE';
const ROLE_NAME = 'ecs-incident-notifier-lookup';
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/${ROLE_NAME}`;

/** One ECS request as it left the SDK: where it went, what it asked, and how it was signed. */
interface SignedRequest {
  operation: string;
  /** The access key id and Region of the SigV4 credential scope. */
  accessKeyId: string | null;
  scopeRegion: string | null;
  securityToken: string | null;
}

/**
 * Builds real ECS clients, as `regionalEcsClient` does, whose HTTP layer records each signed request and answers it
 * with the recordings of the account whose credentials signed it (an access key it does not know is refused, as ECS
 * refuses a role without the permission).
 */
function signingEcs(recordingsByKey: Record<string, Partial<Record<string, string>>>) {
  const requests: SignedRequest[] = [];
  const built: { region: string; credentials: (() => Promise<TemporaryCredentials>) | undefined }[] = [];
  const ecsClient = (region: string, credentials?: () => Promise<TemporaryCredentials>): ECSClient => {
    built.push({ region, credentials });
    return new ECSClient({
      region,
      credentials: credentials ?? { accessKeyId: OWN_KEY, secretAccessKey: 'monitor-secret' },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: { headers: Record<string, string> }) => {
          const target = request.headers['x-amz-target'] ?? '';
          const operation = target.slice(target.indexOf('.') + 1);
          const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ecs\/aws4_request/.exec(request.headers.authorization ?? '');
          const signed = { operation, accessKeyId: scope?.[1] ?? null, scopeRegion: scope?.[2] ?? null, securityToken: request.headers['x-amz-security-token'] ?? null };
          requests.push(signed);
          const path = recordingsByKey[signed.accessKeyId ?? '']?.[operation];
          return {
            response: {
              statusCode: path === undefined ? 400 : 200,
              headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b1a1c2d3-0000-4000-8000-000000000000' },
              body: new TextEncoder().encode(path === undefined ? JSON.stringify({ __type: 'AccessDeniedException', message: `not authorized to perform: ecs:${operation}` }) : recordedBody(path)),
            },
          };
        },
      },
    });
  };
  return { ecsClient, requests, built };
}

const MEMBER_RECORDINGS = {
  DescribeServices: 'describe-services/thumbnailer-222222222222.json',
  DescribeTaskDefinition: 'describe-task-definition/thumbnailer-7-222222222222.json',
};
const MONITOR_RECORDINGS = { DescribeServices: 'describe-services/thumbnailer.json', DescribeTaskDefinition: 'describe-task-definition/orders-api-212.json' };

/** An STS that issues credentials for an hour, or refuses as told; it records each request. */
function fakeSts(refuse: () => boolean = () => false) {
  const requests: AssumeRoleRequest[] = [];
  const roleCredentials = cachedRoleCredentials({
    assumeRole: async (request) => {
      requests.push(request);
      if (refuse()) throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`), { name: 'AccessDenied' });
      return { accessKeyId: 'ASIAMEMBEREXAMPLE', secretAccessKey: 'member-secret', sessionToken: 'member-session-token', expiration: new Date(Date.now() + 3_600_000) };
    },
    sessionName: 'ecs-incident-notifier-111122223333',
    externalId: null,
  });
  return { requests, roleCredentials };
}

function setUp(overrides: Partial<AccountLookupsOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const sts = fakeSts();
  const ecs = signingEcs({ [OWN_KEY]: MONITOR_RECORDINGS, ASIAMEMBEREXAMPLE: MEMBER_RECORDINGS });
  const own = ecsLookups(ecsClientAnswering(MONITOR_RECORDINGS, MONITOR.region));
  const lookupsFor = accountLookups({
    monitor: MONITOR,
    own,
    memberRoleName: ROLE_NAME,
    roleCredentials: sts.roleCredentials,
    ecsClient: ecs.ecsClient,
    logger: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    ...overrides,
  });
  return { lookupsFor, own, sts, ecs, lines };
}

const memberOrigin = (region = 'us-west-2', partition: string | null = 'aws') => ({ account: MEMBER, region, partition });

describe('accountLookups', () => {
  it("looks a member account's service up in that account and Region, signed with the assumed role's credentials", async () => {
    const { lookupsFor, sts, ecs } = setUp();

    const snapshot = await lookupsFor(memberOrigin()).services('prod', 'thumbnailer');

    expect(snapshot).toMatchObject({ serviceArn: 'arn:aws:ecs:us-west-2:222222222222:service/prod/thumbnailer', runningCount: 3, desiredCount: 4 });
    expect(sts.requests.map((request) => request.roleArn)).toEqual([MEMBER_ROLE]);
    expect(ecs.requests).toEqual([{ operation: 'DescribeServices', accessKeyId: 'ASIAMEMBEREXAMPLE', scopeRegion: 'us-west-2', securityToken: 'member-session-token' }]);
  });

  it("finds and describes a member account's service deployment in that account and Region, with the assumed role's credentials", async () => {
    const deployments = { ListServiceDeployments: 'list-service-deployments/shop-prod-checkout.json', DescribeServiceDeployments: 'describe-service-deployments/checkout-rollback-in-progress.json' };
    const { lookupsFor, sts } = setUp();
    const ecs = signingEcs({ ASIAMEMBEREXAMPLE: deployments });
    const lookups = accountLookups({ monitor: MONITOR, own: UNAVAILABLE_LOOKUPS, memberRoleName: ROLE_NAME, roleCredentials: fakeSts().roleCredentials, ecsClient: ecs.ecsClient, logger: createLogger(() => undefined) });

    const facts = await lookups(memberOrigin()).serviceDeployments('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', '2025-09-16T10:04:31Z');

    expect(facts).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS', rollback: { reason: 'The circuit breaker initiated the rollback operation.' } });
    expect(ecs.requests).toEqual([
      { operation: 'ListServiceDeployments', accessKeyId: 'ASIAMEMBEREXAMPLE', scopeRegion: 'us-west-2', securityToken: 'member-session-token' },
      { operation: 'DescribeServiceDeployments', accessKeyId: 'ASIAMEMBEREXAMPLE', scopeRegion: 'us-west-2', securityToken: 'member-session-token' },
    ]);
    // A role without the permission (the recordings of the default set-up have none): no answer, never an error.
    expect(await lookupsFor(memberOrigin()).serviceDeployments('shop-prod', 'checkout', 'ecs-svc/1', '2025-09-16T10:04:31Z')).toBeNull();
    expect(sts.requests.map((request) => request.roleArn)).toEqual([MEMBER_ROLE]);
  });

  it('looks up task definitions in the member account too, with the credentials it already has', async () => {
    const { lookupsFor, sts, ecs } = setUp();
    const lookups = lookupsFor(memberOrigin());

    await lookups.services('prod', 'thumbnailer');
    const definition = await lookups.taskDefinitions('arn:aws:ecs:us-west-2:222222222222:task-definition/thumbnailer:7');

    expect(definition).toMatchObject({ family: 'thumbnailer', revision: 7 });
    expect(sts.requests).toHaveLength(1);
    expect(ecs.requests.map((request) => [request.operation, request.accessKeyId])).toEqual([
      ['DescribeServices', 'ASIAMEMBEREXAMPLE'],
      ['DescribeTaskDefinition', 'ASIAMEMBEREXAMPLE'],
    ]);
  });

  it('builds one client per account and Region, and shares the role credentials among the Regions of an account', async () => {
    const { lookupsFor, sts, ecs } = setUp();

    const first = lookupsFor(memberOrigin());
    expect(lookupsFor(memberOrigin())).toBe(first);
    await first.services('prod', 'thumbnailer');
    await lookupsFor(memberOrigin('eu-central-1')).services('prod', 'thumbnailer');

    expect(ecs.built.map((client) => client.region)).toEqual(['us-west-2', 'eu-central-1']);
    expect(ecs.requests.map((request) => request.scopeRegion)).toEqual(['us-west-2', 'eu-central-1']);
    expect(sts.requests).toHaveLength(1);
  });

  it("uses the function's own lookups for the monitor's own account and Region, without STS", async () => {
    const { lookupsFor, own, sts, ecs } = setUp();
    expect(lookupsFor({ account: MONITOR.account, region: MONITOR.region, partition: 'aws' })).toBe(own);
    expect(lookupsFor({ account: null, region: null, partition: null })).toBe(own);
    expect(ecs.built).toEqual([]);
    expect(sts.requests).toEqual([]);
  });

  it("looks the monitor's own account up in another Region with the function's own credentials, without STS", async () => {
    const { lookupsFor, sts, ecs } = setUp();

    const snapshot = await lookupsFor({ account: MONITOR.account, region: 'us-west-2', partition: 'aws' }).services('prod', 'thumbnailer');

    expect(snapshot).toMatchObject({ serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/prod/thumbnailer' });
    expect(ecs.built).toEqual([{ region: 'us-west-2', credentials: undefined }]);
    expect(ecs.requests).toEqual([{ operation: 'DescribeServices', accessKeyId: OWN_KEY, scopeRegion: 'us-west-2', securityToken: null }]);
    expect(sts.requests).toEqual([]);
  });

  it("names the role in the event's partition, or in the monitor's when the event's ARNs do not say", async () => {
    const cases: [ReturnType<typeof memberOrigin>, { region: string }, string][] = [
      [memberOrigin('cn-north-1', 'aws-cn'), MONITOR, `arn:aws-cn:iam::${MEMBER}:role/${ROLE_NAME}`],
      [memberOrigin('us-gov-west-1', null), { region: 'us-gov-east-1' }, `arn:aws-us-gov:iam::${MEMBER}:role/${ROLE_NAME}`],
      [memberOrigin('us-west-2', null), MONITOR, MEMBER_ROLE],
    ];
    for (const [origin, monitor, roleArn] of cases) {
      const { lookupsFor, sts } = setUp({ monitor: { account: MONITOR.account, region: monitor.region } });
      await lookupsFor(origin).services('prod', 'thumbnailer');
      expect(sts.requests.map((request) => request.roleArn)).toEqual([roleArn]);
    }
  });

  it('answers nothing for a member account when no role is configured, and says so once per account', async () => {
    const { lookupsFor, sts, ecs, lines } = setUp({ memberRoleName: null });

    const lookups = lookupsFor(memberOrigin());
    expect(lookups).toBe(UNAVAILABLE_LOOKUPS);
    expect(await lookups.services('prod', 'thumbnailer')).toBeNull();
    expect(await lookups.serviceDeployments('prod', 'thumbnailer', 'ecs-svc/1', '2025-03-14T11:05:00Z')).toBeNull();
    lookupsFor(memberOrigin());
    lookupsFor(memberOrigin('eu-central-1'));
    lookupsFor({ account: '444455556666', region: 'us-west-2', partition: 'aws' });

    expect(lines).toEqual([
      { level: 'warn', message: 'member account not enriched: no lookup role configured (MEMBER_LOOKUP_ROLE_NAME)', account: MEMBER, region: 'us-west-2' },
      { level: 'warn', message: 'member account not enriched: no lookup role configured (MEMBER_LOOKUP_ROLE_NAME)', account: '444455556666', region: 'us-west-2' },
    ]);
    expect(ecs.built).toEqual([]);
    expect(sts.requests).toEqual([]);
  });

  it('still looks up the monitor’s own account in other Regions when no role is configured', async () => {
    const { lookupsFor, lines } = setUp({ memberRoleName: null });
    expect(await lookupsFor({ account: MONITOR.account, region: 'us-west-2', partition: 'aws' }).services('prod', 'thumbnailer')).not.toBeNull();
    expect(lines).toEqual([]);
  });

  it('answers nothing for an origin that is not an account id and a Region, builds no client for it, and says so once', async () => {
    const { lookupsFor, ecs, sts, lines } = setUp();
    for (const origin of [
      { account: 'not-an-account', region: 'us-west-2', partition: 'aws' },
      { account: 'not-an-account', region: 'us-west-2', partition: 'aws' },
      { account: MEMBER, region: 'evil.example.com/', partition: 'aws' },
    ]) {
      expect(lookupsFor(origin)).toBe(UNAVAILABLE_LOOKUPS);
    }
    expect(lines.map((line) => [line.message, line.account, line.region])).toEqual([
      ['event origin not enriched: not an account id and a Region', 'not-an-account', 'us-west-2'],
      ['event origin not enriched: not an account id and a Region', MEMBER, 'evil.example.com/'],
    ]);
    expect([ecs.built, sts.requests]).toEqual([[], []]);
  });

  it('answers nothing when the role cannot be assumed, logs why, and assumes it again at the next lookup', async () => {
    let refusing = true;
    const sts = fakeSts(() => refusing);
    const { lookupsFor, ecs, lines } = setUp({ roleCredentials: sts.roleCredentials });
    const lookups = lookupsFor(memberOrigin());

    expect(await lookups.services('prod', 'thumbnailer')).toBeNull();
    refusing = false;
    expect(await lookups.services('prod', 'thumbnailer')).toMatchObject({ runningCount: 3 });

    expect(sts.requests).toHaveLength(2);
    expect(ecs.requests.map((request) => request.accessKeyId)).toEqual(['ASIAMEMBEREXAMPLE']);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'member lookup role not assumed',
        account: MEMBER,
        region: 'us-west-2',
        roleArn: MEMBER_ROLE,
        errorName: 'AssumeRoleError',
        errorMessage: `could not assume role ${MEMBER_ROLE}: STS refused or failed`,
        cause: { errorName: 'AccessDenied', errorMessage: `User is not authorized to perform: sts:AssumeRole on resource: ${MEMBER_ROLE}` },
      },
    ]);
  });

  it('counts a silent STS within the lookup’s own deadline', async () => {
    const { lookupsFor, ecs } = setUp({ roleCredentials: () => new Promise<TemporaryCredentials>(() => undefined), timeoutMs: 50 });
    const started = Date.now();
    expect(await lookupsFor(memberOrigin()).services('prod', 'thumbnailer')).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ecs.requests).toEqual([]);
  });

  it('logs an AssumeRole that timed out the same way, and answers nothing', async () => {
    const { lookupsFor, lines } = setUp({ roleCredentials: () => Promise.reject(new AssumeRoleError(MEMBER_ROLE, 'STS did not answer within 2500 ms')) });
    expect(await lookupsFor(memberOrigin()).taskDefinitions('arn:aws:ecs:us-west-2:222222222222:task-definition/thumbnailer:7')).toBeNull();
    expect(lines).toEqual([expect.objectContaining({ message: 'member lookup role not assumed', errorMessage: `could not assume role ${MEMBER_ROLE}: STS did not answer within 2500 ms` })]);
  });
});

describe('UNAVAILABLE_LOOKUPS', () => {
  it('answers every lookup with null, as a failed lookup does', async () => {
    const lookups: EcsLookups = UNAVAILABLE_LOOKUPS;
    expect(await Promise.all([lookups.taskDefinitions('arn'), lookups.services('prod', 'api'), lookups.instances('i-0b1c2d3e4f5a6b7c8', []), lookups.tasks('prod', ['arn'])])).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('originOf', () => {
  it('reads the account and Region of the envelope and the partition of its first ARN', () => {
    expect(originOf({ account: MEMBER, region: 'cn-north-1', resources: ['i-0b1c2d3e4f5a6b7c8', `arn:aws-cn:ecs:cn-north-1:${MEMBER}:task/prod/4b7e2f9c1d3a5e8b0c6f2a4d8e1b3c5f`] })).toEqual({
      account: MEMBER,
      region: 'cn-north-1',
      partition: 'aws-cn',
    });
    expect(originOf({ account: MEMBER, region: 'us-east-2', resources: ['arn:aws:ec2:us-east-2a:instance/i-1234567890abcdef0'] }).partition).toBe('aws');
  });

  it('leaves the partition unknown when no resource is an ARN of a partition', () => {
    expect(originOf({ account: null, region: null, resources: ['i-0b1c2d3e4f5a6b7c8', 'arn:notapartition:ecs:us-west-2:1:task/x'] })).toEqual({ account: null, region: null, partition: null });
  });
});

describe('partitionOfRegion', () => {
  it('names the China and GovCloud partitions and aws for the rest', () => {
    expect(['cn-northwest-1', 'us-gov-east-1', 'us-east-1', 'eu-central-2'].map(partitionOfRegion)).toEqual(['aws-cn', 'aws-us-gov', 'aws', 'aws']);
  });
});
