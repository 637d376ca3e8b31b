import type { Alert } from '../../lib/alerts/alert.ts';
import { isRecord } from '../../lib/events/schema.ts';
import { parseAlertMessage } from '../../lib/notify/alert-message.ts';

/** The JSON document of a `MessageStructure: 'json'` publish: one string per protocol key. */
export function snsDocument(message: string): Record<string, string> {
  const value: unknown = JSON.parse(message);
  if (!isRecord(value)) throw new Error('the SNS message is not a JSON object');
  const document: Record<string, string> = {};
  for (const [key, body] of Object.entries(value)) {
    if (typeof body !== 'string') throw new Error(`key ${key} of the SNS message is not a string`);
    document[key] = body;
  }
  return document;
}

/** A machine body `{ version: 1, alert, trimmed? }`, read with the same parser the Slack function uses. */
export function machineBody(body: string | undefined): { alert: Alert; trimmed: boolean } {
  if (body === undefined) throw new Error('no machine body');
  const value: unknown = JSON.parse(body);
  return { alert: parseAlertMessage(body, 'test'), trimmed: isRecord(value) && value.trimmed === true };
}
