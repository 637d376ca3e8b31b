import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { cachedRoleCredentials, stsAssumeRole, type AssumeRole, type AssumeRoleRequest, type TemporaryCredentials } from '../../../lib/aws/role-credentials.ts';
import { AssumeRoleError } from '../../../lib/errors.ts';

const ROLE = 'arn:aws:iam::222222222222:role/ecs-incident-notifier-lookup';
const OTHER_ROLE = 'arn:aws:iam::444455556666:role/ecs-incident-notifier-lookup';
const START = Date.parse('2025-03-14T11:00:00Z');
const HOUR = 3_600_000;

/** A clock the test moves by hand. */
function manualClock(start = START) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

/** An AssumeRole that issues numbered credentials valid for an hour from the clock, and records each request. */
function fakeSts(clock: () => number) {
  const requests: AssumeRoleRequest[] = [];
  const assumeRole: AssumeRole = async (request) => {
    requests.push(request);
    return { accessKeyId: `ASIAEXAMPLE${requests.length}`, secretAccessKey: 'secret', sessionToken: `token-${requests.length}`, expiration: new Date(clock() + HOUR) };
  };
  return { requests, assumeRole };
}

function denied(): STSServiceException {
  return new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `User is not authorized to perform: sts:AssumeRole on resource: ${ROLE}` });
}

describe('cachedRoleCredentials', () => {
  it('reuses credentials until five minutes before they expire, then assumes the role again', async () => {
    const { clock, advance } = manualClock();
    const sts = fakeSts(clock);
    const credentials = cachedRoleCredentials({ assumeRole: sts.assumeRole, sessionName: 'ecs-incident-notifier-111122223333', externalId: null, clock });

    const first = await credentials(ROLE);
    advance(HOUR - 300_001);
    const stillFirst = await credentials(ROLE);
    advance(1);
    const renewed = await credentials(ROLE);

    expect([first.accessKeyId, stillFirst.accessKeyId, renewed.accessKeyId]).toEqual(['ASIAEXAMPLE1', 'ASIAEXAMPLE1', 'ASIAEXAMPLE2']);
    expect(sts.requests).toHaveLength(2);
  });

  it('keeps the margin it is given', async () => {
    const { clock, advance } = manualClock();
    const sts = fakeSts(clock);
    const credentials = cachedRoleCredentials({ assumeRole: sts.assumeRole, sessionName: 's', externalId: null, clock, refreshMarginMs: 60_000 });
    await credentials(ROLE);
    advance(HOUR - 60_001);
    await credentials(ROLE);
    expect(sts.requests).toHaveLength(1);
    advance(1);
    await credentials(ROLE);
    expect(sts.requests).toHaveLength(2);
  });

  it('shares one AssumeRole among concurrent callers, and keeps one set of credentials per role', async () => {
    const { clock } = manualClock();
    const sts = fakeSts(clock);
    const credentials = cachedRoleCredentials({ assumeRole: sts.assumeRole, sessionName: 's', externalId: null, clock });

    const [a, b, other] = await Promise.all([credentials(ROLE), credentials(ROLE), credentials(OTHER_ROLE)]);

    expect(a).toBe(b);
    expect(other.accessKeyId).not.toBe(a.accessKeyId);
    expect(sts.requests.map((request) => request.roleArn)).toEqual([ROLE, OTHER_ROLE]);
  });

  it('asks with the session name and external id it was given', async () => {
    const { clock } = manualClock();
    const sts = fakeSts(clock);
    await cachedRoleCredentials({ assumeRole: sts.assumeRole, sessionName: 'ecs-incident-notifier-111122223333', externalId: 'o-exampleorgid-ecs', clock })(ROLE);
    expect(sts.requests).toEqual([{ roleArn: ROLE, sessionName: 'ecs-incident-notifier-111122223333', externalId: 'o-exampleorgid-ecs', abortSignal: expect.any(AbortSignal) }]);
  });

  it('does not keep a failure: it rejects with the role and STS’s error, and the next call asks again', async () => {
    const { clock } = manualClock();
    const sts = fakeSts(clock);
    let failures = 1;
    const credentials = cachedRoleCredentials({
      assumeRole: async (request) => {
        if (failures-- > 0) throw denied();
        return sts.assumeRole(request);
      },
      sessionName: 's',
      externalId: null,
      clock,
    });

    const failure = await credentials(ROLE).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AssumeRoleError);
    expect(failure).toMatchObject({ roleArn: ROLE, message: `could not assume role ${ROLE}: STS refused or failed`, cause: { name: 'AccessDenied' } });
    expect((await credentials(ROLE)).accessKeyId).toBe('ASIAEXAMPLE1');
  });

  it('gives up on a silent STS after its timeout, aborting the call, and asks again next time', async () => {
    const { clock } = manualClock();
    const signals: AbortSignal[] = [];
    let calls = 0;
    const credentials = cachedRoleCredentials({
      assumeRole: async (request) => {
        calls += 1;
        signals.push(request.abortSignal);
        return calls === 1 ? new Promise<TemporaryCredentials>(() => undefined) : fakeSts(clock).assumeRole(request);
      },
      sessionName: 's',
      externalId: null,
      clock,
      timeoutMs: 20,
    });

    await expect(credentials(ROLE)).rejects.toThrow(new AssumeRoleError(ROLE, 'STS did not answer within 20 ms'));
    expect(signals[0]?.aborted).toBe(true);
    expect((await credentials(ROLE)).accessKeyId).toBe('ASIAEXAMPLE1');
    expect(signals[1]?.aborted).toBe(false);
  });
});

describe('stsAssumeRole', () => {
  function mockedSts() {
    const client = new STSClient({ region: 'eu-west-1' });
    return { client, sts: mockClient(client) };
  }

  const ISSUED = { AccessKeyId: 'ASIAIOSFODNN7EXAMPLE', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY', SessionToken: 'FwoGZXIvYXdzEXAMPLE', Expiration: new Date('2025-03-14T12:05:00Z') };

  it('asks STS for the role with the session name, and the external id when there is one', async () => {
    const { client, sts } = mockedSts();
    sts.on(AssumeRoleCommand).resolves({ Credentials: ISSUED });
    const assume = stsAssumeRole(() => client);
    const abortSignal = new AbortController().signal;

    const withId = await assume({ roleArn: ROLE, sessionName: 'ecs-incident-notifier-111122223333', externalId: 'o-exampleorgid-ecs', abortSignal });
    await assume({ roleArn: ROLE, sessionName: 'ecs-incident-notifier-111122223333', externalId: null, abortSignal });

    expect(withId).toEqual({ accessKeyId: ISSUED.AccessKeyId, secretAccessKey: ISSUED.SecretAccessKey, sessionToken: ISSUED.SessionToken, expiration: ISSUED.Expiration });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'ecs-incident-notifier-111122223333', ExternalId: 'o-exampleorgid-ecs' },
      { RoleArn: ROLE, RoleSessionName: 'ecs-incident-notifier-111122223333' },
    ]);
  });

  it('refuses an answer without complete credentials', async () => {
    const { client, sts } = mockedSts();
    const assume = stsAssumeRole(() => client);
    const request = { roleArn: ROLE, sessionName: 's', externalId: null, abortSignal: new AbortController().signal };
    for (const Credentials of [undefined, { ...ISSUED, SessionToken: undefined }, { ...ISSUED, Expiration: new Date(Number.NaN) }]) {
      sts.on(AssumeRoleCommand).resolves({ Credentials });
      await expect(assume(request)).rejects.toThrow(new AssumeRoleError(ROLE, 'STS answered without complete credentials'));
    }
  });

  it('passes STS’s error on', async () => {
    const { client, sts } = mockedSts();
    sts.on(AssumeRoleCommand).rejects(denied());
    await expect(stsAssumeRole(() => client)({ roleArn: ROLE, sessionName: 's', externalId: null, abortSignal: new AbortController().signal })).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
