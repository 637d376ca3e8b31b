import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { AlertMessageError } from '../../../lib/errors.ts';
import { createLogger } from '../../../lib/log.ts';
import { deliverToSlack } from '../../../lib/notify/slack-lambda.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { snsEvent } from '../../support/sns-event.ts';

function deps(publish: (alert: Alert) => Promise<void> = async () => undefined) {
  const lines: string[] = [];
  const posted: Alert[] = [];
  return {
    lines,
    posted,
    deps: {
      logger: createLogger((line) => lines.push(line)),
      notifier: {
        publish: async (alert: Alert) => {
          await publish(alert);
          posted.push(alert);
        },
      },
    },
  };
}

describe('deliverToSlack', () => {
  it('posts the alert of an SNS record and logs it', async () => {
    const alert = sampleAlert();
    const { deps: d, posted, lines } = deps();

    await deliverToSlack(snsEvent(JSON.stringify({ version: 1, alert })), 'lambda request r-1', d);

    expect(posted).toEqual([alert]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', message: 'alert posted to Slack', alertId: alert.id, snsMessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
  });

  it('fails with an AlertMessageError naming the SNS message when the record holds no alert', async () => {
    const { deps: d, posted, lines } = deps();

    const error: unknown = await deliverToSlack(snsEvent('hello', { messageId: 'bad-1' }), 'lambda request r-2', d).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(AlertMessageError);
    expect(error).toMatchObject({ origin: 'SNS message bad-1', message: 'SNS message bad-1: message is not JSON' });
    expect(posted).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', message: 'alert not posted to Slack', snsMessageId: 'bad-1', errorName: 'AlertMessageError' });
  });

  it('rejects an event that is not from SNS', async () => {
    const { deps: d } = deps();
    await expect(deliverToSlack({ detail: {} }, 'lambda request r-3', d)).rejects.toThrow('lambda request r-3: not an SNS event: no Records array');
    await expect(deliverToSlack({ Records: [{ body: '{}' }] }, 'lambda request r-4', d)).rejects.toThrow('lambda request r-4, record 0: not an SNS record: no Sns object');
    await expect(deliverToSlack({ Records: [{ Sns: { MessageId: 'm-5' } }] }, 'lambda request r-5', d)).rejects.toThrow('SNS message m-5: SNS record without a Message string');
  });

  it('lets a failed post fail the invocation so that Lambda retries it', async () => {
    const { deps: d, lines } = deps(async () => {
      throw new Error('Slack is down');
    });
    await expect(deliverToSlack(snsEvent(JSON.stringify({ version: 1, alert: sampleAlert() })), 'lambda request r-6', d)).rejects.toThrow('Slack is down');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', errorMessage: 'Slack is down' });
  });
});
