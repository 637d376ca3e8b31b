import { describe, expect, it } from 'vitest';
import { exitMeaning } from '../../../lib/classify/exit-codes.ts';

const plain = { oom: false, stoppedByEcs: false, standalone: false };

describe('exitMeaning', () => {
  it.each([
    [1, 'Application error'],
    [2, 'Usage error'],
    [126, 'not executable'],
    [127, 'Command not found'],
    [128, 'Invalid argument to exit'],
    [130, 'SIGINT'],
    [134, 'SIGABRT'],
    [139, 'SIGSEGV'],
    [255, 'exit status 255'],
    [129, 'Killed by signal 1 (SIGHUP)'],
    [141, 'Killed by signal 13 (SIGPIPE)'],
    [170, 'Killed by signal 42'],
    [3, 'Exited with code 3'],
    [-1073741510, 'Windows'],
  ])('explains exit %i', (code, phrase) => {
    expect(exitMeaning(code, plain)).toContain(phrase);
  });

  it('reads 0 by its context: a job done, a sidecar done, a clean stop, or a service process that should not have ended', () => {
    expect(exitMeaning(0, { ...plain, standalone: true })).toBe('Finished normally');
    expect(exitMeaning(0, { ...plain, nonEssential: true })).toBe('Finished normally');
    expect(exitMeaning(0, { ...plain, stoppedByEcs: true })).toBe("Shut down cleanly (code 0) on ECS's stop signal (SIGTERM)");
    expect(exitMeaning(0, plain)).toContain('a service container is expected to keep running');
  });

  it('reads 137 by its context: OOM, ignored SIGTERM, or another kill', () => {
    expect(exitMeaning(137, { ...plain, oom: true })).toBe('Killed for using more memory than its limit (OutOfMemoryError)');
    expect(exitMeaning(137, { ...plain, stoppedByEcs: true })).toContain('ignored ECS');
    expect(exitMeaning(137, plain)).toContain('not reported as out of memory');
  });

  it('reads 143 as a clean shutdown only when ECS stopped the task', () => {
    expect(exitMeaning(143, { ...plain, stoppedByEcs: true })).toBe("Shut down cleanly on ECS's stop signal (SIGTERM)");
    expect(exitMeaning(143, plain)).toBe('Terminated by SIGTERM, which ECS sends when it stops a task');
  });

  it('reads 0 as success for a standalone task and as a problem for a service', () => {
    expect(exitMeaning(0, { ...plain, standalone: true })).toBe('Finished normally');
    expect(exitMeaning(0, plain)).toContain('expected to keep running');
  });
});
