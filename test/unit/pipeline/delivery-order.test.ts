import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { jittered, seededRandom } from '../../support/random.ts';
import { replay, scenario } from '../../support/scenario-replay.ts';

// EventBridge delivers at least once and not in order: the recorded scenarios delivered with duplicates and
// shuffled must tell the same story as in order. Each delivery happens within WINDOW of its event's time (EventBridge
// reorders within seconds; 30 s leaves a margin), a random fraction twice, and the clock is each event's own time,
// as in the replay. Permutations are seeded, several per scenario, so a failure names a reproducible order.

const WINDOW_MS = 30_000;
const DUPLICATE_RATE = 0.3;
const SEEDS = Array.from({ length: 25 }, (_, index) => 1_000 + index);

interface Delivery {
  event: Record<string, unknown>;
  /** Index of the event in the recorded sequence. */
  index: number;
}

/** The recorded events as delivered: each within WINDOW_MS of its time, some twice, in a seeded order. */
function delivered(events: readonly Record<string, unknown>[], seed: number): Delivery[] {
  const random = seededRandom(seed);
  const copies = events.flatMap((event, index) => {
    const at = Date.parse(String(event.time));
    const once = { item: { event, index }, at };
    return random() < DUPLICATE_RATE ? [once, { item: { event: structuredClone(event), index }, at }] : [once];
  });
  return jittered(copies, random, WINDOW_MS);
}

/** What people are told, independent of the order it went out in: kind, key and title of each message. */
function told(sent: readonly Alert[]): string[] {
  return sent.map((alert) => `${alert.kind} · ${alert.key} · ${alert.title}`).sort();
}

describe.each(['deployment-rollback', 'oom-crash-loop', 'fargate-spot-one-of-three'])('scenario %s delivered with duplicates and out of order', (name) => {
  it.each(SEEDS)('tells the same messages, each once (seed %i)', async (seed) => {
    const inOrder = await replay(scenario(name));
    const shuffled = await replay(delivered(scenario(name), seed).map(({ event }) => event));

    expect(told(shuffled.sent)).toEqual(told(inOrder.sent));
    // A duplicate is never counted twice: the follow-up's and the resolved notice's counts are the in-order ones.
    expect(shuffled.sent.map((alert) => alert.group.count).sort()).toEqual(inOrder.sent.map((alert) => alert.group.count).sort());
    expect(new Set(shuffled.sent.map((alert) => alert.id)).size).toBe(shuffled.sent.length);
  });

  it('is really reordered by several seeds', () => {
    const changed = SEEDS.filter((seed) => {
      const order = delivered(scenario(name), seed).map(({ index }) => index);
      return order.some((index, position) => position > 0 && index < order[position - 1]!);
    });
    expect(changed.length).toBeGreaterThanOrEqual(5);
  });
});

describe('scenario ec2-spot-two-services delivered with duplicates and out of order', () => {
  const SPOT_WARNING = 2;
  const DRAINING = 3;

  // A documented difference, not a bug this test hides: the instance starts draining two seconds after the Spot
  // warning, and the two come from different sources (aws.ecs, aws.ec2), which EventBridge does not order. A
  // draining delivered first cannot know a Spot warning will follow, so it alerts on its own (a warning, no page);
  // the Spot warning then still goes out once, naming both services, and takes in the stops. Holding every draining
  // alert back to wait for a possible Spot warning would delay the ordinary drain alerts; it is not done.
  it.each(SEEDS)('tells the Spot warning once, and the draining too only when it came first (seed %i)', async (seed) => {
    const inOrder = await replay(scenario('ec2-spot-two-services'));
    const deliveries = delivered(scenario('ec2-spot-two-services'), seed);
    const shuffled = await replay(deliveries.map(({ event }) => event));

    const drainingFirst = deliveries.findIndex(({ index }) => index === DRAINING) < deliveries.findIndex(({ index }) => index === SPOT_WARNING);
    const drainingAlert = shuffled.sent.filter((alert) => alert.category === 'container_instance_draining');
    expect(told(shuffled.sent.filter((alert) => alert.category !== 'container_instance_draining'))).toEqual(told(inOrder.sent));
    expect(drainingAlert.map((alert) => alert.title)).toEqual(drainingFirst ? ['Container instance draining – instance i-0b1c2d3e4f5a6b7c8 (batch-ec2)'] : []);
    expect(shuffled.sent.find((alert) => alert.category === 'ec2_spot_interruption_warning')?.summary).toBe(inOrder.sent[0]!.summary);
  });

  it('has seeds with either order, so both branches above are exercised', () => {
    const orders = SEEDS.map((seed) => {
      const deliveries = delivered(scenario('ec2-spot-two-services'), seed);
      return deliveries.findIndex(({ index }) => index === DRAINING) < deliveries.findIndex(({ index }) => index === SPOT_WARNING);
    });
    expect(new Set(orders)).toEqual(new Set([true, false]));
  });
});
