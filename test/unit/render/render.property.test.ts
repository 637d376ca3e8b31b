import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { MAX_DESCRIPTION, MAX_TITLE, renderAmazonQ } from '../../../lib/render/amazon-q.ts';
import { MAX_SUBJECT_LENGTH, renderEmail } from '../../../lib/render/email.ts';
import {
  MAX_ACTIONS_PER_BLOCK,
  MAX_BLOCKS,
  MAX_BUTTON_TEXT,
  MAX_BUTTON_URL,
  MAX_CONTEXT_ELEMENTS,
  MAX_FIELD_TEXT,
  MAX_FIELDS,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  renderSlack,
} from '../../../lib/render/slack.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { slackBlocks, slackTexts } from '../../support/slack-message.ts';

/** Random text, salted with the fragments an attacker would try. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('<!channel>', '<!here>', '<@U024BE7LH>', '<https://evil.example|click>', '&amp;', '&', '<', '>', '@here', '\u202e', '\u2066', '\u001b[2J', '\r\n', '\u0085', '🚀', '\ud800'),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Sometimes very long, to reach every bound. */
const text = fc.oneof({ weight: 4, arbitrary: hostile }, { weight: 1, arbitrary: hostile.map((part) => part.repeat(200)) });

const alert = fc
  .record({
    title: text,
    summary: text,
    cause: text,
    reason: text,
    names: fc.array(text, { minLength: 1, maxLength: 12 }),
    containerReason: text,
    kind: fc.constantFrom<Alert['kind']>('new', 'follow-up', 'repeat', 'resolved'),
    severity: fc.constantFrom<Alert['severity']>('critical', 'warning', 'info'),
  })
  .map(({ title, summary, cause, reason, names, containerReason, kind, severity }): Alert => {
    const base = sampleAlert({ title, summary, kind, severity, status: kind === 'resolved' ? 'resolved' : 'firing' });
    base.facts.cause = cause;
    base.facts.reason = reason;
    base.facts.containers = names.map((name, index) => ({
      name,
      essential: index === 0,
      exitCode: index,
      exitMeaning: null,
      reason: containerReason,
      logsUrl: `https://example.com/logs/${index}`,
    }));
    return base;
  });

// eslint-disable-next-line no-control-regex -- the absence of control characters is what is tested
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Our own `<url|label>` links, the only place `<` and `>` may appear in Amazon Q text. */
const OUR_LINK = /<https:\/\/[^\s<>|]+\|[^<>]*>/gu;

describe('renderers under hostile text', () => {
  it('never let a < or > from the input into Slack text, escape every &, and keep every Block Kit limit', () => {
    fc.assert(
      fc.property(alert, (input) => {
        const message = renderSlack(input);

        for (const shown of slackTexts(message)) {
          expect(shown).not.toMatch(/[<>]/u);
          expect(shown).not.toMatch(/&(?!amp;|lt;|gt;)/u);
          expect(shown).not.toMatch(CONTROL);
        }
        const blocks = slackBlocks(message);
        expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
        for (const block of blocks) {
          if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
          if (block.type === 'section') {
            expect((block.text?.text ?? '').length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
            expect((block.fields ?? []).length).toBeLessThanOrEqual(MAX_FIELDS);
            for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
          }
          if (block.type === 'context') {
            expect(block.elements.length).toBeLessThanOrEqual(MAX_CONTEXT_ELEMENTS);
            for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
          }
          if (block.type === 'actions') {
            expect(block.elements.length).toBeLessThanOrEqual(MAX_ACTIONS_PER_BLOCK);
            for (const button of block.elements) {
              expect(button.text.text.length).toBeLessThanOrEqual(MAX_BUTTON_TEXT);
              expect(button.url.length).toBeLessThanOrEqual(MAX_BUTTON_URL);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('give an email without control characters and a subject SNS accepts', () => {
    fc.assert(
      fc.property(alert, (input) => {
        const { subject, text: body } = renderEmail(input);

        expect(subject).toMatch(/^[\x21-\x7e][\x20-\x7e]*$/u);
        expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
        expect(body).not.toMatch(CONTROL);
        // One fact is at most 1,000 characters, so no line of the body is much longer than that.
        for (const line of body.split('\n')) expect(line.length).toBeLessThanOrEqual(1100);
      }),
      { numRuns: 300 },
    );
  });

  it('give an Amazon Q notification whose only < and > are its own links, within its bounds', () => {
    fc.assert(
      fc.property(alert, (input) => {
        const notification = renderAmazonQ(input);
        const { content, metadata } = notification;

        for (const shown of [content.title, content.description, ...(content.nextSteps ?? []), ...(content.keywords ?? []), metadata.summary]) {
          expect(shown.replace(OUR_LINK, '')).not.toMatch(/[<>]/u);
          expect(shown).not.toMatch(CONTROL);
        }
        expect(content.title.length).toBeLessThanOrEqual(MAX_TITLE);
        expect(content.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
        expect(metadata.threadId).toBe(input.key);
        expect(Buffer.byteLength(JSON.stringify(notification))).toBeLessThan(256 * 1024);
      }),
      { numRuns: 300 },
    );
  });
});
