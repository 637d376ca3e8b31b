import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  type DeploymentLifecycleHookDetail,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
} from '@aws-sdk/client-ecs';
import { withinDeadline } from './deadline.ts';
import { isoTime, type Timestamp } from './services.ts';

/** One lifecycle hook of a service deployment as DescribeServiceDeployments reports it (`lifecycleHookDetails[]`). */
export interface ServiceDeploymentHook {
  /** The id `aws ecs continue-service-deployment` takes. */
  hookId: string | null;
  /** `PAUSE` or `AWS_LAMBDA`. */
  targetType: string | null;
  /** The Lambda function of an `AWS_LAMBDA` hook; null for a pause hook. */
  targetArn: string | null;
  /** `AWAITING_ACTION`, `IN_PROGRESS`, `SUCCEEDED`, `FAILED` or `TIMED_OUT`. */
  status: string | null;
  /** ISO 8601: when ECS takes the timeout action. */
  expiresAt: string | null;
  /** `CONTINUE` or `ROLLBACK`. */
  timeoutAction: string | null;
}

/**
 * What ECS's service-deployment API says of one deployment: its own status, richer than the deployment events' three
 * (PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS,
 * ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED), why a rollback started, and the lifecycle hooks that ran. Times are ISO 8601.
 */
export interface ServiceDeploymentFacts {
  serviceDeploymentArn: string;
  serviceArn: string | null;
  clusterArn: string | null;
  status: string;
  statusReason: string | null;
  /** The stage the deployment is at (`RECONCILE_SERVICE`, `PRE_SCALE_UP`, …, `CLEAN_UP`); null for a rolling update that does not say. */
  lifecycleStage: string | null;
  /** Null when no rollback started. */
  rollback: { reason: string | null; startedAt: string | null; serviceRevisionArn: string | null } | null;
  hooks: ServiceDeploymentHook[];
  targetServiceRevisionArn: string | null;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  stoppedAt: string | null;
  /** When ECS last changed the deployment: how old the answer's news is. */
  updatedAt: string | null;
}

/**
 * Finds and describes the service deployment an event of `deploymentId` (`ecs-svc/…`) at time `at` (ISO 8601) is
 * about. Resolves null, never rejects, when the lookup fails (throttled, access denied, timed out) or finds no
 * deployment.
 */
export type ServiceDeploymentLookup = (cluster: string, service: string, deploymentId: string, at: string) => Promise<ServiceDeploymentFacts | null>;

export interface ServiceDeploymentLookupOptions {
  /** How long an answer is reused (default 30 000 ms): a rollback moves on, so only briefly. */
  ttlMs?: number;
  /** How long the lookup may take, both calls and their retries included, before it counts as failed (default 3000 ms). */
  timeoutMs?: number;
  /** Milliseconds since the epoch, for the cache (default `Date.now`). */
  clock?: () => number;
}

/** A brief of ListServiceDeployments, from the SDK (Dates) or a recorded wire body (epoch seconds). */
export type ServiceDeploymentBriefFields = Pick<ServiceDeploymentBrief, 'serviceDeploymentArn'> & { createdAt?: Timestamp; startedAt?: Timestamp };

type HookFields = Omit<DeploymentLifecycleHookDetail, 'expiresAt'> & { expiresAt?: Timestamp };

/** The fields of a DescribeServiceDeployments `serviceDeployments[]` entry that the facts read: the SDK's, or its wire form. */
export type ServiceDeploymentFields = Pick<ServiceDeployment, 'serviceDeploymentArn' | 'serviceArn' | 'clusterArn' | 'status' | 'statusReason' | 'lifecycleStage'> & {
  createdAt?: Timestamp;
  startedAt?: Timestamp;
  finishedAt?: Timestamp;
  stoppedAt?: Timestamp;
  updatedAt?: Timestamp;
  rollback?: { reason?: string; startedAt?: Timestamp; serviceRevisionArn?: string };
  lifecycleHookDetails?: HookFields[];
  targetServiceRevision?: { arn?: string };
};

/**
 * How far back the deployment an event is about may have started. A pause hook waits up to 20,160 minutes (14 days)
 * before its timeout action (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html);
 * a day more covers the stages around it.
 */
const LOOKBACK_MS = 15 * 86_400_000;

/** ListServiceDeployments returns at most 100 per page (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html). */
const PAGE_SIZE = 100;

/** Pages read at most: 500 deployments of one service within the lookback, far more than a service makes. */
const MAX_PAGES = 5;

/** Hooks kept of one deployment: a linear deployment runs a pause hook at every step, each with its own id. */
const MAX_HOOKS = 20;

function whenOf(brief: ServiceDeploymentBriefFields): number | null {
  const time = isoTime(brief.createdAt ?? brief.startedAt);
  return time === null ? null : Date.parse(time);
}

/**
 * The service deployment an event at `at` is about, among a service's ListServiceDeployments briefs: the one created
 * last at or before `at`. A rollback is no deployment of its own in this API (the failed deployment's status becomes
 * `ROLLBACK_…`), so the events of a failure and of its rollback both find the deployment that failed. A brief without
 * times counts only when it is the only one. Null when none fits.
 *
 * @example serviceDeploymentAt([{ serviceDeploymentArn: 'arn:…/a', createdAt: 1758016800 }, { serviceDeploymentArn: 'arn:…/b', createdAt: 1758020000 }], '2025-09-16T10:04:31Z')
 *   // 'arn:…/a' (b was created after the event)
 */
export function serviceDeploymentAt(briefs: readonly ServiceDeploymentBriefFields[], at: string): string | null {
  const limit = Number.isNaN(Date.parse(at)) ? Number.POSITIVE_INFINITY : Date.parse(at);
  let best: { arn: string; when: number } | null = null;
  for (const brief of briefs) {
    const when = whenOf(brief);
    if (brief.serviceDeploymentArn === undefined || when === null || when > limit) continue;
    if (best === null || when > best.when) best = { arn: brief.serviceDeploymentArn, when };
  }
  if (best !== null) return best.arn;
  const [only, ...others] = briefs;
  return only !== undefined && others.length === 0 && whenOf(only) === null ? (only.serviceDeploymentArn ?? null) : null;
}

function hookOf(hook: HookFields): ServiceDeploymentHook {
  return {
    hookId: hook.hookId ?? null,
    targetType: hook.targetType ?? null,
    targetArn: hook.targetArn ?? null,
    status: hook.status ?? null,
    expiresAt: isoTime(hook.expiresAt),
    timeoutAction: hook.timeoutAction ?? null,
  };
}

/**
 * Reads the facts from one entry of a DescribeServiceDeployments answer, from the SDK (Dates) or from a recorded wire
 * body (epoch seconds); null when the entry lacks its ARN or status.
 */
export function serviceDeploymentFacts(deployment: ServiceDeploymentFields | undefined): ServiceDeploymentFacts | null {
  if (deployment?.serviceDeploymentArn === undefined || deployment.status === undefined) return null;
  const rollback = deployment.rollback;
  return {
    serviceDeploymentArn: deployment.serviceDeploymentArn,
    serviceArn: deployment.serviceArn ?? null,
    clusterArn: deployment.clusterArn ?? null,
    status: deployment.status,
    statusReason: deployment.statusReason ?? null,
    lifecycleStage: deployment.lifecycleStage ?? null,
    rollback: rollback === undefined ? null : { reason: rollback.reason ?? null, startedAt: isoTime(rollback.startedAt), serviceRevisionArn: rollback.serviceRevisionArn ?? null },
    hooks: (deployment.lifecycleHookDetails ?? []).slice(0, MAX_HOOKS).map(hookOf),
    targetServiceRevisionArn: deployment.targetServiceRevision?.arn ?? null,
    createdAt: isoTime(deployment.createdAt),
    startedAt: isoTime(deployment.startedAt),
    finishedAt: isoTime(deployment.finishedAt),
    stoppedAt: isoTime(deployment.stoppedAt),
    updatedAt: isoTime(deployment.updatedAt),
  };
}

interface CacheEntry {
  answer: Promise<ServiceDeploymentFacts | null>;
  askedAt: number;
}

/**
 * A lookup through ECS ListServiceDeployments and DescribeServiceDeployments. The deployment events name a deployment
 * `ecs-svc/…`, an id no API maps to the service-deployment ARN DescribeServiceDeployments takes
 * (`arn:aws:ecs:REGION:ACCOUNT:service-deployment/CLUSTER/SERVICE/ID`): AWS's own way to it is ListServiceDeployments
 * of the service (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/view-service-deployment.html), and
 * https://github.com/aws/containers-roadmap/issues/2709 asks for a direct link. So it lists the service's deployments
 * created within the lookback before the event and describes the last one created (see `serviceDeploymentAt`): the
 * deployment that was running when the event was sent. Both calls share one deadline; answers are reused for `ttlMs`
 * per deployment id, concurrent lookups share the calls, failures are not cached. It logs nothing: a null tells the
 * caller the lookup failed.
 *
 * @example
 * const lookup = ecsServiceDeploymentLookup(ecsClient());
 * await lookup('shop-prod', 'checkout', 'ecs-svc/5830265113750824417', '2025-09-16T10:04:31Z');
 * // { status: 'ROLLBACK_IN_PROGRESS', rollback: { reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.', … }, hooks: [], … }
 */
export function ecsServiceDeploymentLookup(client: ECSClient, options: ServiceDeploymentLookupOptions = {}): ServiceDeploymentLookup {
  const ttlMs = options.ttlMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  async function find(cluster: string, service: string, at: string, signal: AbortSignal): Promise<ServiceDeploymentFacts | null> {
    const atMs = Date.parse(at);
    const before = Number.isNaN(atMs) ? new Date(clock()) : new Date(atMs);
    const briefs: ServiceDeploymentBrief[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const listed = await client.send(
        new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: new Date(before.getTime() - LOOKBACK_MS), before }, maxResults: PAGE_SIZE, nextToken }),
        { abortSignal: signal },
      );
      briefs.push(...(listed.serviceDeployments ?? []));
      nextToken = listed.nextToken;
      if (nextToken === undefined) break;
    }
    const arn = serviceDeploymentAt(briefs, before.toISOString());
    if (arn === null) return null;
    // A deployment whose service revision predates October 25, 2024 comes back in `failures` (MISSING), not as an error.
    const described = await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal: signal });
    return serviceDeploymentFacts(described.serviceDeployments?.find((deployment) => deployment.serviceDeploymentArn === arn));
  }

  return async (cluster, service, deploymentId, at) => {
    const key = `${cluster}\n${service}\n${deploymentId}`;
    const now = clock();
    const cached = cache.get(key);
    if (cached !== undefined && now - cached.askedAt < ttlMs) return cached.answer;
    for (const [other, entry] of cache) if (now - entry.askedAt >= ttlMs) cache.delete(other);
    const entry = { answer: withinDeadline(timeoutMs, (signal) => find(cluster, service, at, signal)), askedAt: now };
    cache.set(key, entry);
    const facts = await entry.answer;
    if (facts === null && cache.get(key) === entry) cache.delete(key);
    return facts;
  };
}
