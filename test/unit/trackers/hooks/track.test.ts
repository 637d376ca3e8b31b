import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, loadFixture } from '../../../support/fixtures.ts';
import { replay, scenario } from '../../../support/scenario-replay.ts';

const path = (name: string): string => `${EVENTS_DIR}scenarios/${name}.jsonl`;

describe('trackHooks', () => {
  it('tells a paused deployment once, with who must act by when and the commands, reminds while it waits, and resolves when continued', async () => {
    const { sent } = await replay(scenario(path('deployment-paused-approved')));
    expect(sent.map((alert) => [alert.kind, alert.severity, alert.time])).toEqual([
      ['new', 'warning', '2026-03-05T10:00:00Z'],
      ['repeat', 'warning', '2026-03-05T14:00:00Z'],
      ['resolved', 'warning', '2026-03-05T15:10:00.000Z'],
    ]);
    const [waiting, reminder, resolved] = sent;
    expect(waiting?.key).toBe('111122223333|eu-west-1|shop-prod|service:checkout|deployment_hook:ecs-pause-Q1aZ8xC3vB5nM7kL9jH2gF4dS6aP0oI8uY1tR3eW5q');
    expect(waiting?.summary).toBe(
      'Deployment Bq7nR2xKc9dLmP4sT8vWy of service checkout is paused at stage POST_TEST_TRAFFIC_SHIFT, waiting for someone to continue it or roll it back. If nobody acts by 2026-03-06T10:00:00.000Z, ECS takes the hook\'s timeout action: it rolls the deployment back (ROLLBACK unless the hook says CONTINUE).',
    );
    const arn = 'arn:aws:ecs:eu-west-1:111122223333:service-deployment/shop-prod/checkout/Bq7nR2xKc9dLmP4sT8vWy';
    expect(waiting?.facts.remedy).toBe(
      `Check the new revision, then continue: aws ecs continue-service-deployment --service-deployment-arn ${arn} --hook-id ecs-pause-Q1aZ8xC3vB5nM7kL9jH2gF4dS6aP0oI8uY1tR3eW5q --action CONTINUE --region eu-west-1 — or roll back: aws ecs continue-service-deployment --service-deployment-arn ${arn} --hook-id ecs-pause-Q1aZ8xC3vB5nM7kL9jH2gF4dS6aP0oI8uY1tR3eW5q --action ROLLBACK --region eu-west-1`,
    );
    expect(reminder?.title).toBe('Still waiting: Deployment waiting for approval – service checkout (shop-prod)');
    expect(reminder?.summary).toBe(`Still waiting since 2026-03-05T10:00:00Z, nothing has changed. ${waiting?.summary ?? ''}`);
    expect(resolved?.summary).toMatch(/^The pause hook ecs-pause-Q1aZ8x\S+ of service checkout at stage POST_TEST_TRAFFIC_SHIFT was continued at 2026-03-05T15:10:00.000Z\./);
  });

  it('tells each pause of a linear deployment as its own step of the deployment', async () => {
    const { sent } = await replay(scenario(path('deployment-linear-three-pauses')));
    expect(sent.map((alert) => alert.kind)).toEqual(['new', 'resolved', 'new', 'resolved', 'new', 'resolved']);
    expect(new Set(sent.map((alert) => alert.key)).size).toBe(3);
    expect(sent.filter((alert) => alert.kind === 'new').map((alert) => /traffic step \d/.exec(alert.summary)?.[0] ?? 'first')).toEqual(['first', 'traffic step 2', 'traffic step 3']);
  });

  it('pages when the pause expires within a repeat interval, and says a rollback follows when it times out', async () => {
    const { sent } = await replay(scenario(path('deployment-pause-times-out')));
    expect(sent.map((alert) => [alert.kind, alert.severity])).toEqual([
      ['new', 'critical'],
      ['resolved', 'critical'],
    ]);
    expect(sent[1]?.summary).toMatch(/timed out with nobody acting: ECS takes its timeout action \(a rollback unless the hook says CONTINUE\)/);
  });

  it('opens nothing for a wait whose end was delivered first, and tells nothing twice when the end comes twice', async () => {
    const events = scenario(path('deployment-paused-approved'));
    const [awaiting, inProgress, succeeded] = events;
    const { sent, outcomes } = await replay([succeeded!, inProgress!, awaiting!, succeeded!]);
    expect(sent).toEqual([]);
    expect(outcomes).toEqual(['suppressed:info', 'suppressed:info', 'suppressed:late', 'suppressed:duplicate']);
  });

  it('adds no alert of its own for a hook that failed or timed out with nothing waiting: the deployment tells the rollback', async () => {
    const { sent, outcomes } = await replay([loadFixture('hook/failed.json'), loadFixture('hook/timed-out.json')]);
    expect(sent).toEqual([]);
    expect(outcomes).toEqual(['suppressed:info', 'suppressed:info']);
  });

  it('keeps the reminder deadline of the wait in the alert it opens', async () => {
    const { sent } = await replay(scenario(path('deployment-pause-times-out')));
    expect(sent[0]?.reminder).toEqual({ until: '2026-03-07T23:00:00.000Z' });
  });

  it('numbers a step among the pauses seen so far, and opens nothing more for a wait delivered again', async () => {
    const events = scenario(path('deployment-linear-three-pauses'));
    const [wait1, done1, wait2, done2, wait3] = events;
    const again = { ...structuredClone(wait2!), id: 'a-second-delivery-of-the-step-2-wait' };
    // Delivered in reverse, each wait is the earliest pause seen when it arrives: told without a step number, not
    // with a number that a later delivery would make wrong.
    const { sent, outcomes } = await replay([wait3!, wait2!, again, wait1!, done1!, done2!]);
    const told = sent.filter((alert) => alert.kind === 'new');
    expect(told).toHaveLength(3);
    expect(told.map((alert) => /traffic step \d/.test(alert.summary))).toEqual([false, false, false]);
    expect(outcomes[2]).toBe('grouped');
  });
});
