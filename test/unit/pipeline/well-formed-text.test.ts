import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { handleEvent } from '../../../lib/pipeline/receive.ts';
import { createLogger } from '../../../lib/log.ts';
import { snsMessage } from '../../../lib/notify/sns-message.ts';
import { renderSlack } from '../../../lib/render/slack.ts';
import { wellFormed } from '../../../lib/events/schema.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { leafPaths, mutate, seeds, unicodeString, type Path } from '../../support/arbitraries.ts';
import { taskEvent } from '../../support/events.ts';

// Text from events goes into console links (encodeURIComponent throws on a lone surrogate), SNS subjects, message
// attributes, JSON bodies and log lines: it is made well-formed where it enters, so no event is undeliverable because
// of its text.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function deps(sent: Alert[], lines: string[]) {
  return {
    logger: createLogger((line) => lines.push(line)),
    alerting: { store: new MemoryStore(), notifier: { publish: async (alert: Alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING },
    now: () => new Date('2025-03-14T09:30:00Z'),
  };
}

/** Every string field but `detail-type`, whose blank value makes an event unreadable (a typed error, by design). */
function stringPaths(event: unknown): Path[] {
  return leafPaths(event).filter((path) => path[0] !== 'detail-type').filter((path) => typeof path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], event) === 'string');
}

describe('well-formed text', () => {
  it('replaces each lone surrogate, high or low, anywhere, and keeps surrogate pairs', () => {
    expect(wellFormed('x\uDC00y\uD800z')).toBe('x\uFFFDy\uFFFDz');
    expect(wellFormed('\uDC00\uD83D')).toBe('\uFFFD\uFFFD');
    expect(wellFormed('rocket 🚀 ok')).toBe('rocket 🚀 ok');
  });

  it('delivers the alert of a service whose name holds a lone surrogate, with U+FFFD in its text and links', async () => {
    const sent: Alert[] = [];
    const lines: string[] = [];
    const event = taskEvent({ group: 'service:web\uD800api', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });

    const handled = await handleEvent(event, 'test', deps(sent, lines));

    expect(handled.decision.outcome).toEqual({ outcome: 'alert' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.title).toContain('web\uFFFDapi');
    expect(JSON.stringify(sent[0])).not.toMatch(LONE_SURROGATE);
    expect(JSON.stringify(sent[0]!.links)).toContain('web%EF%BF%BDapi');
    expect(lines.join('\n')).not.toMatch(LONE_SURROGATE);
    expect(lines.some((line) => line.includes('ill-formed UTF-16 (a lone surrogate), replaced with U+FFFD'))).toBe(true);
  });

  it('never fails an invocation because of the text of a well-typed event, and sends only well-formed text', async () => {
    const events = seeds();
    const edit = fc.record({ seed: fc.nat(), edits: fc.array(fc.record({ path: fc.nat(), text: unicodeString, keep: fc.boolean() }), { minLength: 1, maxLength: 6 }) });
    await fc.assert(
      fc.asyncProperty(edit, async ({ seed, edits }) => {
        let event: unknown = events[seed % events.length];
        for (const { path, text, keep } of edits) {
          const paths = stringPaths(event);
          if (paths.length === 0) break;
          const at = paths[path % paths.length]!;
          const old = at.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], event) as string;
          event = mutate(event, at, keep ? `${old}${text}` : text, false);
        }
        const sent: Alert[] = [];
        const lines: string[] = [];
        await handleEvent(event, 'property', deps(sent, lines));
        for (const alert of sent) {
          expect(JSON.stringify(alert)).not.toMatch(LONE_SURROGATE);
          const message = snsMessage(alert);
          expect(JSON.stringify(message)).not.toMatch(LONE_SURROGATE);
          expect(JSON.stringify(renderSlack(alert))).not.toMatch(LONE_SURROGATE);
        }
        expect(lines.join('\n')).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
