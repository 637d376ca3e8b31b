import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Envelope } from '../events/envelope.ts';
import type { Logger } from '../log.ts';
import { regionalLogsClient } from './clients/logs.ts';
import { ecsLogTailLookup, missingTail, type LogTailLookup } from './container-logs.ts';
import { ecsInstanceLookup, ecsTaskLookup, type InstanceLookup, type TaskLookup } from './instances.ts';
import type { RoleCredentials, TemporaryCredentials } from './role-credentials.ts';
import { ecsServiceDeploymentLookup, type ServiceDeploymentLookup } from './service-deployments.ts';
import { ecsServiceLookup, type ServiceLookup } from './services.ts';
import { ecsTaskDefinitionLookup, type TaskDefinitionLookup } from './task-definitions.ts';

/** The ECS API lookups that enrich alerts, all of one account and Region; each answers null when it cannot. */
export interface EcsLookups {
  taskDefinitions: TaskDefinitionLookup;
  services: ServiceLookup;
  instances: InstanceLookup;
  tasks: TaskLookup;
  /** The service deployment an event is about (ListServiceDeployments, DescribeServiceDeployments): rollback status, reason, hooks. */
  serviceDeployments: ServiceDeploymentLookup;
  /** The last lines of a container's awslogs stream (CloudWatch Logs, same account; the stream's own Region). */
  logTails: LogTailLookup;
}

/** Where an event comes from: its envelope's account and Region, and the partition of its ARNs; null when unknown. */
export interface EventOrigin {
  account: string | null;
  region: string | null;
  partition: string | null;
}

/** Chooses the lookups of the account and Region an event comes from. Never throws. */
export type LookupsFor = (origin: EventOrigin) => EcsLookups;

/** Lookups that answer nothing, as failed ones do: the alert goes out marked not enriched. */
export const UNAVAILABLE_LOOKUPS: EcsLookups = {
  taskDefinitions: async () => null,
  services: async () => null,
  instances: async () => null,
  tasks: async () => null,
  serviceDeployments: async () => null,
  logTails: async () => missingTail("the notifier cannot read this account's logs (no lookup role for it)"),
};

export interface EcsLookupsOptions {
  /** Replaces each lookup's own deadline (for tests). */
  timeoutMs?: number;
  /** A CloudWatch Logs client for a Region, signing as the ECS client does (default: `regionalLogsClient`, the function's own credentials). */
  logsClient?: (region: string) => CloudWatchLogsClient;
}

/** Builds the lookups over one ECS client, and the log-tail lookup over CloudWatch Logs clients of the same account. */
export function ecsLookups(client: ECSClient, options: EcsLookupsOptions = {}): EcsLookups {
  const deadline = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  return {
    taskDefinitions: ecsTaskDefinitionLookup(client, deadline),
    services: ecsServiceLookup(client, deadline),
    instances: ecsInstanceLookup(client, deadline),
    tasks: ecsTaskLookup(client, deadline),
    serviceDeployments: ecsServiceDeploymentLookup(client, deadline),
    logTails: ecsLogTailLookup(options.logsClient ?? ((region) => regionalLogsClient(region)), deadline),
  };
}

/** The partition of an ARN, whatever its service: `arn:aws-cn:…`, and the EC2 Spot warning's account-less `arn:aws:ec2:us-east-2a:instance/…`. */
const ARN_PARTITION = /^arn:(aws(?:-[a-z]+)*):/;

/**
 * The partition of a Region: `aws-cn` for China, `aws-us-gov` for GovCloud, `aws` for every other commercial Region.
 * (The isolated partitions are left out: an EventBridge bus never receives events from another partition, and their
 * events carry their partition in their ARNs.)
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Where an event comes from. Forwarded events keep the member's `account` and `region` in their envelope; the
 * partition is that of the first ARN among its `resources` (an EC2 Spot warning's `arn:aws:ec2:us-east-2a:instance/…`
 * counts too), null when none has one (an EC2 Health notice names a bare instance id).
 *
 * @example originOf({ account: '222222222222', region: 'us-west-2', resources: ['arn:aws:ecs:us-west-2:222222222222:task/prod/4b7e…'] })
 * // { account: '222222222222', region: 'us-west-2', partition: 'aws' }
 */
export function originOf(envelope: Pick<Envelope, 'account' | 'region' | 'resources'>): EventOrigin {
  const partition = envelope.resources.map((resource) => ARN_PARTITION.exec(resource)?.[1]).find((candidate) => candidate !== undefined);
  return { account: envelope.account, region: envelope.region, partition: partition ?? null };
}

export interface AccountLookupsOptions {
  /** The monitor's own account and Region (`MONITOR_ACCOUNT_ID`, `AWS_REGION`): their events use `own`. */
  monitor: { account: string; region: string };
  /** The lookups over the function's own ECS client, as before member accounts were looked up. */
  own: EcsLookups;
  /** `MEMBER_LOOKUP_ROLE_NAME`: the role assumed in member accounts; null leaves their events not enriched. */
  memberRoleName: string | null;
  /** Credentials of a role by ARN, cached (see `cachedRoleCredentials`). */
  roleCredentials: RoleCredentials;
  /** A new ECS client for a Region, signing with `credentials`, or with the function's own when they are absent. */
  ecsClient: (region: string, credentials?: () => Promise<TemporaryCredentials>) => ECSClient;
  /** A new CloudWatch Logs client for a Region, signing like `ecsClient` (default: `regionalLogsClient`). */
  logsClient?: (region: string, credentials?: () => Promise<TemporaryCredentials>) => CloudWatchLogsClient;
  logger: Logger;
  /** Replaces each lookup's own deadline in the clients this builds (for tests). */
  timeoutMs?: number;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Picks, for each event, the ECS lookups of the account and Region it comes from:
 * - the monitor's own account and Region: `own`, the function's own client and credentials;
 * - the monitor's account in another Region (cross-Region forwarding): a client for that Region, same credentials;
 * - another account: a client for its Region signing with the credentials of
 *   `arn:<partition>:iam::<account>:role/<memberRoleName>`. The SDK asks for them inside each ECS call, so the
 *   AssumeRole counts within each lookup's deadline, and a failed AssumeRole fails the lookup (null, not enriched)
 *   and is logged (`member lookup role not assumed`, with the role and STS's error);
 * - another account with no role configured: lookups that answer nothing, logged once per account
 *   (`member account not enriched`), not once per event; the same for an origin that is not an account id and a
 *   Region (`event origin not enriched`), once per origin.
 * An event whose envelope lacks its account or Region counts as the monitor's. Clients and their lookups (with their
 * caches) are built at the first event of each account and Region and kept for the container's life.
 *
 * @example
 * const lookupsFor = accountLookups({ monitor: { account: '999999999999', region: 'eu-west-1' }, own, memberRoleName: 'ecs-incident-notifier-lookup', roleCredentials, ecsClient: regionalEcsClient, logger });
 * await lookupsFor({ account: '222222222222', region: 'us-west-2', partition: 'aws' }).services('prod', 'thumbnailer');
 */
export function accountLookups(options: AccountLookupsOptions): LookupsFor {
  const { monitor, logger } = options;
  const deadline = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const built = new Map<string, EcsLookups>();
  const logsClientFor = options.logsClient ?? regionalLogsClient;
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string, fields: Record<string, unknown>): void => {
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(message, fields);
  };

  function memberLookups(account: string, region: string, partition: string | null, roleName: string): EcsLookups {
    const roleArn = `arn:${partition ?? partitionOfRegion(monitor.region)}:iam::${account}:role/${roleName}`;
    const credentials = async (): Promise<TemporaryCredentials> => {
      try {
        return await options.roleCredentials(roleArn);
      } catch (error) {
        logger.warn('member lookup role not assumed', { account, region, roleArn, error });
        throw error;
      }
    };
    return ecsLookups(options.ecsClient(region, credentials), { ...deadline, logsClient: (logsRegion) => logsClientFor(logsRegion, credentials) });
  }

  return (origin) => {
    const account = origin.account ?? monitor.account;
    const region = origin.region ?? monitor.region;
    if (account === monitor.account && region === monitor.region) return options.own;
    if (!ACCOUNT_ID.test(account) || !REGION.test(region)) {
      // Never put a malformed value into a role ARN or an endpoint host name.
      warnOnce(`origin\n${account}\n${region}`, 'event origin not enriched: not an account id and a Region', { account, region });
      return UNAVAILABLE_LOOKUPS;
    }
    const key = `${account}\n${region}`;
    const known = built.get(key);
    if (known !== undefined) return known;
    const roleName = options.memberRoleName;
    let lookups: EcsLookups;
    if (account === monitor.account) {
      lookups = ecsLookups(options.ecsClient(region), { ...deadline, logsClient: (logsRegion) => logsClientFor(logsRegion) });
    } else if (roleName === null) {
      warnOnce(`account\n${account}`, 'member account not enriched: no lookup role configured (MEMBER_LOOKUP_ROLE_NAME)', { account, region });
      return UNAVAILABLE_LOOKUPS;
    } else {
      lookups = memberLookups(account, region, origin.partition, roleName);
    }
    built.set(key, lookups);
    return lookups;
  };
}
