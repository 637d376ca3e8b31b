import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatches, globProblem, globShape } from '../../../lib/routing/glob.ts';

/** The same glob as a regular expression, the obvious way: an independent oracle. */
function oracle(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`).test(value);
}

describe('globMatches', () => {
  it('matches whole names, * standing for any run of characters, case-sensitively', () => {
    expect(globMatches('prod', 'prod')).toBe(true);
    expect(globMatches('prod', 'prod-eu')).toBe(false);
    expect(globMatches('prod-*', 'prod-')).toBe(true);
    expect(globMatches('*-eu', 'prod-eu')).toBe(true);
    expect(globMatches('a*a', 'a')).toBe(false);
    expect(globMatches('a*b*a', 'aba')).toBe(true);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('Prod*', 'prod')).toBe(false);
  });

  it('agrees with a regular expression on any pattern and value', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '*'), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom('a', 'b', '-', '.'), maxLength: 10 }), (pattern, value) => {
        expect(globMatches(pattern, value)).toBe(oracle(pattern, value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('globProblem', () => {
  it('accepts plain names and * and refuses blanks, ** and other wildcards', () => {
    expect(globProblem('payments-*')).toBeNull();
    expect(globProblem('*')).toBeNull();
    expect(globProblem(' ')).toBe('is empty');
    expect(globProblem(' prod')).toBe('has blanks around it');
    expect(globProblem('a**')).toBe('write * once: ** means the same as *');
    expect(globProblem('[ab]')).toBe('uses "[", which is not a wildcard here: only * is');
  });
});

describe('globShape', () => {
  it('tells exact names and prefixes from other globs', () => {
    expect(globShape('checkout')).toEqual({ kind: 'exact', value: 'checkout' });
    expect(globShape('pay*')).toEqual({ kind: 'prefix', prefix: 'pay' });
    expect(globShape('*')).toEqual({ kind: 'prefix', prefix: '' });
    expect(globShape('*-api')).toEqual({ kind: 'other' });
    expect(globShape('p*y*')).toEqual({ kind: 'other' });
  });
});
