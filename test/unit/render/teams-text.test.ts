import { describe, expect, it } from 'vitest';
import { teamsEscape, teamsText } from '../../../lib/render/text.ts';

describe('teamsEscape', () => {
  it('puts a backslash before the markdown Teams reads anywhere in a line', () => {
    expect(teamsEscape('**bold** _it_ ~~s~~ `code` [x](https://evil.example) <at>Ann</at> C:\\temp')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\[x\\](https://evil.example) \\<at\\>Ann\\</at\\> C:\\\\temp',
    );
  });

  it('escapes what starts a heading, a list or a quote only at the start of the text', () => {
    expect(teamsEscape('# title')).toBe('\\# title');
    expect(teamsEscape('- item - not an item')).toBe('\\- item - not an item');
    expect(teamsEscape('  + item')).toBe('  \\+ item');
    expect(teamsEscape('12. item')).toBe('12\\. item');
    expect(teamsEscape('3) item')).toBe('3\\) item');
    expect(teamsEscape('> quote')).toBe('\\> quote');
    expect(teamsEscape('2025-03-14 exit 137. #3 -x')).toBe('2025-03-14 exit 137. #3 -x');
  });

  it('leaves plain text as it is', () => {
    expect(teamsEscape('orders-api (prod): exit 137 — OOM, 100% of 1.5 GiB | key a|b')).toBe('orders-api (prod): exit 137 — OOM, 100% of 1.5 GiB | key a|b');
    expect(teamsEscape('')).toBe('');
  });
});

describe('teamsText', () => {
  it('makes text inert and escapes it', () => {
    expect(teamsText(' *x*\n\u001b[2J ', 100)).toBe('\\*x\\* \\\\u001b\\[2J');
  });

  it('bounds the escaped text without splitting an escape or a character', () => {
    expect(teamsText('ab*cd', 4)).toBe('ab…');
    expect(teamsText('abc*d', 5)).toBe('abc…');
    expect(teamsText('a🚀🚀🚀', 5)).toBe('a🚀…');
    expect(teamsText('****', 8)).toBe('\\*\\*\\*\\*');
    expect(teamsText('*****', 8)).toBe('\\*\\*\\*…');
    expect(teamsText('x'.repeat(10_000), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
