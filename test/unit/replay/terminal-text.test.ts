import { describe, expect, it } from 'vitest';
import { painter, wantsColor } from '../../../lib/replay/terminal-text.ts';

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
