import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { AlertMessageError, DeliveriesFailedError } from '../../../lib/errors.ts';
import { createLogger } from '../../../lib/log.ts';
import { deliverAlerts, type DeliveryDeps } from '../../../lib/notify/deliver.ts';
import { deliveryLedgerOn } from '../../../lib/notify/delivery-ledger.ts';
import type { Destination, RoutingConfig } from '../../../lib/routing/config.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { snsEvent } from '../../support/sns-event.ts';

const ROUTING: RoutingConfig = {
  mode: 'first',
  destinations: {
    pager: { name: 'pager', type: 'pagerduty', routingKey: { parameter: '/ecs/pagerduty' } },
    chat: { name: 'chat', type: 'slack', webhook: { parameter: '/ecs/slack' } },
    teams: { name: 'teams', type: 'teams', webhook: { secret: 'ecs/teams' } },
    mail: { name: 'mail', type: 'email', address: 'oncall@example.com' },
  },
  routes: [{ name: 'critical', match: { severity: ['critical'] }, to: ['pager', 'chat', 'mail'] }],
  default: ['teams'],
};

/** Notifiers that record what each destination received, failing for the destinations in `down`. */
function world(down: Set<string> = new Set()) {
  const received: Record<string, string[]> = {};
  const lines: string[] = [];
  const deps: DeliveryDeps = {
    routing: ROUTING,
    notifierFor: (destination: Destination) => ({
      publish: async (alert: Alert) => {
        if (down.has(destination.name)) throw new Error(`${destination.name} answered 503`);
        (received[destination.name] ??= []).push(alert.id);
      },
    }),
    logger: createLogger((line) => lines.push(line)),
  };
  return { deps, received, lines, down };
}

const message = (alert: Alert): string => JSON.stringify({ version: 1, alert });
const critical = (): Alert => ({ ...sampleAlert(), severity: 'critical' });

describe('deliverAlerts', () => {
  it('sends an alert to every destination of its route except email, which SNS delivers', async () => {
    const { deps, received, lines } = world();
    const alert = critical();
    expect(await deliverAlerts(snsEvent(message(alert)), 'lambda request r-1', deps)).toEqual({ delivered: { pager: 1, chat: 1 }, alreadyDelivered: 0 });
    expect(received).toEqual({ pager: [alert.id], chat: [alert.id] });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>).map((line) => [line.message, line.destination, line.route])).toEqual([
      ['alert delivered', 'pager', 'critical'],
      ['alert delivered', 'chat', 'critical'],
    ]);
  });

  it('sends an alert no route takes to the default destinations', async () => {
    const { deps, received } = world();
    const alert = sampleAlert();
    await deliverAlerts(snsEvent(message(alert)), 'lambda request r-2', deps);
    expect(received).toEqual({ teams: [alert.id] });
  });

  it('still delivers to the others when one destination is down, then fails naming it, and a retry posts only what was missed', async () => {
    const { deps, received, down } = world(new Set(['pager']));
    const ledger = deliveryLedgerOn(new MemoryStore());
    const alert = critical();
    const event = snsEvent(message(alert));

    const error: unknown = await deliverAlerts(event, 'lambda request r-3', { ...deps, ledger }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(DeliveriesFailedError);
    expect(error).toMatchObject({ alertId: alert.id, failed: [{ destination: 'pager', reason: 'pager answered 503' }] });
    expect(received).toEqual({ chat: [alert.id] });

    down.clear();
    expect(await deliverAlerts(event, 'lambda request r-3 retry', { ...deps, ledger })).toEqual({ delivered: { pager: 1 }, alreadyDelivered: 1 });
    expect(received).toEqual({ chat: [alert.id], pager: [alert.id] });
    expect(await deliverAlerts(event, 'lambda request r-3 again', { ...deps, ledger })).toEqual({ delivered: {}, alreadyDelivered: 2 });
  });

  it('fails with an AlertMessageError naming the SNS message when the record holds no alert, sending nothing', async () => {
    const { deps, received, lines } = world();
    const error: unknown = await deliverAlerts(snsEvent('hello', { messageId: 'bad-1' }), 'lambda request r-4', deps).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(AlertMessageError);
    expect(error).toMatchObject({ origin: 'SNS message bad-1', message: 'SNS message bad-1: message is not JSON' });
    expect(received).toEqual({});
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', message: 'alert not delivered: unreadable message', snsMessageId: 'bad-1', errorName: 'AlertMessageError' });
  });

  it('rejects an event that is not from SNS', async () => {
    const { deps } = world();
    await expect(deliverAlerts({ detail: {} }, 'lambda request r-5', deps)).rejects.toThrow('lambda request r-5: not an SNS event: no Records array');
    await expect(deliverAlerts({ Records: [{ body: '{}' }] }, 'lambda request r-6', deps)).rejects.toThrow('lambda request r-6, record 0: not an SNS record: no Sns object');
    await expect(deliverAlerts({ Records: [{ Sns: { MessageId: 'm-7' } }] }, 'lambda request r-7', deps)).rejects.toThrow('SNS message m-7: SNS record without a Message string');
  });

  it('logs an alert whose route names only email, and sends it nowhere else', async () => {
    const { deps, received, lines } = world();
    const routing: RoutingConfig = { ...ROUTING, routes: [{ name: 'mail only', match: {}, to: ['mail'] }] };
    await deliverAlerts(snsEvent(message(sampleAlert())), 'lambda request r-8', { ...deps, routing });
    expect(received).toEqual({});
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'alert routed to no chat or paging destination', route: 'mail only', email: ['mail'] });
  });
});
