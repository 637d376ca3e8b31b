import { describe, expect, it } from 'vitest';
import { CATALOGUE, matchCatalogue } from '../../../lib/classify/catalogue.ts';
import type { Classification } from '../../../lib/classify/verdict.ts';
import { deploymentEvent, serviceActionEvent, taskEvent, verdictOf } from '../../support/events.ts';
import { CATALOGUE_CASES, type CatalogueCase } from './catalogue-cases.ts';

/** Puts the message where AWS puts it, then classifies the whole event as the pipeline would. */
function classifyCase(testCase: CatalogueCase): Classification {
  switch (testCase.where) {
    case 'T':
      return verdictOf(
        taskEvent({ stopCode: testCase.id === 1 ? 'EssentialContainerExited' : 'TaskFailedToStart', stoppedReason: testCase.message }, [
          { name: 'web', ...(testCase.id === 1 ? { exitCode: 1 } : {}) },
        ]),
      );
    case 'C':
      return verdictOf(
        taskEvent({ stopCode: 'TaskFailedToStart', stoppedReason: 'Task failed to start' }, [{ name: 'web', reason: testCase.message, ...(testCase.id === 60 ? { exitCode: 137 } : {}) }]),
      );
    case 'S':
      return verdictOf(
        serviceActionEvent({
          eventName: testCase.eventName ?? 'SERVICE_TASK_PLACEMENT_FAILURE',
          reason: testCase.message,
          ...(testCase.capacityProviderArns === undefined ? {} : { capacityProviderArns: testCase.capacityProviderArns }),
        }),
      );
    case 'D':
      return verdictOf(deploymentEvent({ eventName: testCase.eventName ?? 'SERVICE_DEPLOYMENT_IN_PROGRESS', reason: testCase.message }));
  }
}

describe('stopped-reason catalogue', () => {
  it('has a test message for every one of the 68 patterns of the reference', () => {
    const covered = new Set(CATALOGUE_CASES.map((testCase) => testCase.id));
    const missing = Array.from({ length: 68 }, (_, index) => index + 1).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it('numbers its entries after the reference, each pattern once', () => {
    const ids = CATALOGUE.map((entry) => entry.id).filter((id) => id !== null);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 68 }, (_, index) => index + 1));
  });

  it.each(CATALOGUE_CASES.map((testCase) => [`#${testCase.id} ${testCase.where} ${testCase.note}`, testCase] as const))('classifies %s', (_, testCase) => {
    const verdict = classifyCase(testCase);
    expect({ message: testCase.message, category: verdict.category }).toEqual({ message: testCase.message, category: testCase.category });
    // #68 is the SpotInterruptionError page, whose message is #8's.
    const expectedPattern = testCase.id === 68 ? 8 : testCase.id;
    if (testCase.id > 0) expect(matchCatalogue(testCase.message)?.entry.id).toBe(expectedPattern);
    // A cause of its own, also after the container's name that a container reason puts in front.
    expect(verdict.cause.replace(/^Container "web": /, '')).toMatch(/\w/);
    expect(verdict.remedy).toMatch(/\w/);
    expect(verdict.docsUrl).toMatch(/^https:\/\//);
  });

  // Section 9 of the reference: consoles and APIs change the case of error names (`Cannotpullcontainererror:`).
  it.each(CATALOGUE_CASES.map((testCase) => [`#${testCase.id} ${testCase.where} ${testCase.note}`, testCase] as const))('classifies %s whatever its case', (_, testCase) => {
    const verdict = classifyCase(testCase);
    for (const message of [testCase.message.toLowerCase(), testCase.message.toUpperCase()]) {
      const varied = classifyCase({ ...testCase, message });
      expect({ message, category: varied.category, patternId: varied.patternId, remedy: varied.remedy }).toEqual({
        message,
        category: verdict.category,
        patternId: verdict.patternId,
        remedy: verdict.remedy,
      });
    }
  });

  it('matches nothing for empty or unrelated text', () => {
    expect(matchCatalogue('')).toBeUndefined();
    expect(matchCatalogue(null)).toBeUndefined();
    expect(matchCatalogue('All good here')).toBeUndefined();
  });
});
