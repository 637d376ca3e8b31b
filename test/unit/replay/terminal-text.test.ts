import { describe, expect, it } from 'vitest';
import { painter, safeText, wantsColor } from '../../../lib/replay/terminal-text.ts';

describe('safeText', () => {
  it('shows escape sequences, other control characters and bidi overrides as visible escapes', () => {
    expect(safeText('OutOfMemoryError\u001b[2J\u0007 \u202eevil')).toBe('OutOfMemoryError\\u001b[2J\\u0007 \\u202eevil');
  });

  it('folds line breaks and tabs into spaces so one reason stays on one line', () => {
    expect(safeText('line one\nline two\ttabbed\r\n')).toBe('line one line two tabbed ');
  });

  it('keeps ordinary text, typographic apostrophes and non-Latin letters as they are', () => {
    expect(safeText('The task can’t pull the image — 画像')).toBe('The task can’t pull the image — 画像');
  });
});

describe('wantsColor', () => {
  it('follows the flag first, then NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    expect(wantsColor(false, { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor(true, { NO_COLOR: '1' }, false)).toBe(true);
    expect(wantsColor(undefined, { NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor(undefined, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(wantsColor(undefined, {}, true)).toBe(true);
    expect(wantsColor(undefined, {}, false)).toBe(false);
  });
});

describe('painter', () => {
  it('wraps text in ANSI colours only when colour is on', () => {
    expect(painter(true)('critical', 'CRITICAL')).toBe('\u001b[1;31mCRITICAL\u001b[0m');
    expect(painter(false)('critical', 'CRITICAL')).toBe('CRITICAL');
  });
});
