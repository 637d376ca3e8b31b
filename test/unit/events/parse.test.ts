import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../../lib/errors.ts';
import { parseEvent } from '../../../lib/events/parse.ts';
import { genericEvent, taskEvent } from '../../support/events.ts';

function parseError(value: unknown): EventParseError {
  try {
    parseEvent(value, 'events/bad.json');
  } catch (error) {
    if (error instanceof EventParseError) return error;
    throw error;
  }
  throw new Error('expected parseEvent to throw');
}

describe('parseEvent', () => {
  it('reads a task state change into typed fields', () => {
    const event = parseEvent(taskEvent({ stopCode: 'EssentialContainerExited' }, [{ name: 'web', exitCode: 137 }]), 'test');
    expect(event.kind).toBe('task');
    if (event.kind !== 'task') return;
    expect(event.detail.stopCode).toBe('EssentialContainerExited');
    expect(event.detail.containers?.[0]).toMatchObject({ name: 'web', exitCode: 137 });
    expect(event.envelope).toMatchObject({ detailType: 'ECS Task State Change', account: '111122223333', region: 'us-west-2' });
    expect(event.warnings).toEqual([]);
  });

  it.each([
    ['ECS Container Instance State Change', 'aws.ecs', 'containerInstance'],
    ['ECS Container Instance Health Change', 'aws.ecs', 'containerInstanceHealth'],
    ['ECS Service Action', 'aws.ecs', 'serviceAction'],
    ['ECS Deployment State Change', 'aws.ecs', 'deployment'],
    ['ECS Hook State Change', 'aws.ecs', 'hook'],
    ['ECS Daemon Service Action', 'aws.ecs', 'daemonServiceAction'],
    ['ECS Daemon Deployment State Change', 'aws.ecs', 'daemonDeployment'],
    ['EC2 Spot Instance Interruption Warning', 'aws.ec2', 'ec2SpotInterruption'],
    ['EC2 Instance Rebalance Recommendation', 'aws.ec2', 'ec2Rebalance'],
    ['EC2 Instance State-change Notification', 'aws.ec2', 'ec2StateChange'],
    ['AWS Health Event', 'aws.health', 'health'],
  ])('recognises "%s"', (detailType, source, kind) => {
    expect(parseEvent(genericEvent(detailType, source, {}), 'test').kind).toBe(kind);
  });

  it('accepts an unknown detail-type as unsupported instead of failing', () => {
    const event = parseEvent(genericEvent('ECS Capacity Reservation Something New', 'aws.ecs', { anything: 1 }), 'test');
    expect(event.kind).toBe('unsupported');
    expect(event.warnings).toEqual([]);
  });

  it('warns about each missing envelope field but still parses', () => {
    const event = parseEvent({ 'detail-type': 'ECS Task State Change', detail: { lastStatus: 'STOPPED' } }, 'test');
    expect(event.kind).toBe('task');
    expect(event.warnings).toEqual([
      'envelope field "version" is missing',
      'envelope field "id" is missing',
      'envelope field "source" is missing',
      'envelope field "account" is missing',
      'envelope field "time" is missing',
      'envelope field "region" is missing',
      'envelope field "resources" is missing',
    ]);
    expect(event.envelope).toMatchObject({ id: null, time: null, resources: [] });
  });

  it('drops a field of the wrong type with a warning naming its path', () => {
    const raw = taskEvent({ version: 'five' }, [{ name: 'web', exitCode: 1 }]);
    const detail = raw.detail as { containers: Array<Record<string, unknown>> };
    detail.containers[0]!.exitCode = { code: 1 };
    const event = parseEvent(raw, 'test');
    if (event.kind !== 'task') throw new Error('expected a task event');
    expect(event.detail.version).toBeUndefined();
    expect(event.detail.containers?.[0]?.exitCode).toBeUndefined();
    expect(event.warnings).toEqual([
      'detail.containers[0].exitCode: expected a number, got object; ignored',
      'detail.version: expected a number, got string; ignored',
    ]);
  });

  it('keeps "cpu": "null" as text and reads numeric strings as numbers', () => {
    const raw = taskEvent({ cpu: 'null' }, [{ name: 'web' }]);
    (raw.detail as { containers: Array<Record<string, unknown>> }).containers[0]!.exitCode = '137';
    const event = parseEvent(raw, 'test');
    if (event.kind !== 'task') throw new Error('expected a task event');
    expect(event.detail.cpu).toBe('null');
    expect(event.detail.containers?.[0]?.exitCode).toBe(137);
    expect(event.warnings).toEqual([]);
  });

  it('treats JSON null as absent, as AWS sends for capacityProviderName', () => {
    const event = parseEvent(genericEvent('ECS Container Instance Health Change', 'aws.ecs', { capacityProviderName: null, overallStatus: 'OK' }), 'test');
    if (event.kind !== 'containerInstanceHealth') throw new Error('expected a health change');
    expect(event.detail.capacityProviderName).toBeUndefined();
    expect(event.warnings).toEqual([]);
  });

  it('cuts oversized strings and says so', () => {
    const event = parseEvent(taskEvent({ stoppedReason: 'x'.repeat(100_000) }), 'test');
    if (event.kind !== 'task') throw new Error('expected a task event');
    expect(event.detail.stoppedReason?.length).toBe(4096);
    expect(event.warnings).toEqual(['detail.stoppedReason: 100000 characters, cut to 4096']);
  });

  it('warns when the source does not fit the detail-type', () => {
    const event = parseEvent(genericEvent('ECS Task State Change', 'custom.relay', {}), 'test');
    expect(event.warnings).toEqual(['source "custom.relay" is unusual for "ECS Task State Change" (expected "aws.ecs")']);
  });

  it.each([
    [null, null, 'events/bad.json: expected an EventBridge event (a JSON object), got null'],
    [[1, 2], null, 'events/bad.json: expected an EventBridge event (a JSON object), got an array'],
    ['text', null, 'events/bad.json: expected an EventBridge event (a JSON object), got a string'],
    [{ detail: {} }, 'detail-type', 'events/bad.json: field "detail-type" is missing'],
    [{ 'detail-type': 7, detail: {} }, 'detail-type', 'events/bad.json: field "detail-type" must be a non-empty string, got a number'],
    [{ 'detail-type': 'ECS Task State Change' }, 'detail', 'events/bad.json: field "detail" is missing'],
    [{ 'detail-type': 'ECS Task State Change', detail: [] }, 'detail', 'events/bad.json: field "detail" must be an object, got an array'],
    [{ 'detail-type': 'ECS Hook State Change', source: 'aws.ecs' }, 'detail', 'events/bad.json: field "detail" is missing'],
    [{ 'detail-type': 'ECS Daemon Service Action', detail: 'DAEMON_TASK_START_IMPAIRED' }, 'detail', 'events/bad.json: field "detail" must be an object, got a string'],
    [{ 'detail-type': 'ECS Daemon Deployment State Change', detail: null }, 'detail', 'events/bad.json: field "detail" must be an object, got null'],
  ])('rejects %j naming the origin and the field', (value, field, message) => {
    const error = parseError(value);
    expect(error.message).toBe(message);
    expect(error.field).toBe(field);
    expect(error.origin).toBe('events/bad.json');
  });
});
