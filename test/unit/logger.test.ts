import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/log.ts';

describe('createLogger', () => {
  it('writes one JSON object per line with level and message first', () => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line)).warn('slow', { ms: 12 });
    expect(lines).toEqual(['{"level":"warn","message":"slow","ms":12}']);
  });

  it('expands an error with its cause chain', () => {
    const lines: string[] = [];
    const error = new Error('publish failed', { cause: new Error('throttled') });
    createLogger((line) => lines.push(line)).error('alert lost?', { error });
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 'error',
      message: 'alert lost?',
      errorName: 'Error',
      errorMessage: 'publish failed',
      cause: { errorName: 'Error', errorMessage: 'throttled' },
    });
  });

  it('records non-Error throwables as text', () => {
    const lines: string[] = [];
    createLogger((line) => lines.push(line)).info('odd', { error: 42 });
    expect(JSON.parse(lines[0]!)).toEqual({ level: 'info', message: 'odd', error: '42' });
  });
});
