import { createHash } from 'node:crypto';
import type { Alert } from '../alerts/alert.ts';
import type { Severity } from '../classify/verdict.ts';
import { bound, fact } from './text.ts';
import { bareTitle, containerViews, factViews, isResolved, linkViews, statusWord } from './view.ts';

// PagerDuty Events API v2: alert events (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/) and
// change events (https://developer.pagerduty.com/docs/events-api-v2/send-change-events/). PagerDuty shows every
// field as plain text, so texts are made inert and bounded, never escaped.

/** `dedup_key`: "The maximum permitted length of this property is 255 characters." (trigger-events page) */
export const MAX_DEDUP_KEY = 255;
/** `payload.summary`: "The maximum permitted length of this property is 1024 characters." (both pages) */
export const MAX_SUMMARY = 1024;
/**
 * Our bound for `source`, `component`, `group`, `class` and link texts: PagerDuty documents none, and these are
 * names, shown in lists.
 */
export const MAX_NAME = 255;
/** Our bound for one value in `custom_details`; the whole event must stay under PagerDuty's 512 KB (overview page). */
export const MAX_DETAIL = 1000;
/** At most this many containers are described in `custom_details` (a task definition holds at most 10). */
export const MAX_CONTAINERS = 20;
/** At most this many links (PagerDuty documents no limit; these are all the links an alert has). */
export const MAX_LINKS = 10;

/** The monitoring tool PagerDuty names as the event's `client`. */
export const CLIENT = 'ECS incident notifier';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/**
 * Our severity as PagerDuty's. PagerDuty turns `critical` and `error` into high-urgency incidents and `warning` and
 * `info` into low-urgency ones (https://support.pagerduty.com/main/docs/dynamic-notifications), so the mapping keeps
 * our meaning of who gets woken up:
 *
 * | ours     | PagerDuty | urgency (dynamic notifications) |
 * | -------- | --------- | ------------------------------- |
 * | critical | critical  | high                            |
 * | warning  | warning   | low                             |
 * | info     | info      | low                             |
 *
 * `error` is not used: a warning of ours (a task killed for memory, a failed health check) does not take the service
 * down, and mapping it to `error` would page at night for what we deliberately do not call critical.
 */
export const PAGERDUTY_SEVERITY: Record<Severity, PagerDutySeverity> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
};

export interface PagerDutyLink {
  href: string;
  text: string;
}

/** An alert event for `https://events.pagerduty.com/v2/enqueue`. */
export interface PagerDutyAlertEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  /** Trigger events only: a resolve needs no more than its key. */
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links?: PagerDutyLink[];
  client?: string;
  client_url?: string;
}

/** A change event for `https://events.pagerduty.com/v2/change/enqueue`: context for responders, never a page. */
export interface PagerDutyChangeEvent {
  routing_key: string;
  payload: {
    summary: string;
    source?: string;
    timestamp?: string;
    custom_details: Record<string, unknown>;
  };
  links?: PagerDutyLink[];
}

export type PagerDutyEvent = PagerDutyAlertEvent | PagerDutyChangeEvent;

/** Whether an event goes to the change endpoint (`/v2/change/enqueue`) rather than the alert one. */
export function isChangeEvent(event: PagerDutyEvent): event is PagerDutyChangeEvent {
  return !('event_action' in event);
}

/**
 * An alert as a PagerDuty Events API v2 event, sent with `routingKey`.
 *
 * - A new alert, a follow-up and a repeat `trigger` with the alert key as `dedup_key`, so every message of a group
 *   lands on the one open PagerDuty alert (a follow-up or repeat adds a trigger log entry to it).
 * - The resolved notice `resolve`s the same `dedup_key`.
 * - A deployment notice (`kind: 'deployment'`) is a change event: it is news, not a problem (a deployment in trouble
 *   has its own alert, which triggers), and PagerDuty shows change events next to the incidents of the service
 *   without notifying anyone. Note that ruleset routing keys (starting with `R`) do not take change events.
 *
 * @example pagerDutyEvent(alert, routingKey) // { routing_key, event_action: 'trigger', dedup_key: alert.key, payload: {...} }
 */
export function pagerDutyEvent(alert: Alert, routingKey: string): PagerDutyEvent {
  if (alert.kind === 'deployment') return changeEvent(alert, routingKey);
  if (isResolved(alert)) return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey(alert.key) };
  const links = eventLinks(alert);
  const clientUrl = links.find((link) => link.href === alert.links.task || link.href === alert.links.service)?.href;
  const component = optionalName(alert.facts.service ?? alert.facts.taskFamily);
  const group = optionalName(alert.facts.cluster);
  const timestamp = isoTime(alert.time);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(alert.key),
    payload: {
      summary: summaryOf(alert),
      source: sourceOf(alert),
      severity: PAGERDUTY_SEVERITY[alert.severity],
      ...(timestamp === null ? {} : { timestamp }),
      ...(component === null ? {} : { component }),
      ...(group === null ? {} : { group }),
      class: name(alert.category),
      custom_details: customDetails(alert),
    },
    ...(links.length === 0 ? {} : { links }),
    client: CLIENT,
    ...(clientUrl === undefined ? {} : { client_url: clientUrl }),
  };
}

function changeEvent(alert: Alert, routingKey: string): PagerDutyChangeEvent {
  const links = eventLinks(alert);
  const timestamp = isoTime(alert.time);
  return {
    routing_key: routingKey,
    payload: {
      summary: summaryOf(alert),
      source: sourceOf(alert),
      ...(timestamp === null ? {} : { timestamp }),
      custom_details: customDetails(alert),
    },
    ...(links.length === 0 ? {} : { links }),
  };
}

/**
 * The alert key as a `dedup_key`: itself when it fits PagerDuty's 255 characters, else its first characters and
 * the SHA-256 of the whole key, so two long keys that share a beginning stay apart and one key always maps to the
 * same `dedup_key`.
 *
 * @example dedupKey('111122223333|us-west-2|prod|service:orders-api|oom') // unchanged
 */
export function dedupKey(key: string): string {
  if (key.length <= MAX_DEDUP_KEY) return key;
  const hash = `|sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
  let end = MAX_DEDUP_KEY - hash.length;
  // Never end on half of a surrogate pair.
  const code = key.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${key.slice(0, end)}${hash}`;
}

/** `[WARNING] OOM: service orders-api (prod) – … — Task 77ea7336 of service orders-api stopped: …`, within 1,024. */
function summaryOf(alert: Alert): string {
  const title = fact(bareTitle(alert));
  const summary = fact(alert.summary);
  const head = alert.kind === 'deployment' ? title : `[${statusWord(alert)}] ${title}`;
  return bound(summary === '' ? head : `${head} — ${summary}`, MAX_SUMMARY);
}

/**
 * The affected system, as PagerDuty wants "a unique location": the cluster's ARN when the account, Region and
 * cluster are known (the partition from the Region), else what is known of them, else the notifier's name.
 */
function sourceOf(alert: Alert): string {
  const { account, region, cluster } = alert.facts;
  if (account !== null && region !== null && cluster !== null) return name(`arn:${partitionOf(region)}:ecs:${region}:${account}:cluster/${cluster}`);
  const known = [account, region, cluster].filter((part): part is string => part !== null && part.trim() !== '');
  return known.length === 0 ? CLIENT : name(known.join('/'));
}

/** The AWS partition of a Region: `aws-cn` for China, `aws-us-gov` for GovCloud, `aws` otherwise. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The facts as PagerDuty shows them under "Custom details": every fact row by its label, why and what to do, the
 * kind of message, the alert key, and the containers; each value inert and bounded.
 */
function customDetails(alert: Alert): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const row of factViews(alert)) details[row.label] = bound(row.lines.join(', '), MAX_DETAIL);
  const cause = fact(alert.facts.cause);
  if (cause !== '') details.Why = cause;
  const remedy = fact(alert.facts.remedy);
  if (remedy !== '' && !isResolved(alert)) details['What to do'] = remedy;
  details.Kind = alert.kind;
  if (alert.deploymentOutcome !== undefined) details.Outcome = alert.deploymentOutcome;
  details['Alert key'] = bound(fact(alert.key), MAX_DETAIL);
  const containers = containerViews(alert).slice(0, MAX_CONTAINERS);
  if (containers.length > 0) {
    details.Containers = containers.map((container) => {
      const parts = [
        `${container.heading}: ${container.outcome}`,
        container.reason === null ? '' : `reason: ${container.reason}`,
        container.memory === null ? '' : `memory ${container.memory}`,
        container.image === null ? '' : `image ${container.image}`,
      ];
      return bound(parts.filter((part) => part !== '').join('; '), MAX_DETAIL);
    });
  }
  if (!alert.enriched) details.Note = 'Some facts or links may be missing: the ECS API did not answer a lookup.';
  return details;
}

/** Every link of the alert (task, service, each container's logs, runbook, instance, cluster, docs). */
function eventLinks(alert: Alert): PagerDutyLink[] {
  return linkViews(alert)
    .slice(0, MAX_LINKS)
    .map((link) => ({ href: link.url, text: name(link.label) }));
}

/** An inert name within MAX_NAME. */
function name(text: string): string {
  return bound(fact(text), MAX_NAME);
}

/** An inert name within MAX_NAME, or null when there is none. */
function optionalName(text: string | null): string | null {
  const value = text === null ? '' : name(text);
  return value === '' ? null : value;
}

/** The alert's time as ISO 8601, or null when it is not a time (PagerDuty would refuse the event). */
function isoTime(time: string): string | null {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
