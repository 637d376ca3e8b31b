import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleError } from '../errors.ts';

/** Temporary credentials, in the shape every AWS SDK client takes as (the result of) its `credentials`. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  /** Sent as `ExternalId` when not null. */
  externalId: string | null;
  abortSignal: AbortSignal;
}

/** One STS AssumeRole call; rejects when STS refuses, fails or is aborted. */
export type AssumeRole = (request: AssumeRoleRequest) => Promise<TemporaryCredentials>;

/**
 * AssumeRole through an STS client (a getter, so the client is only built when a member account is first looked up).
 * An answer without complete credentials is an {@link AssumeRoleError}, never credentials with holes.
 *
 * @example
 * const assume = stsAssumeRole(stsClient);
 * await assume({ roleArn: 'arn:aws:iam::222222222222:role/ecs-incident-notifier-lookup', sessionName: 'ecs-incident-notifier', externalId: null, abortSignal });
 */
export function stsAssumeRole(client: () => STSClient): AssumeRole {
  return async ({ roleArn, sessionName, externalId, abortSignal }) => {
    const output = await client().send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName, ...(externalId === null ? {} : { ExternalId: externalId }) }),
      { abortSignal },
    );
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = output.Credentials ?? {};
    if (AccessKeyId === undefined || SecretAccessKey === undefined || SessionToken === undefined || Expiration === undefined || Number.isNaN(Expiration.getTime())) {
      throw new AssumeRoleError(roleArn, 'STS answered without complete credentials');
    }
    return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration: Expiration };
  };
}

/** The credentials of a role, by role ARN; rejects with an {@link AssumeRoleError} when the role cannot be assumed. */
export type RoleCredentials = (roleArn: string) => Promise<TemporaryCredentials>;

export interface RoleCredentialsOptions {
  assumeRole: AssumeRole;
  /** The RoleSessionName: what the member account's CloudTrail shows as the session of each lookup. */
  sessionName: string;
  /** `MEMBER_LOOKUP_EXTERNAL_ID`, when the roles' trust policies require one. */
  externalId: string | null;
  /** Milliseconds since the epoch (default `Date.now`). */
  clock?: () => number;
  /** Credentials are renewed this long before they expire (default 5 minutes, the margin the SDK itself keeps). */
  refreshMarginMs?: number;
  /**
   * How long one AssumeRole may take, the STS client's retries included, before it counts as failed (default 2500 ms:
   * within the lookups' own deadlines of 3 s and more, so a silent STS fails the AssumeRole, and the next lookup tries
   * again, rather than leaving it pending past the lookup that asked for it).
   */
  timeoutMs?: number;
}

interface CacheEntry {
  credentials: Promise<TemporaryCredentials>;
  /** When the credentials expire; null while the call is under way. */
  expiresAt: number | null;
}

/**
 * Assumed-role credentials, cached per role (one role ARN per member account) until `refreshMarginMs` before they
 * expire; concurrent callers share one AssumeRole call. A failure (access denied, throttled, timed out) is not
 * cached, so the next caller tries again. Each call is bounded by `timeoutMs` and aborted after it, so a silent STS
 * never leaves a call pending that later callers would wait on.
 *
 * @example
 * const credentials = cachedRoleCredentials({ assumeRole: stsAssumeRole(stsClient), sessionName: 'ecs-incident-notifier', externalId: null });
 * await credentials('arn:aws:iam::222222222222:role/ecs-incident-notifier-lookup'); // { accessKeyId: 'ASIA…', …, expiration }
 */
export function cachedRoleCredentials(options: RoleCredentialsOptions): RoleCredentials {
  const clock = options.clock ?? Date.now;
  const refreshMarginMs = options.refreshMarginMs ?? 300_000;
  const timeoutMs = options.timeoutMs ?? 2_500;
  const cache = new Map<string, CacheEntry>();

  async function assume(roleArn: string): Promise<TemporaryCredentials> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new AssumeRoleError(roleArn, `STS did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([options.assumeRole({ roleArn, sessionName: options.sessionName, externalId: options.externalId, abortSignal: abort.signal }), deadline]);
    } catch (error) {
      throw error instanceof AssumeRoleError ? error : new AssumeRoleError(roleArn, 'STS refused or failed', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  return async (roleArn) => {
    const cached = cache.get(roleArn);
    if (cached !== undefined && (cached.expiresAt === null || clock() < cached.expiresAt - refreshMarginMs)) return cached.credentials;
    const entry: CacheEntry = { credentials: assume(roleArn), expiresAt: null };
    cache.set(roleArn, entry);
    entry.credentials.then(
      (credentials) => {
        entry.expiresAt = credentials.expiration.getTime();
      },
      () => {
        if (cache.get(roleArn) === entry) cache.delete(roleArn);
      },
    );
    return entry.credentials;
  };
}
