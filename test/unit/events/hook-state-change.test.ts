import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../lib/events/parse.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

/** AWS's example of the hook page, as recorded; each test changes its own copy. */
function documented(): Record<string, unknown> {
  return loadFixture('hook/awaiting-action.json');
}

function parsedHook(event: unknown): Extract<ReturnType<typeof parseEvent>, { kind: 'hook' }> {
  const parsed = parseEvent(event, 'test');
  if (parsed.kind !== 'hook') throw new Error(`expected a hook event, got ${parsed.kind}`);
  return parsed;
}

describe('parseEvent: ECS Hook State Change', () => {
  it("reads AWS's example into typed fields, keeping the nanoseconds of updatedAt as sent", () => {
    const event = parsedHook(documented());
    expect(event.detail).toEqual({
      eventType: 'INFO',
      eventName: 'HOOK_AWAITING_ACTION',
      hookId: 'ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw',
      hookType: 'PAUSE',
      expiresAt: '2026-03-05T16:04:41Z',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      clusterArn: 'arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster',
      serviceArn: 'arn:aws:ecs:us-west-2:123456789012:service/my-cluster/my-service',
      serviceDeploymentArn: 'arn:aws:ecs:us-west-2:123456789012:service-deployment/my-cluster/my-service/0EYSiB0qap8xf0N76FsbE',
      updatedAt: '2026-03-05T15:54:41.618059641Z',
    });
    expect(event.envelope.resources).toEqual(['arn:aws:ecs:us-west-2:123456789012:service-deployment/my-cluster/my-service/0EYSiB0qap8xf0N76FsbE']);
    expect(event.warnings).toEqual([]);
  });

  it('reads an event without resources, as the pause-hooks page shows one, saying so as for any event', () => {
    const event = parsedHook(loadFixture('hook/awaiting-action-no-resources.json'));
    expect(event.envelope.resources).toEqual([]);
    expect(event.detail.serviceArn).toBe('arn:aws:ecs:us-west-2:123456789012:service/my-cluster/my-service');
    expect(event.warnings).toEqual(['envelope field "resources" is missing']);
  });

  it('reads a timeoutAction when an event carries one, and event names in any case', () => {
    const raw = documented();
    Object.assign(detailOf(raw), { eventName: 'hook_timed_out', timeoutAction: 'continue', hookType: 'aws_lambda' });
    expect(parsedHook(raw).detail).toMatchObject({ eventName: 'HOOK_TIMED_OUT', timeoutAction: 'CONTINUE', hookType: 'AWS_LAMBDA' });
  });

  it('keeps an event name it does not know as it came', () => {
    const raw = documented();
    detailOf(raw).eventName = 'HOOK_SKIPPED';
    expect(parsedHook(raw).detail.eventName).toBe('HOOK_SKIPPED');
  });

  it('drops fields of the wrong type with a warning naming their path', () => {
    const raw = documented();
    Object.assign(detailOf(raw), { hookId: { id: 'x' }, expiresAt: ['2026-03-05T16:04:41Z'] });
    const event = parsedHook(raw);
    expect(event.detail.hookId).toBeUndefined();
    expect(event.detail.expiresAt).toBeUndefined();
    expect(event.warnings).toEqual(['detail.hookId: expected a string, got object; ignored', 'detail.expiresAt: expected a string, got array; ignored']);
  });
});
