import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { AlertMessageError } from '../../../lib/errors.ts';
import { parseAlertMessage } from '../../../lib/notify/alert-message.ts';
import { sampleAlert } from '../../support/alerts.ts';

function failure(body: string): AlertMessageError {
  try {
    parseAlertMessage(body, 'SNS message 95df01b4');
  } catch (error) {
    if (error instanceof AlertMessageError) return error;
    throw error;
  }
  throw new Error('expected an AlertMessageError');
}

describe('parseAlertMessage', () => {
  it('reads back the alert the SNS publisher sends', () => {
    const alert = sampleAlert({ kind: 'follow-up', spot: true });
    alert.facts.containers[1]!.essential = null;
    expect(parseAlertMessage(JSON.stringify({ version: 1, alert, trimmed: true }), 'test')).toEqual(alert);
  });

  it('names the record when the message is not JSON', () => {
    const error = failure('[WARNING] OOM: service orders-api');
    expect(error.message).toBe('SNS message 95df01b4: message is not JSON');
    expect(error.origin).toBe('SNS message 95df01b4');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('rejects another version of the message', () => {
    expect(failure(JSON.stringify({ version: 2, alert: sampleAlert() })).message).toBe('SNS message 95df01b4: unsupported message version 2 (expected 1)');
    expect(failure(JSON.stringify({ alert: sampleAlert() })).message).toContain('unsupported message version undefined');
  });

  it('names the first field that does not have the expected type', () => {
    const untitled: Partial<Alert> = sampleAlert();
    delete untitled.title;
    expect(failure(JSON.stringify({ version: 1, alert: untitled })).message).toBe('SNS message 95df01b4: alert.title: expected a string');

    const badSeverity = { version: 1, alert: { ...sampleAlert(), severity: 'CRITICAL' } };
    expect(failure(JSON.stringify(badSeverity)).message).toBe('SNS message 95df01b4: alert.severity: expected one of critical, warning, info');

    const badContainer = sampleAlert();
    expect(failure(JSON.stringify({ version: 1, alert: { ...badContainer, facts: { ...badContainer.facts, containers: [{ name: 'web', exitCode: '137' }] } } })).message).toBe(
      'SNS message 95df01b4: alert.facts.containers[0].essential: expected true or false',
    );
    expect(failure(JSON.stringify({ version: 1, alert: { ...sampleAlert(), category: 'nope' } })).message).toContain('alert.category: expected one of task_lifecycle');
    expect(failure(JSON.stringify({ version: 1, alert: [] })).message).toBe('SNS message 95df01b4: alert: expected an object');
  });
});
