import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STOPPED_TASK_CATEGORIES, isStoppedTaskCategory } from '../../../lib/history/categories.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { hostileString, unknownEnum } from '../../support/arbitraries.ts';
import { taskEvent } from '../../support/events.ts';
import { fixturePaths, loadFixture } from '../../support/fixtures.ts';

describe('STOPPED_TASK_CATEGORIES', () => {
  it('are exactly the categories the recorded STOPPED task events get', () => {
    const stopped = new Set<string>();
    for (const path of fixturePaths()) {
      const { verdict } = evaluate(loadFixture(path), path);
      if (verdict.status === 'STOPPED') stopped.add(verdict.category);
    }

    expect([...stopped].sort()).toEqual([...STOPPED_TASK_CATEGORIES].sort());
  });

  it('hold the category of any STOPPED task event, whatever its stop code, reason and exit codes', () => {
    const stopCode = fc.oneof(fc.constantFrom('EssentialContainerExited', 'TaskFailedToStart', 'ServiceSchedulerInitiated', 'UserInitiated', 'SpotInterruption', 'TerminationNotice', 'InfrastructureHealth'), unknownEnum);
    const container = fc.record({ name: fc.string({ minLength: 1, maxLength: 10 }), exitCode: fc.oneof(fc.constantFrom(0, 1, 137, 139, 143, 255), fc.integer()), reason: hostileString });
    fc.assert(
      fc.property(stopCode, fc.oneof(hostileString, fc.constantFrom('Essential container in task exited', 'Task failed ELB health checks', 'CannotPullContainerError: pull access denied')), fc.array(container, { maxLength: 3 }), (code, reason, containers) => {
        const { verdict } = evaluate(taskEvent({ stopCode: code, stoppedReason: reason }, containers), 'generated');
        expect(isStoppedTaskCategory(verdict.category), verdict.category).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('tells a stopped-task category from any other name', () => {
    expect(isStoppedTaskCategory('oom')).toBe(true);
    expect(['deployment_failed', 'task_lifecycle', 'OOM', ''].filter(isStoppedTaskCategory)).toEqual([]);
  });
});
