import type { Alert } from '../../alerts/alert.ts';
import { fitTitle, subjectOf } from '../../alerts/build.ts';
import { closeQuietly, openGroup } from '../../alerts/grouping.ts';
import { alertScope } from '../../alerts/key.ts';
import type { Classification } from '../../classify/verdict.ts';
import { clusterName, lastSegment, parseArn } from '../../events/arn.ts';
import { outcomeOf, readRecord, updateRecord, writeRecord, type Tracked, type TrackingContext } from '../context.ts';

interface SpotWarning {
  warnedAt: string;
  key: string;
}

interface InstanceIndex {
  cluster: string;
  containerInstanceArn: string | null;
}

/** A service's Fargate Spot interruptions of the last day, one per task: the `spot` record of its scope. */
interface SpotHistory {
  interruptions: { task: string; time: string }[];
}

/**
 * Counts a task's Spot interruption in its service's history: which one of the last 24 hours it is, by event time
 * (delivery order does not change the number), and whether the task is new to the history (a task's second warning
 * event, RUNNING then DEPROVISIONING, is the same interruption). Pure.
 */
export function countInterruption(history: SpotHistory, task: string, time: string): { value: SpotHistory | null; result: { nth: number; news: boolean } } {
  const at = Date.parse(time);
  const known = history.interruptions.find((interruption) => interruption.task === task);
  const interruptions = known === undefined ? [...history.interruptions, { task, time }].filter((interruption) => at - Date.parse(interruption.time) <= 86_400_000).slice(-200) : history.interruptions;
  const own = known?.time ?? time;
  const nth = interruptions.filter((interruption) => Date.parse(interruption.time) <= Date.parse(own) && Date.parse(own) - Date.parse(interruption.time) <= 86_400_000).length;
  return { value: known === undefined ? { interruptions } : null, result: { nth, news: known === undefined } };
}

/** How long after a Spot warning the instance's draining and task stops are part of the same interruption. */
const SPOT_STORY_MINUTES = 60;

function withinStory(warning: SpotWarning | null, time: string): warning is SpotWarning {
  return warning !== null && Date.parse(time) - Date.parse(warning.warnedAt) <= SPOT_STORY_MINUTES * 60_000 && Date.parse(time) >= Date.parse(warning.warnedAt) - 60_000;
}

/**
 * Spot: a Fargate Spot warning and the stop that follows are one story, counted per service, critical when no
 * task is left; an EC2 Spot warning names the services on the instance and takes in its draining and task stops;
 * Fargate Spot capacity missing for too long pages.
 */
export async function trackSpot(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  const time = verdict.time ?? new Date(0).toISOString();
  const instance = verdict.ec2InstanceId;

  // Which cluster and container instance an EC2 instance is: EC2 events do not say.
  if ((verdict.category.startsWith('container_instance') || verdict.containerInstanceArn !== null) && instance !== null && verdict.cluster !== null && verdict.taskArn === null) {
    await writeRecord(context.store, 'instance', instance, { cluster: verdict.cluster, containerInstanceArn: verdict.containerInstanceArn } satisfies InstanceIndex, time);
  }

  // The rest of an interruption already told: the instance draining, its tasks stopping, the task stopping after its warning.
  if (instance !== null && verdict.category !== 'ec2_spot_interruption_warning') {
    const warning = await readRecord<SpotWarning>(context.store, 'spot-instance', instance);
    const partOfIt = ['container_instance_draining', 'host_stopped_or_terminated', 'spot_interruption', 'container_instance_state_change', 'container_instance_agent_disconnected'].includes(verdict.category);
    if (partOfIt && withinStory(warning, time)) {
      // The tasks that stopped join the story's follow-up, as they do when they come before the warning; the
      // instance's own signals (draining, terminated) only confirm what the warning said.
      if (verdict.category === 'spot_interruption' && verdict.taskArn !== null) return { handled: false, adjust: (alert) => intoInstanceStory(alert, warning.key) };
      return { handled: true, alertKey: warning.key, outcome: { outcome: 'grouped' }, messages: [] };
    }
  }
  if (verdict.category === 'spot_interruption' && verdict.taskArn !== null) {
    const warning = await readRecord<SpotWarning>(context.store, 'spot-task', verdict.taskArn);
    if (withinStory(warning, time)) return { handled: true, alertKey: warning.key, outcome: { outcome: 'grouped' }, messages: [] };
    // The stop came before its warning (EventBridge keeps no order): it opens the story the warning would have
    // opened, under the same key, so the warning delivered after it joins it instead of telling it again.
    const intoStory = spotStoryOf(verdict);
    if (intoStory !== null) return { handled: false, adjust: intoStory };
  }

  if (verdict.category === 'spot_interruption_warning' && verdict.taskArn !== null) {
    const scope = alertScope(verdict);
    await writeRecord(context.store, 'spot-task', verdict.taskArn, { warnedAt: time, key: `${scope}|spot_interruption_warning` } satisfies SpotWarning, time);
    const interruption = await updateRecord<SpotHistory, { nth: number; news: boolean }>(
      context.store,
      'spot',
      scope,
      () => ({ interruptions: [] }),
      (current) => countInterruption(current, verdict.taskArn ?? '', time),
      time,
    );
    const interruptions = interruption.nth;
    const service = verdict.service === null || verdict.cluster === null ? undefined : await context.lookups.services?.(verdict.cluster, verdict.service);
    const lastTask = service !== null && service !== undefined && service.runningCount === 0;
    const counts = service === null || service === undefined ? '' : ` ${service.runningCount} of ${service.desiredCount} tasks running.`;
    return {
      handled: false,
      // A later interruption of the service while its alert is quiet is news (how often Spot takes it back): told.
      tellWhenQuiet: interruption.news && interruptions > 1,
      adjust: (alert) => ({
        ...alert,
        title: interruptions > 1 ? fitTitle(`${alert.title}: interruption ${interruptions} in 24 h`) : alert.title,
        // null: the lookup was made and failed (undefined: none was made); the alert goes without the counts.
        enriched: alert.enriched && service !== null,
        severity: lastTask ? 'critical' : alert.severity,
        summary: `${alert.summary}${counts} ${interruptions === 1 ? 'First Spot interruption' : `Spot interruption ${interruptions}`} of this service in 24 hours.${lastTask ? ' No task of the service is left running.' : ''}`,
      }),
    };
  }

  if (verdict.category === 'ec2_spot_interruption_warning' && instance !== null) {
    const index = await readRecord<InstanceIndex>(context.store, 'instance', instance);
    const located: Classification = index === null ? verdict : { ...verdict, cluster: index.cluster, containerInstanceArn: index.containerInstanceArn };
    const tasks = await context.lookups.instances?.(instance, index === null ? [] : [index.cluster]);
    const located2: Classification = tasks === null || tasks === undefined ? located : { ...located, cluster: lastSegment(tasks.clusterArn) ?? located.cluster, containerInstanceArn: tasks.containerInstanceArn };
    const key = `${alertScope(located2)}|${verdict.category}`;
    await writeRecord(context.store, 'spot-instance', instance, { warnedAt: time, key } satisfies SpotWarning, time);
    // A draining delivered before the warning alerted on its own: the interruption's story covers it from now on.
    if (located2.cluster !== null) await context.changeGroup(`${alertScope(located2)}|container_instance_draining`, (current) => closeQuietly(current, time));
    const byService = new Map<string, number>();
    for (const task of tasks?.tasks ?? []) byService.set(task.service ?? '(standalone tasks)', (byService.get(task.service ?? '(standalone tasks)') ?? 0) + 1);
    const onIt =
      byService.size === 0
        ? ''
        : ` On it: ${[...byService].map(([service, count]) => `${count} ${count === 1 ? 'task' : 'tasks'} of service ${service}`).join(', ')}.`;
    return {
      handled: false,
      verdict: located2,
      adjust: (alert) => ({ ...alert, summary: `${alert.summary}${onIt}`, facts: { ...alert.facts, cause: `${alert.facts.cause}${onIt}` }, enriched: alert.enriched && tasks !== null }),
    };
  }

  if (verdict.category === 'placement_failure_spot_capacity' && verdict.service !== null) {
    const scope = alertScope(verdict);
    const failing = await context.store.getGroup(`${scope}|placement_failure_spot_capacity`);
    const since = failing?.state.status === 'firing' ? failing.state.openedAt : null;
    if (since !== null && Date.parse(time) - Date.parse(since) >= context.config.spotOutageMinutes * 60_000) {
      const base = await context.build(verdict);
      const alert: Alert = {
        ...base,
        key: `${scope}|spot-capacity-outage`,
        severity: 'critical',
        title: fitTitle(`No Fargate Spot capacity for ${context.config.spotOutageMinutes}+ min – ${subjectOf(base)}`),
        summary: `ECS has not been able to place tasks of ${subjectOf(base)} on Fargate Spot since ${since}. ${base.facts.cause}`,
      };
      const messages = await context.changeGroup(alert.key, (current) => openGroup(current, alert, scope, context.eventId, { windowMinutes: 5, repeatHours: 4 }));
      if (messages.length > 0) return { handled: true, alertKey: alert.key, outcome: outcomeOf(messages), messages };
    }
  }
  return null;
}

/**
 * Puts a task's Spot stop in the interruption story it belongs to: its service's Fargate Spot warning, or its EC2
 * instance's interruption warning (the stop names the instance). Null when the stop says too little.
 */
function spotStoryOf(verdict: Classification): ((alert: Alert) => Alert) | null {
  if (verdict.containerInstanceArn === null && verdict.service !== null) {
    const key = `${alertScope(verdict)}|spot_interruption_warning`;
    return (alert) => ({ ...alert, key });
  }
  if (verdict.ec2InstanceId === null || verdict.cluster === null) return null;
  const instance: Classification = { ...verdict, service: null, taskArn: null, taskDefinitionArn: null, group: null };
  const key = `${alertScope(instance)}|ec2_spot_interruption_warning`;
  return (alert) => intoInstanceStory(alert, key);
}

/**
 * A task stop in its instance's interruption story: the story is about the instance (the stops of several services
 * share it), so its messages name the instance; the stop's own summary still names the task and its service.
 */
function intoInstanceStory(alert: Alert, key: string): Alert {
  return { ...alert, key, facts: { ...alert.facts, service: null, taskFamily: null } };
}

/** The container-instance alerts people act on: they name the tasks that run on the instance. */
const INSTANCE_CATEGORIES = new Set(['container_instance_draining', 'container_instance_impaired', 'container_instance_agent_disconnected']);

export async function describeInstance(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  if (!verdict.alert || !INSTANCE_CATEGORIES.has(verdict.category) || verdict.ec2InstanceId === null || context.lookups.instances === undefined) return null;
  const tasks = await context.lookups.instances(verdict.ec2InstanceId, verdict.cluster === null ? [] : [verdict.cluster]);
  // The lookup failed (or ECS does not know the instance): the alert goes out without the tasks, and says so.
  if (tasks === null) return { handled: false, adjust: (alert) => ({ ...alert, enriched: false }) };
  const byService = new Map<string, number>();
  for (const task of tasks.tasks) byService.set(task.service ?? '(standalone tasks)', (byService.get(task.service ?? '(standalone tasks)') ?? 0) + 1);
  const onIt =
    byService.size === 0
      ? ' No task runs on it.'
      : ` Tasks on it: ${[...byService].map(([service, count]) => `${count} of service ${service}`).join(', ')}.`;
  return { handled: false, adjust: (alert) => ({ ...alert, summary: `${alert.summary}${onIt}` }) };
}

/**
 * A Fargate task retirement notice names the tasks AWS will stop, and says which ones their service replaces by
 * itself and which are standalone (RunTask, schedules) and must be relaunched, from DescribeTasks when it answers.
 */
export async function describeRetirement(verdict: Classification, context: TrackingContext): Promise<Tracked | null> {
  if (verdict.category !== 'fargate_task_retirement_scheduled') return null;
  const tasks = context.resources.filter((arn) => parseArn(arn)?.resourceType === 'task');
  if (tasks.length === 0) return null;
  const cluster = clusterName(tasks[0]);
  const described = cluster === null || context.lookups.tasks === undefined ? null : await context.lookups.tasks(cluster, tasks);
  const id = (arn: string): string => lastSegment(arn) ?? arn;
  let detail: string;
  if (described === null) {
    detail = ` Tasks: ${tasks.map(id).join(', ')}.`;
  } else {
    const byArn = new Map(described.map((task) => [task.taskArn, task]));
    const ofServices = tasks.filter((arn) => byArn.get(arn)?.service != null);
    const standalone = tasks.filter((arn) => byArn.get(arn)?.service == null);
    const services = [...new Set(ofServices.map((arn) => byArn.get(arn)?.service ?? ''))].join(', ');
    detail =
      (ofServices.length === 0 ? '' : ` ${ofServices.length} of service ${services} (${ofServices.map(id).join(', ')}): the service replaces them by itself.`) +
      (standalone.length === 0 ? '' : ` ${standalone.length} standalone (${standalone.map(id).join(', ')}): relaunch them yourself, before the date if they must not be cut off.`);
  }
  return { handled: false, adjust: (alert) => ({ ...alert, summary: `${alert.facts.cause}${detail}`, enriched: described !== null && alert.enriched }) };
}
