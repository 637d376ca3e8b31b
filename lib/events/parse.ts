import { EventParseError } from '../errors.ts';
import {
  CONTAINER_INSTANCE_HEALTH_CHANGE,
  containerInstanceHealthDetailSchema,
  type ContainerInstanceHealthDetail,
} from './container-instance-health-change.ts';
import {
  CONTAINER_INSTANCE_STATE_CHANGE,
  containerInstanceDetailSchema,
  type ContainerInstanceDetail,
} from './container-instance-state-change.ts';
import { DAEMON_DEPLOYMENT_STATE_CHANGE, daemonDeploymentDetailSchema, type DaemonDeploymentDetail } from './daemon-deployment-state-change.ts';
import { DAEMON_SERVICE_ACTION, daemonServiceActionDetailSchema, type DaemonServiceActionDetail } from './daemon-service-action.ts';
import { DEPLOYMENT_STATE_CHANGE, deploymentDetailSchema, type DeploymentDetail } from './deployment-state-change.ts';
import {
  EC2_INSTANCE_STATE_CHANGE,
  EC2_REBALANCE_RECOMMENDATION,
  EC2_SPOT_INTERRUPTION_WARNING,
  instanceStateChangeDetailSchema,
  rebalanceDetailSchema,
  spotInterruptionDetailSchema,
  type InstanceStateChangeDetail,
  type RebalanceDetail,
  type SpotInterruptionDetail,
} from './ec2.ts';
import { envelopeSchema, EXPECTED_ENVELOPE_FIELDS, type Envelope } from './envelope.ts';
import { HEALTH_EVENT, healthDetailSchema, type HealthDetail } from './health.ts';
import { HOOK_STATE_CHANGE, hookDetailSchema, type HookDetail } from './hook-state-change.ts';
import { isRecord, wellFormed, type Warnings } from './schema.ts';
import { SERVICE_ACTION, serviceActionDetailSchema, type ServiceActionDetail } from './service-action.ts';
import { TASK_STATE_CHANGE, taskDetailSchema, type TaskDetail } from './task-state-change.ts';

interface Parsed<K extends string, D> {
  kind: K;
  envelope: Envelope;
  detail: D;
  /** Problems that did not stop classification: missing envelope fields, fields of the wrong type (dropped). */
  warnings: Warnings;
}

/** Every event we accept, discriminated by `kind`; an unknown detail-type is `unsupported`, never an error. */
export type EcsEvent =
  | Parsed<'task', TaskDetail>
  | Parsed<'containerInstance', ContainerInstanceDetail>
  | Parsed<'containerInstanceHealth', ContainerInstanceHealthDetail>
  | Parsed<'serviceAction', ServiceActionDetail>
  | Parsed<'deployment', DeploymentDetail>
  | Parsed<'hook', HookDetail>
  | Parsed<'daemonServiceAction', DaemonServiceActionDetail>
  | Parsed<'daemonDeployment', DaemonDeploymentDetail>
  | Parsed<'ec2SpotInterruption', SpotInterruptionDetail>
  | Parsed<'ec2Rebalance', RebalanceDetail>
  | Parsed<'ec2StateChange', InstanceStateChangeDetail>
  | Parsed<'health', HealthDetail>
  | Parsed<'unsupported', Record<string, unknown>>;

export type EventKind = EcsEvent['kind'];

/** The source each known detail-type comes from; another source is kept, with a warning (custom buses may relay). */
const EXPECTED_SOURCE: Record<string, string> = {
  [TASK_STATE_CHANGE]: 'aws.ecs',
  [CONTAINER_INSTANCE_STATE_CHANGE]: 'aws.ecs',
  [CONTAINER_INSTANCE_HEALTH_CHANGE]: 'aws.ecs',
  [SERVICE_ACTION]: 'aws.ecs',
  [DEPLOYMENT_STATE_CHANGE]: 'aws.ecs',
  [HOOK_STATE_CHANGE]: 'aws.ecs',
  [DAEMON_SERVICE_ACTION]: 'aws.ecs',
  [DAEMON_DEPLOYMENT_STATE_CHANGE]: 'aws.ecs',
  [EC2_SPOT_INTERRUPTION_WARNING]: 'aws.ec2',
  [EC2_REBALANCE_RECOMMENDATION]: 'aws.ec2',
  [EC2_INSTANCE_STATE_CHANGE]: 'aws.ec2',
  [HEALTH_EVENT]: 'aws.health',
};

/** Every detail-type this tool reads (sections 1, 2 and 10 of the reference); any other is classified `unsupported`. */
export const KNOWN_DETAIL_TYPES: readonly string[] = Object.keys(EXPECTED_SOURCE);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** EventBridge's own form of `time`: ISO 8601 in UTC, `2025-03-14T09:26:51Z`. */
const EVENTBRIDGE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/u;

/**
 * The envelope's time as alerting compares and computes with it: ISO 8601 in UTC. Another form a date parser reads
 * is rewritten to it, and a value that is not a time at all is dropped (as if missing), each with a warning: grouping
 * windows are computed from this time and compared as text, so an unreadable one would fail every retry of the event.
 */
function eventTime(time: string | undefined, warnings: Warnings): string | null {
  if (time === undefined) return null;
  const parsed = Date.parse(time);
  if (EVENTBRIDGE_TIME.test(time) && !Number.isNaN(parsed)) return time;
  const year = new Date(parsed).getUTCFullYear();
  if (Number.isNaN(parsed) || year < 0 || year > 9999) {
    warnings.push(`envelope field "time" is not a time (${JSON.stringify(time.slice(0, 40))}); ignored`);
    return null;
  }
  const iso = new Date(parsed).toISOString().replace('.000Z', 'Z');
  warnings.push(`envelope field "time" is not in ISO 8601 UTC (${JSON.stringify(time.slice(0, 40))}); read as ${iso}`);
  return iso;
}

/**
 * Reads one EventBridge event, liberally: missing envelope fields and fields of the wrong type become warnings.
 * Throws {@link EventParseError} only when the event cannot be classified at all: not an object, or without a
 * `detail-type` string or a `detail` object.
 *
 * @example parseEvent(JSON.parse(body), 'events/task/stopped-oom.json').kind // 'task'
 */
export function parseEvent(value: unknown, origin: string): EcsEvent {
  if (!isRecord(value)) {
    throw new EventParseError(`expected an EventBridge event (a JSON object), got ${describe(value)}`, origin, null);
  }
  const rawDetailType = value['detail-type'];
  const detailType = typeof rawDetailType === 'string' ? wellFormed(rawDetailType) : rawDetailType;
  if (typeof detailType !== 'string' || detailType.trim() === '') {
    const problem = detailType === undefined ? 'is missing' : `must be a non-empty string, got ${describe(detailType)}`;
    throw new EventParseError(`field "detail-type" ${problem}`, origin, 'detail-type');
  }
  const rawDetail = value.detail;
  if (!isRecord(rawDetail)) {
    const problem = rawDetail === undefined ? 'is missing' : `must be an object, got ${describe(rawDetail)}`;
    throw new EventParseError(`field "detail" ${problem}`, origin, 'detail');
  }

  const warnings: Warnings = [];
  const raw = envelopeSchema.read(value, '', warnings) ?? {};
  for (const field of EXPECTED_ENVELOPE_FIELDS) {
    if (raw[field] === undefined && !(field in value)) warnings.push(`envelope field "${field}" is missing`);
  }
  const envelope: Envelope = {
    id: raw.id ?? null,
    detailType,
    source: raw.source ?? null,
    account: raw.account ?? null,
    time: eventTime(raw.time, warnings),
    region: raw.region ?? null,
    resources: raw.resources ?? [],
  };

  const expectedSource = Object.hasOwn(EXPECTED_SOURCE, detailType) ? EXPECTED_SOURCE[detailType] : undefined;
  if (expectedSource !== undefined && envelope.source !== null && envelope.source !== expectedSource) {
    warnings.push(`source "${envelope.source}" is unusual for "${detailType}" (expected "${expectedSource}")`);
  }
  const base = { envelope, warnings };
  switch (detailType) {
    case TASK_STATE_CHANGE:
      return { kind: 'task', detail: taskDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case CONTAINER_INSTANCE_STATE_CHANGE:
      return { kind: 'containerInstance', detail: containerInstanceDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case CONTAINER_INSTANCE_HEALTH_CHANGE:
      return { kind: 'containerInstanceHealth', detail: containerInstanceHealthDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case SERVICE_ACTION:
      return { kind: 'serviceAction', detail: serviceActionDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case DEPLOYMENT_STATE_CHANGE:
      return { kind: 'deployment', detail: deploymentDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case HOOK_STATE_CHANGE:
      return { kind: 'hook', detail: hookDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case DAEMON_SERVICE_ACTION:
      return { kind: 'daemonServiceAction', detail: daemonServiceActionDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case DAEMON_DEPLOYMENT_STATE_CHANGE:
      return { kind: 'daemonDeployment', detail: daemonDeploymentDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case EC2_SPOT_INTERRUPTION_WARNING:
      return { kind: 'ec2SpotInterruption', detail: spotInterruptionDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case EC2_REBALANCE_RECOMMENDATION:
      return { kind: 'ec2Rebalance', detail: rebalanceDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case EC2_INSTANCE_STATE_CHANGE:
      return { kind: 'ec2StateChange', detail: instanceStateChangeDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    case HEALTH_EVENT:
      return { kind: 'health', detail: healthDetailSchema.readFields(rawDetail, 'detail', warnings), ...base };
    default:
      return { kind: 'unsupported', detail: rawDetail, ...base };
  }
}
