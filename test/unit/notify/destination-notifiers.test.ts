import { describe, expect, it } from 'vitest';
import { ConfigError, PublishError } from '../../../lib/errors.ts';
import { AmazonQNotifier } from '../../../lib/notify/amazon-q.ts';
import { deliveryLedgerOn, DELIVERED_KIND } from '../../../lib/notify/delivery-ledger.ts';
import { destinationNotifiers } from '../../../lib/notify/destination-notifiers.ts';
import { PagerDutyNotifier } from '../../../lib/notify/pagerduty.ts';
import { SlackThreadNotifier } from '../../../lib/notify/slack-thread.ts';
import { SlackNotifier } from '../../../lib/notify/slack.ts';
import { TeamsNotifier } from '../../../lib/notify/teams.ts';
import type { Destination } from '../../../lib/routing/config.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleAlert } from '../../support/alerts.ts';

const webhook: Destination = { name: 'chat', type: 'slack', webhook: { parameter: '/ecs/slack' } };
const bot: Destination = { name: 'threads', type: 'slack', token: { secret: 'ecs/slack-bot' }, channel: 'C0123456789' };
const teams: Destination = { name: 'teams', type: 'teams', webhook: { secret: 'ecs/teams' } };
const pager: Destination = { name: 'pager', type: 'pagerduty', routingKey: { parameter: '/ecs/pagerduty' } };
const amazonQ: Destination = { name: 'q', type: 'amazon-q' };
const mail: Destination = { name: 'mail', type: 'email', address: 'oncall@example.com' };

describe('destinationNotifiers', () => {
  it('builds the notifier of each destination type once, and keeps it', () => {
    const q = new AmazonQNotifier({ send: async () => ({}) }, 'arn:aws:sns:eu-west-1:111122223333:q');
    const notifierFor = destinationNotifiers({ store: new MemoryStore(), amazonQ: q });
    expect(notifierFor(webhook)).toBeInstanceOf(SlackNotifier);
    expect(notifierFor(bot)).toBeInstanceOf(SlackThreadNotifier);
    expect(notifierFor(teams)).toBeInstanceOf(TeamsNotifier);
    expect(notifierFor(pager)).toBeInstanceOf(PagerDutyNotifier);
    expect(notifierFor(amazonQ)).toBe(q);
    expect(notifierFor(webhook)).toBe(notifierFor(webhook));
  });

  it('refuses, naming the variable, a thread destination without a table and an Amazon Q one without its topic', () => {
    const notifierFor = destinationNotifiers({ store: null, amazonQ: null });
    expect(() => notifierFor(bot)).toThrow(new ConfigError('ALERT_TABLE_NAME', 'is not set: Slack destination "threads" posts in threads, kept in the alert table'));
    expect(() => notifierFor(amazonQ)).toThrow(new ConfigError('AMAZON_Q_TOPIC_ARN', 'is not set: destination "q" needs the stack\'s Amazon Q topic (deploy with --param amazonQ=true)'));
    expect(() => notifierFor(mail)).toThrow('destination "mail" is email, which SNS delivers: no notifier');
  });
});

describe('AmazonQNotifier', () => {
  it('fails with a PublishError naming the topic and the alert when SNS refuses', async () => {
    const failing = new AmazonQNotifier({ send: async () => Promise.reject(new Error('AuthorizationError')) }, 'arn:aws:sns:eu-west-1:111122223333:q');
    const alert = sampleAlert();
    const error: unknown = await failing.publish(alert).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ topicArn: 'arn:aws:sns:eu-west-1:111122223333:q', alertId: alert.id, cause: new Error('AuthorizationError') });
  });
});

describe('deliveryLedgerOn', () => {
  it('remembers a delivery per alert and destination for a day', async () => {
    const store = new MemoryStore();
    const ledger = deliveryLedgerOn(store, () => Date.parse('2026-12-06T10:00:00Z'));
    expect(await ledger.delivered('alert-1', 'pager')).toBe(false);
    await ledger.remember('alert-1', 'pager');
    await ledger.remember('alert-1', 'pager');
    expect(await ledger.delivered('alert-1', 'pager')).toBe(true);
    expect(await ledger.delivered('alert-1', 'chat')).toBe(false);
    expect(await ledger.delivered('alert-2', 'pager')).toBe(false);
    expect(await store.getRecord(DELIVERED_KIND, 'alert-1|pager')).toEqual({ value: { at: '2026-12-06T10:00:00.000Z' }, rev: 1 });
  });

  it('writes each entry to expire a day later', async () => {
    const writes: string[] = [];
    const ledger = deliveryLedgerOn({ getRecord: async () => null, putRecord: async (_kind, _id, _value, _rev, expiresAt) => (writes.push(expiresAt), true) }, () => Date.parse('2026-12-06T10:00:00Z'));
    await ledger.remember('alert-1', 'pager');
    expect(writes).toEqual(['2026-12-07T10:00:00.000Z']);
  });
});

describe('SlackNotifier mentions', () => {
  it('puts the route’s mention on new alerts and repeats, never on follow-ups or resolved notices', async () => {
    const bodies: { text: string }[] = [];
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      bodies.push(JSON.parse(String(init?.body)) as { text: string });
      return new Response('ok', { status: 200 });
    };
    const slack = new SlackNotifier(async () => 'https://hooks.example.com/services/slack-webhook', { fetch, mention: () => '<!subteam^S012AB3CD>' });
    const alert = sampleAlert();
    for (const kind of ['new', 'follow-up', 'repeat', 'resolved'] as const) await slack.publish({ ...alert, kind, status: kind === 'resolved' ? 'resolved' : 'firing' });
    expect(bodies.map((body) => body.text.startsWith('<!subteam^S012AB3CD> '))).toEqual([true, false, true, false]);
  });
});
