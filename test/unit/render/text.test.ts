import { describe, expect, it } from 'vitest';
import { bound, fact, formatTime, inert, MAX_FACT_LENGTH, plural, slackEscape, slackText, taskId, timeSpan } from '../../../lib/render/text.ts';

describe('inert', () => {
  it('shows control characters and bidi controls as visible escapes and folds line breaks into spaces', () => {
    expect(inert('OOM\u001b[2J\u0085 \u202eexe.txt\u2066\r\nnext\tcol\u2028end')).toBe('OOM\\u001b[2J\\u0085 \\u202eexe.txt\\u2066 next col end');
  });

  it('keeps typographic punctuation, emoji and other scripts as they are', () => {
    expect(inert('can’t pull — 画像 🚀')).toBe('can’t pull — 画像 🚀');
  });
});

describe('bound', () => {
  it('leaves text that fits alone', () => {
    expect(bound('abc', 3)).toBe('abc');
  });

  it('cuts to the limit, ellipsis included', () => {
    expect(bound('abcdef', 4)).toBe('abc…');
  });

  it('never splits a surrogate pair', () => {
    expect(bound('ab🚀cd', 4)).toBe('ab…');
  });
});

describe('fact', () => {
  it('cuts one fact at 1,000 characters', () => {
    expect(fact('y'.repeat(2000))).toBe(`${'y'.repeat(MAX_FACT_LENGTH - 1)}…`);
  });
});

describe('slackEscape', () => {
  it('escapes exactly &, < and >', () => {
    expect(slackEscape('<!here> & <@U1> "quoted" \'single\'')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt; "quoted" \'single\'');
  });
});

describe('slackText', () => {
  it('never cuts an entity in half when it bounds escaped text', () => {
    const text = slackText('a&&&&', 10);

    expect(text).toBe('a&amp;…');
    expect(text.length).toBeLessThanOrEqual(10);
  });
});

describe('taskId', () => {
  it('takes the id from the end of a task ARN', () => {
    expect(taskId('arn:aws:ecs:us-west-2:111122223333:task/prod/77ea7336e48e3a4e63c55244182d37c0')).toBe('77ea7336e48e3a4e63c55244182d37c0');
  });
});

describe('formatTime', () => {
  it('writes an ISO time as UTC without the T and milliseconds', () => {
    expect(formatTime('2025-03-14T09:26:51.123Z')).toBe('2025-03-14 09:26:51 UTC');
  });

  it('shows text that is not a time as it is, inert', () => {
    expect(formatTime('soon\u001b')).toBe('soon\\u001b');
  });
});

describe('timeSpan', () => {
  it('says one time when both ends are equal', () => {
    expect(timeSpan('2025-03-14T09:26:51Z', '2025-03-14T09:26:51Z')).toBe('at 2025-03-14 09:26:51 UTC');
  });

  it('writes the date once when both ends fall on the same day', () => {
    expect(timeSpan('2025-03-14T09:26:51Z', '2025-03-14T09:31:40Z')).toBe('from 2025-03-14 09:26:51 to 09:31:40 UTC');
  });

  it('writes both dates when the span crosses midnight', () => {
    expect(timeSpan('2025-03-14T23:58:00Z', '2025-03-15T00:02:00Z')).toBe('from 2025-03-14 23:58:00 UTC to 2025-03-15 00:02:00 UTC');
  });
});

describe('plural', () => {
  it('adds an s for any count but one', () => {
    expect([plural(0, 'event'), plural(1, 'event'), plural(7, 'event')]).toEqual(['0 events', '1 event', '7 events']);
  });
});
