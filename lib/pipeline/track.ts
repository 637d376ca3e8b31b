import type { Alert } from '../alerts/alert.ts';
import type { Outcome } from '../alerts/grouping.ts';
import type { Classification } from '../classify/verdict.ts';
import { trackCrashLoops, trackDeployments } from '../trackers/deploy/track.ts';
import { trackHooks } from '../trackers/hooks/track.ts';
import { describeInstance, describeRetirement, trackSpot } from '../trackers/spot/track.ts';
import type { Tracked, TrackingContext } from '../trackers/context.ts';

/**
 * Follows events across time before ordinary alerting: deployment lifecycle hooks (one story per hook), deployments (their failed tasks, rollback and outcome), crash
 * loops of a service's tasks, and Spot interruptions (a warning and the stops that follow it are one story). A tracker
 * either takes an event over, or lets ordinary alerting go on, possibly adjusting its alert or its resolution.
 */
export async function trackEvent(
  verdict: Classification,
  context: TrackingContext,
  applyToGroup: (key: string, alert: Alert) => Promise<{ outcome: Outcome; messages: Alert[] }>,
): Promise<Tracked> {
  const spot = await trackSpot(verdict, context);
  if (spot !== null) return spot;
  const hook = await trackHooks(verdict, context);
  if (hook !== null) return hook;
  const deployment = await trackDeployments(verdict, context);
  if (deployment !== null) return deployment;
  const loop = await trackCrashLoops(verdict, context, applyToGroup);
  if (loop !== null) return loop;
  return (await describeInstance(verdict, context)) ?? (await describeRetirement(verdict, context)) ?? { handled: false };
}
