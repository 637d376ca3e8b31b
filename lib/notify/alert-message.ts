import type { Alert, AlertContainer, AlertFacts, AlertGroupInfo, AlertKind, AlertLinks, AlertStatus, ContainerLogTail, DeploymentHookFacts, DeploymentOutcome, Reminder, RollbackFacts } from '../alerts/alert.ts';
import { CATEGORIES, type Category } from '../classify/categories.ts';
import type { Severity } from '../classify/verdict.ts';
import { AlertMessageError } from '../errors.ts';
import { isRecord } from '../events/schema.ts';
import { MACHINE_MESSAGE_VERSION } from './sns-message.ts';

/**
 * Reads the machine body that `snsMessage` publishes (`{ version: 1, alert }`) back into an `Alert`, checking every
 * field the renderers use. The body comes from our own publisher, so a mismatch means a wrong subscription, a
 * version skew between functions or a hand-made test message: it is a typed error naming the record and the first
 * bad field, never a half-read alert.
 */
export function parseAlertMessage(body: string, origin: string): Alert {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AlertMessageError('message is not JSON', origin, { cause: error });
  }
  const read = new FieldReader(origin);
  const message = read.object(value, 'message');
  const version = message.version;
  if (version !== MACHINE_MESSAGE_VERSION) {
    throw new AlertMessageError(`unsupported message version ${JSON.stringify(version) ?? 'undefined'} (expected ${MACHINE_MESSAGE_VERSION})`, origin);
  }
  return read.alert(message.alert, 'alert');
}

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
const STATUSES: readonly AlertStatus[] = ['firing', 'resolved'];
const OUTCOMES: readonly DeploymentOutcome[] = ['started', 'completed', 'failed', 'rolled-back'];
const KINDS: readonly AlertKind[] = ['new', 'follow-up', 'repeat', 'resolved', 'deployment'];

class FieldReader {
  constructor(private readonly origin: string) {}

  private fail(path: string, expected: string): never {
    throw new AlertMessageError(`${path}: expected ${expected}`, this.origin);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (!isRecord(value)) this.fail(path, 'an object');
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, 'a string');
    return value;
  }

  nullableString(value: unknown, path: string): string | null {
    return value === null ? null : this.string(value, path);
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'a number');
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'true or false');
    return value;
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) this.fail(path, `one of ${allowed.join(', ')}`);
    return found;
  }

  list<T>(value: unknown, path: string, item: (element: unknown, path: string) => T): T[] {
    if (!Array.isArray(value)) this.fail(path, 'an array');
    return value.map((element: unknown, index) => item(element, `${path}[${index}]`));
  }

  /** An optional member: absent stays absent (messages of older versions), present must have its form. */
  optional<T>(record: Record<string, unknown>, key: string, read: (value: unknown) => T): { [k: string]: T } {
    return record[key] === undefined ? {} : { [key]: read(record[key]) };
  }

  private stringMap(value: unknown, path: string): Record<string, string> {
    const map = this.object(value, path);
    return Object.fromEntries(Object.entries(map).map(([key, item]) => [key, this.string(item, `${path}.${key}`)]));
  }

  private nullableNumber(value: unknown, path: string): number | null {
    return value === null ? null : this.number(value, path);
  }

  private firing(value: unknown, path: string): { since: string; events: number } {
    const f = this.object(value, path);
    return { since: this.string(f.since, `${path}.since`), events: this.number(f.events, `${path}.events`) };
  }

  private logTail(value: unknown, path: string): ContainerLogTail | null {
    if (value === null) return null;
    const t = this.object(value, path);
    return {
      lines: this.list(t.lines, `${path}.lines`, (element, at) => this.string(element, at)),
      cut: this.boolean(t.cut, `${path}.cut`),
      missing: this.nullableString(t.missing, `${path}.missing`),
    };
  }

  private memory(value: unknown, path: string): AlertContainer['memory'] {
    if (value === null) return null;
    const m = this.object(value, path);
    return { limitMiB: this.nullableNumber(m.limitMiB, `${path}.limitMiB`), reservationMiB: this.nullableNumber(m.reservationMiB, `${path}.reservationMiB`) };
  }

  private counts(value: unknown, path: string): AlertFacts['serviceCounts'] {
    if (value === null) return null;
    const c = this.object(value, path);
    return { running: this.number(c.running, `${path}.running`), desired: this.number(c.desired, `${path}.desired`), pending: this.number(c.pending, `${path}.pending`) };
  }

  private reminder(value: unknown, path: string): Reminder {
    const r = this.object(value, path);
    return { until: this.nullableString(r.until, `${path}.until`) };
  }

  private rollback(value: unknown, path: string): RollbackFacts | null {
    if (value === null) return null;
    const r = this.object(value, path);
    return {
      status: this.string(r.status, `${path}.status`),
      statusReason: this.nullableString(r.statusReason, `${path}.statusReason`),
      reason: this.nullableString(r.reason, `${path}.reason`),
      startedAt: this.nullableString(r.startedAt, `${path}.startedAt`),
      stage: this.nullableString(r.stage, `${path}.stage`),
      hooks: this.list(r.hooks, `${path}.hooks`, (element, at) => this.hook(element, at)),
      updatedAt: this.nullableString(r.updatedAt, `${path}.updatedAt`),
    };
  }

  private hook(value: unknown, path: string): DeploymentHookFacts {
    const h = this.object(value, path);
    const s = (key: keyof DeploymentHookFacts): string | null => this.nullableString(h[key], `${path}.${key}`);
    return { hookId: s('hookId'), targetType: s('targetType'), targetArn: s('targetArn'), status: s('status'), expiresAt: s('expiresAt'), timeoutAction: s('timeoutAction') };
  }

  alert(value: unknown, path: string): Alert {
    const a = this.object(value, path);
    return {
      ...this.optional(a, 'firing', (v) => this.firing(v, `${path}.firing`)),
      ...this.optional(a, 'deploymentOutcome', (v) => this.oneOf(v, OUTCOMES, `${path}.deploymentOutcome`)),
      ...this.optional(a, 'reminder', (v) => this.reminder(v, `${path}.reminder`)),
      id: this.string(a.id, `${path}.id`),
      key: this.string(a.key, `${path}.key`),
      kind: this.oneOf(a.kind, KINDS, `${path}.kind`),
      status: this.oneOf(a.status, STATUSES, `${path}.status`),
      severity: this.oneOf(a.severity, SEVERITIES, `${path}.severity`),
      category: this.oneOf<Category>(a.category, CATEGORIES, `${path}.category`),
      spot: this.boolean(a.spot, `${path}.spot`),
      title: this.string(a.title, `${path}.title`),
      summary: this.string(a.summary, `${path}.summary`),
      time: this.string(a.time, `${path}.time`),
      facts: this.facts(a.facts, `${path}.facts`),
      links: this.links(a.links, `${path}.links`),
      group: this.group(a.group, `${path}.group`),
      enriched: this.boolean(a.enriched, `${path}.enriched`),
    };
  }

  private facts(value: unknown, path: string): AlertFacts {
    const f = this.object(value, path);
    const s = (key: keyof AlertFacts): string | null => this.nullableString(f[key], `${path}.${key}`);
    return {
      account: s('account'),
      region: s('region'),
      cluster: s('cluster'),
      service: s('service'),
      taskFamily: s('taskFamily'),
      taskArn: s('taskArn'),
      taskDefinition: s('taskDefinition'),
      containerInstanceArn: s('containerInstanceArn'),
      ec2InstanceId: s('ec2InstanceId'),
      deploymentId: s('deploymentId'),
      status: s('status'),
      stopCode: s('stopCode'),
      reason: s('reason'),
      cause: this.string(f.cause, `${path}.cause`),
      remedy: this.string(f.remedy, `${path}.remedy`),
      containers: this.list(f.containers, `${path}.containers`, (element, at) => this.container(element, at)),
      ...this.optional(f, 'taskMemoryMiB', (v) => this.nullableNumber(v, `${path}.taskMemoryMiB`)),
      ...this.optional(f, 'rollback', (v) => this.rollback(v, `${path}.rollback`)),
      ...this.optional(f, 'serviceCounts', (v) => this.counts(v, `${path}.serviceCounts`)),
      ...this.optional(f, 'runbook', (v) => this.nullableString(v, `${path}.runbook`)),
      ...this.optional(f, 'owner', (v) => this.nullableString(v, `${path}.owner`)),
      ...this.optional(f, 'daemon', (v) => this.string(v, `${path}.daemon`)),
      ...this.optional(f, 'tags', (v) => this.stringMap(v, `${path}.tags`)),
    };
  }

  private container(value: unknown, path: string): AlertContainer {
    const c = this.object(value, path);
    return {
      name: this.string(c.name, `${path}.name`),
      essential: c.essential === null ? null : this.boolean(c.essential, `${path}.essential`),
      exitCode: c.exitCode === null ? null : this.number(c.exitCode, `${path}.exitCode`),
      exitMeaning: this.nullableString(c.exitMeaning, `${path}.exitMeaning`),
      reason: this.nullableString(c.reason, `${path}.reason`),
      logsUrl: this.nullableString(c.logsUrl, `${path}.logsUrl`),
      ...this.optional(c, 'image', (v) => this.nullableString(v, `${path}.image`)),
      ...this.optional(c, 'memory', (v) => this.memory(v, `${path}.memory`)),
      ...this.optional(c, 'logTail', (v) => this.logTail(v, `${path}.logTail`)),
    };
  }

  private links(value: unknown, path: string): AlertLinks {
    const l = this.object(value, path);
    return {
      task: this.nullableString(l.task, `${path}.task`),
      service: this.nullableString(l.service, `${path}.service`),
      docs: this.string(l.docs, `${path}.docs`),
      ...this.optional(l, 'ec2Instance', (v) => this.nullableString(v, `${path}.ec2Instance`)),
      ...this.optional(l, 'cluster', (v) => this.nullableString(v, `${path}.cluster`)),
    };
  }

  private group(value: unknown, path: string): AlertGroupInfo {
    const g = this.object(value, path);
    return {
      count: this.number(g.count, `${path}.count`),
      ids: this.list(g.ids, `${path}.ids`, (element, at) => this.string(element, at)),
      firstTime: this.string(g.firstTime, `${path}.firstTime`),
      lastTime: this.string(g.lastTime, `${path}.lastTime`),
      windowMinutes: this.number(g.windowMinutes, `${path}.windowMinutes`),
    };
  }
}
