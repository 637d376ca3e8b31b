import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { handler as capacityHandler } from '../../../functions/capacity-events.ts';
import { handler as containerInstanceHandler } from '../../../functions/container-instance-events.ts';
import { handler as serviceHandler } from '../../../functions/service-events.ts';
import { handler as taskHandler } from '../../../functions/task-events.ts';
import { EventParseError } from '../../../lib/errors.ts';
import { deploymentEvent, genericEvent, taskEvent } from '../../support/events.ts';

const context = { awsRequestId: 'c0ffee00-0000-4000-8000-000000000001' } as Context;

function loggedLines(): Record<string, unknown>[] {
  const log = vi.mocked(console.log);
  return log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

describe('EventBridge handlers', () => {
  it('classify a task stop and log the verdict as one JSON line', async () => {
    const verdict = await taskHandler(
      taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, [{ name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }]),
      context,
    );
    expect(verdict).toMatchObject({ category: 'oom', severity: 'warning', service: 'api' });
    expect(loggedLines()).toEqual([
      expect.objectContaining({ level: 'info', message: 'event classified', id: '3317b2af-7005-947d-b652-f55e762e571a', category: 'oom', severity: 'warning', alert: true, cluster: 'prod', service: 'api' }),
    ]);
  });

  it('log warnings about incomplete events next to the verdict', async () => {
    const event = deploymentEvent({ eventName: 'SERVICE_DEPLOYMENT_FAILED' });
    delete event.time;
    await serviceHandler(event, context);
    expect(loggedLines()[0]).toMatchObject({ level: 'warn', message: 'event read with warnings', warnings: ['envelope field "time" is missing'], category: 'deployment_failed' });
  });

  it('reject an unclassifiable event with a typed error, logged with its field, so Lambda retries it', async () => {
    await expect(containerInstanceHandler({ 'detail-type': 'ECS Container Instance State Change' }, context)).rejects.toBeInstanceOf(EventParseError);
    expect(loggedLines()).toEqual([
      {
        level: 'error',
        message: 'event rejected',
        origin: 'lambda request c0ffee00-0000-4000-8000-000000000001',
        field: 'detail',
        errorName: 'EventParseError',
        errorMessage: 'lambda request c0ffee00-0000-4000-8000-000000000001: field "detail" is missing',
      },
    ]);
  });

  it('classify EC2 and Health signals in the capacity handler', async () => {
    const verdict = await capacityHandler(genericEvent('EC2 Spot Instance Interruption Warning', 'aws.ec2', { 'instance-id': 'i-0a1b2c3d4e5f67890', 'instance-action': 'terminate' }), context);
    expect(verdict).toMatchObject({ category: 'ec2_spot_interruption_warning', spot: true });
  });
});
