import { expect } from 'vitest';
import { CATEGORY_INFO, type Category } from '../../lib/classify/categories.ts';
import { classify } from '../../lib/classify/classify.ts';
import type { Classification, Severity } from '../../lib/classify/verdict.ts';
import { parseEvent } from '../../lib/events/parse.ts';
import { loadFixture } from './fixtures.ts';

/** A text field is checked exactly, by pattern, or (when left out) against the category's default wording. */
type TextExpectation = string | RegExp;

/**
 * What a fixture's verdict must be. Every field of the verdict is checked: a field left out here must hold its
 * empty value (null, [] or the category's default), and `account`, `region` and `time` must be the envelope's; the
 * facts of hook and daemon events (`hook`, `daemon`) must be absent unless given.
 */
export interface ExpectedVerdict extends Partial<Omit<Classification, 'category' | 'severity' | 'cause' | 'remedy' | 'docsUrl'>> {
  category: Category;
  severity: Severity;
  cause?: TextExpectation;
  remedy?: TextExpectation;
  docsUrl?: string;
}

function textMatcher(expected: TextExpectation | undefined, fallback: string): unknown {
  if (expected === undefined) return fallback;
  return typeof expected === 'string' ? expected : expect.stringMatching(expected);
}

function envelopeText(event: Record<string, unknown>, field: string): string | null {
  const value = event[field];
  return typeof value === 'string' ? value : null;
}

function startedByOf(event: Record<string, unknown>): string | null {
  const detail = event.detail;
  if (event['detail-type'] !== 'ECS Task State Change' || typeof detail !== 'object' || detail === null || !('startedBy' in detail)) return null;
  return typeof detail.startedBy === 'string' ? detail.startedBy : null;
}

/** The whole verdict a fixture must produce, with every field spelled out. */
export function fullExpectation(event: Record<string, unknown>, expected: ExpectedVerdict): Classification {
  const defaults = CATEGORY_INFO[expected.category];
  const { cause, remedy, docsUrl, ...rest } = expected;
  const full = {
    alert: expected.severity !== 'info',
    spot: defaults.spot,
    deploymentId: null,
    account: envelopeText(event, 'account'),
    region: envelopeText(event, 'region'),
    cluster: null,
    service: null,
    taskArn: null,
    containerInstanceArn: null,
    ec2InstanceId: null,
    cause: textMatcher(cause, defaults.cause),
    remedy: textMatcher(remedy, defaults.remedy),
    docsUrl: docsUrl ?? defaults.docsUrl,
    containers: [],
    time: envelopeText(event, 'time'),
    status: null,
    stopCode: null,
    reason: null,
    taskDefinitionArn: null,
    group: null,
    // The task's own `startedBy`, copied as it is (unit tests of the classifier and the alert check its use).
    startedBy: startedByOf(event),
    patternId: null,
    warnings: [],
    ...rest,
  };
  // Matchers stand in for some strings; toEqual compares them as the values they accept.
  return full as Classification;
}

/** Classifies a recorded fixture as the pipeline does and asserts every field of its verdict. */
export function expectFixtureVerdict(path: string, expected: ExpectedVerdict): void {
  const event = loadFixture(path);
  const verdict = classify(parseEvent(event, path));
  expect(verdict).toEqual(fullExpectation(event, expected));
}
