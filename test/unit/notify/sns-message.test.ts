import { describe, expect, it } from 'vitest';
import type { Alert, AlertContainer } from '../../../lib/alerts/alert.ts';
import { messageAttributes, publishBytes, snsMessage, SNS_MAX_PUBLISH_BYTES, trimAlert } from '../../../lib/notify/sns-message.ts';
import { renderEmail } from '../../../lib/render/email.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { machineBody, snsDocument, snsKeys } from '../../support/sns.ts';

/** The document SNS receives, and the machine body every machine protocol gets. */
function decode(message: string): { document: Record<string, string>; machine: { alert: Alert; trimmed: boolean } } {
  const document = snsDocument(message);
  return { document, machine: machineBody(document.sqs) };
}

function withContainers(count: number, reason: (index: number) => string): Alert {
  const alert = sampleAlert();
  const template = alert.facts.containers[0]!;
  alert.facts.containers = Array.from({ length: count }, (_, index): AlertContainer => ({ ...template, name: `worker-${index}`, reason: reason(index) }));
  return alert;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

describe('messageAttributes', () => {
  it('gives every attribute subscribers filter on, in the classifier vocabulary', () => {
    expect(messageAttributes(sampleAlert())).toEqual({
      severity: { DataType: 'String', StringValue: 'warning' },
      category: { DataType: 'String', StringValue: 'oom' },
      status: { DataType: 'String', StringValue: 'firing' },
      kind: { DataType: 'String', StringValue: 'new' },
      spot: { DataType: 'String', StringValue: 'false' },
      cluster: { DataType: 'String', StringValue: 'prod' },
      service: { DataType: 'String', StringValue: 'orders-api' },
      account: { DataType: 'String', StringValue: '111122223333' },
      region: { DataType: 'String', StringValue: 'us-west-2' },
    });
  });

  it('leaves out an attribute whose value is unknown instead of sending an empty or placeholder value', () => {
    const alert = sampleAlert({ severity: 'critical', status: 'resolved', kind: 'resolved', spot: true });
    alert.facts.service = null;
    alert.facts.cluster = '   ';
    const attributes = messageAttributes(alert);
    expect(Object.keys(attributes).sort()).toEqual(['account', 'category', 'kind', 'region', 'severity', 'spot', 'status']);
    expect(attributes.severity?.StringValue).toBe('critical');
    expect(attributes.status?.StringValue).toBe('resolved');
    expect(attributes.spot?.StringValue).toBe('true');
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
  });

  it('replaces characters SNS rejects in a value', () => {
    const alert = sampleAlert();
    alert.facts.cluster = 'prod\u0000\uFFFF';
    expect(messageAttributes(alert).cluster?.StringValue).toBe('prod\uFFFD\uFFFD');
  });
});

describe('publishBytes', () => {
  it('counts the UTF-8 bytes of the message, the subject and every attribute name, type and value', () => {
    const bytes = publishBytes({ Subject: 'S', Message: 'é€', MessageAttributes: { ab: { DataType: 'String', StringValue: 'xyz' } } });
    expect(bytes).toBe(1 + (2 + 3) + (2 + 6 + 3));
  });
});

describe('snsMessage', () => {
  it('sends the machine body once, as default (sqs, lambda, https, email-json), and the email text once, to email', () => {
    const alert = sampleAlert();
    const email = renderEmail(alert);
    const message = snsMessage(alert);
    const { document, machine } = decode(message.Message);

    expect(message.MessageStructure).toBe('json');
    expect(message.Subject).toBe(email.subject);
    expect(Object.keys(snsKeys(message.Message)).sort()).toEqual(['default', 'email', 'sms']);
    expect(document.default).toBe(document.sqs);
    expect(document.email).toBe(email.text);
    expect(document.sms).toBe(email.subject);
    expect(document.lambda).toBe(document.sqs);
    expect(document.https).toBe(document.sqs);
    expect(document['email-json']).toBe(document.sqs);
    expect(JSON.parse(document.sqs!)).toEqual({ version: 1, alert });
    expect(machine).toEqual({ alert, trimmed: false });
    expect(message.MessageAttributes).toEqual(messageAttributes(alert));
  });

  it('keeps characters SQS rejects out of the message while the machine body still carries them', () => {
    const alert = sampleAlert();
    alert.facts.reason = 'bad \uFFFF char and a lone \uD800 surrogate';
    const message = snsMessage(alert);
    expect(message.Message).not.toMatch(/[\uFFFE\uFFFF]/u);
    expect(message.Message).not.toMatch(LONE_SURROGATE);
    const { document, machine } = decode(message.Message);
    expect(machine.alert.facts.reason).toBe(alert.facts.reason);
    expect(document.email).not.toMatch(/[\uFFFE\uFFFF]/u);
    expect(document.email).not.toMatch(LONE_SURROGATE);
  });

  it('trims only the machine body when that is enough to fit 256 KiB', () => {
    const alert = withContainers(10, (index) => `${index}: ${'OutOfMemoryError "heap" '.repeat(1_200)}`);
    // The machine body as the document carries it (a JSON string in JSON) is already over the limit by itself.
    const untrimmedMachineBody = JSON.stringify(JSON.stringify({ version: 1, alert })).length;
    expect(untrimmedMachineBody).toBeGreaterThan(SNS_MAX_PUBLISH_BYTES);

    const message = snsMessage(alert);
    const { document, machine } = decode(message.Message);

    expect(publishBytes(message)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
    expect(machine.trimmed).toBe(true);
    expect(machine.alert.facts.containers).toHaveLength(10);
    expect(machine.alert.facts.containers[0]!.reason!.length).toBeLessThanOrEqual(1_000);
    expect(machine.alert.facts.containers[0]!.reason!.endsWith('…')).toBe(true);
    expect(document.email).toBe(renderEmail(alert).text);
  });

  it('trims both bodies, lists first capped, until a huge alert fits, without breaking JSON or characters', { timeout: 60_000 }, () => {
    // 300 containers with 40,000-character reasons of multi-byte text: about 60 MB before trimming.
    const alert = withContainers(300, (index) => `${index} ${'émoji 🚀 "quoted" \\ back '.repeat(1_600)}`);
    alert.summary = 'Σ'.repeat(100_000);
    alert.facts.cause = '🚀'.repeat(50_000);

    const message = snsMessage(alert);
    expect(publishBytes(message)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
    expect(Buffer.byteLength(message.Message, 'utf8')).toBeLessThan(SNS_MAX_PUBLISH_BYTES);
    expect(message.Message).not.toMatch(LONE_SURROGATE);

    const { document, machine } = decode(message.Message);
    expect(machine.trimmed).toBe(true);
    expect(machine.alert.id).toBe(alert.id);
    expect(machine.alert.key).toBe(alert.key);
    expect(machine.alert.category).toBe('oom');
    expect(machine.alert.facts.containers.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify(machine.alert)).not.toMatch(LONE_SURROGATE);
    expect(document.email).toContain('Some details were shortened to fit the 256 KB limit of an SNS message.');
    expect(document.email).toContain(alert.id);
  });

  it('leaves an alert of ordinary size untouched', () => {
    const alert = sampleAlert();
    const { machine } = decode(snsMessage(alert).Message);
    expect(machine.trimmed).toBe(false);
  });
});

describe('trimAlert', () => {
  it('returns the alert itself at level 0 and keeps identity fields at every level', () => {
    const alert = withContainers(30, () => 'x'.repeat(5_000));
    expect(trimAlert(alert, 0)).toBe(alert);
    for (const level of [1, 2, 3, 4, 9]) {
      const trimmed = trimAlert(alert, level);
      expect({ id: trimmed.id, key: trimmed.key, time: trimmed.time, title: trimmed.title }).toEqual({ id: alert.id, key: alert.key, time: alert.time, title: alert.title });
    }
    expect(trimAlert(alert, 1).facts.containers).toHaveLength(20);
    expect(trimAlert(alert, 4).facts.containers).toHaveLength(0);
    expect(alert.facts.containers).toHaveLength(30);
  });
});
