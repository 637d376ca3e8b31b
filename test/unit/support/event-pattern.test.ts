import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern, PatternError, validatePattern } from '../../support/event-pattern.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

// Cases come from the EventBridge user guide (eb-event-patterns, eb-create-pattern-operators, eb-event-patterns-arrays,
// eb-event-patterns-null-values) and the aws/event-ruler README; the others pin down edge cases from event-ruler's code.

interface Case {
  name: string;
  pattern: unknown;
  event: unknown;
  matches: boolean;
}

function table(cases: Case[]): void {
  it.each(cases)('$name', ({ pattern, event, matches }) => {
    expect(matchesPattern(pattern, event)).toBe(matches);
  });
}

/** The EC2 event of the "Amazon EventBridge event patterns" page. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The Auto Scaling event of the null-values page. */
const autoscalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

/** The sample event of the event-ruler README. */
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** `rulerEvent` with some of its detail replaced. */
function withDetail(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...rulerEvent, detail: { ...rulerEvent.detail, ...changes } };
}

const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

describe('matchesPattern', () => {
  describe('fields and nesting', () => {
    table([
      {
        name: 'matches the EC2 termination example when every listed field matches',
        pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
        event: ec2Event,
        matches: true,
      },
      {
        name: 'does not match when one listed field differs',
        pattern: { source: ['aws.ec2'], detail: { state: ['running'] } },
        event: ec2Event,
        matches: false,
      },
      {
        name: 'ignores event fields the pattern does not list',
        pattern: { region: ['us-west-1'] },
        event: ec2Event,
        matches: true,
      },
      {
        name: 'does not match when a listed field is missing',
        pattern: { detail: { reason: ['x'] } },
        event: ec2Event,
        matches: false,
      },
      {
        name: 'does not match a nested pattern against a string field',
        pattern: { detail: { state: { name: ['terminated'] } } },
        event: ec2Event,
        matches: false,
      },
      {
        name: 'does not match a value list against an object field',
        pattern: { detail: ['terminated'] },
        event: ec2Event,
        matches: false,
      },
      {
        name: 'matches the Macie example on nested numbers',
        pattern: { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
        event: { source: 'aws.macie', detail: { 'risk-score': 80, trigger: { 'alert-type': 'basic', risk: 8 } } },
        matches: true,
      },
      {
        name: 'does not match the Macie example when a nested number differs',
        pattern: { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [9] } } },
        event: { source: 'aws.macie', detail: { 'risk-score': 80, trigger: { risk: 8 } } },
        matches: false,
      },
      {
        // event-ruler README, "Compiled rules and JSON keys with dots": paths are joined with "." on both sides.
        name: 'treats a dotted key like the nested path it spells',
        pattern: { detail: { 'state.status': ['running'] } },
        event: { detail: { state: { status: 'running' } } },
        matches: true,
      },
    ]);
  });

  describe('literal values', () => {
    table([
      {
        name: 'compares strings character by character',
        pattern: { s: ['Terminated'] },
        event: { s: 'terminated' },
        matches: false,
      },
      { name: 'matches when any value of the list matches', pattern: { s: ['a', 'b'] }, event: { s: 'b' }, matches: true },
      { name: 'compares numbers as numbers (5 and 5.0)', pattern: { n: [5] }, event: JSON.parse('{"n": 5.0}'), matches: true },
      {
        name: 'compares numbers as numbers (300 and 3.0e2)',
        pattern: { n: [300] },
        event: JSON.parse('{"n": 3.0e2}'),
        matches: true,
      },
      { name: 'never matches a string against a number', pattern: { n: ['512'] }, event: { n: 512 }, matches: false },
      { name: 'never matches a number against a string', pattern: { n: [512] }, event: { n: '512' }, matches: false },
      { name: 'matches true against true', pattern: { b: [true] }, event: { b: true }, matches: true },
      { name: 'does not match true against "true"', pattern: { b: [true] }, event: { b: 'true' }, matches: false },
      { name: 'does not match false against 0', pattern: { b: [false] }, event: { b: 0 }, matches: false },
      {
        name: 'matches null against a null value (null-values page)',
        pattern: { detail: { responseElements: [null] } },
        event: autoscalingEvent,
        matches: true,
      },
      {
        name: 'matches "" against an empty string (null-values page)',
        pattern: { detail: { eventVersion: [''] } },
        event: autoscalingEvent,
        matches: true,
      },
      {
        name: 'does not match "" against null',
        pattern: { detail: { responseElements: [''] } },
        event: autoscalingEvent,
        matches: false,
      },
      {
        name: 'does not match null against ""',
        pattern: { detail: { eventVersion: [null] } },
        event: autoscalingEvent,
        matches: false,
      },
      {
        name: 'does not match null against an absent field',
        pattern: { detail: { missing: [null] } },
        event: autoscalingEvent,
        matches: false,
      },
      { name: 'does not match null against the string "null"', pattern: { v: [null] }, event: { v: 'null' }, matches: false },
      { name: 'matches an IPv4 literal', pattern: { ip: ['10.0.0.1'] }, event: { ip: '10.0.0.1' }, matches: true },
      {
        // event-ruler turns an IP literal in a pattern into an address match (CIDR.ipToRangeIfPossible).
        name: 'matches an IPv6 literal however the address is written',
        pattern: { ip: ['2001:db8::1'] },
        event: { ip: '2001:0DB8:0:0:0:0:0:1' },
        matches: true,
      },
      {
        name: 'does not match an IP literal against another address',
        pattern: { ip: ['10.0.0.1'] },
        event: { ip: '10.0.0.2' },
        matches: false,
      },
    ]);
  });

  describe('arrays in the event', () => {
    table([
      {
        name: 'matches when the pattern list and the event array intersect (arrays page)',
        pattern: {
          resources: [
            'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
            'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
            'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
          ],
        },
        event: {
          resources: [
            'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
            'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
          ],
        },
        matches: true,
      },
      {
        name: 'does not match when they do not intersect',
        pattern: { tags: ['a'] },
        event: { tags: ['b', 'c'] },
        matches: false,
      },
      { name: 'does not match a value against an empty array', pattern: { tags: ['a'] }, event: { tags: [] }, matches: false },
      { name: 'looks into nested arrays of values', pattern: { n: [3] }, event: { n: [[1, 2], [3]] }, matches: true },
      {
        name: 'matches a field inside one element of an array of objects',
        pattern: { employees: { firstName: ['Anna'] } },
        event: employees,
        matches: true,
      },
      {
        name: 'matches two fields of the same element of an array of objects',
        pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
        event: employees,
        matches: true,
      },
      {
        // event-ruler README, "JSON Array Matching": rulesForJSONEvent refuses matches across elements.
        name: 'does not match two fields taken from different elements of an array of objects',
        pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
        event: employees,
        matches: false,
      },
      {
        name: 'does not match across elements of nested arrays of objects',
        pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
        event: {
          employees: [
            [
              { firstName: 'John', lastName: 'Doe' },
              { firstName: 'Anna', lastName: 'Smith' },
            ],
            [{ firstName: 'Peter', lastName: 'Jones' }],
          ],
        },
        matches: false,
      },
      {
        name: 'matches within one element of nested arrays of objects',
        pattern: { employees: { firstName: ['Peter'], lastName: ['Jones'] } },
        event: { employees: [[{ firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] },
        matches: true,
      },
      {
        name: 'keeps deeper fields to the same element too',
        pattern: { a: { b: { c: [1] }, d: [2] } },
        event: { a: [{ b: { c: 1 }, d: 3 }, { b: { c: 2 }, d: 2 }] },
        matches: false,
      },
      {
        name: 'lets fields outside the array pair with any element',
        pattern: { source: ['aws.ecs'], detail: { containers: { lastStatus: ['STOPPED'] } } },
        event: { source: 'aws.ecs', detail: { containers: [{ lastStatus: 'RUNNING' }, { lastStatus: 'STOPPED' }] } },
        matches: true,
      },
      {
        name: 'lets values of an array inside one element pair with that element',
        pattern: { a: { tags: ['x'], name: ['second'] } },
        event: { a: [{ tags: ['y'], name: 'first' }, { tags: ['z', 'x'], name: 'second' }] },
        matches: true,
      },
    ]);
  });

  describe('prefix and suffix', () => {
    table([
      {
        name: 'matches a prefix of a string (time example)',
        pattern: { time: [{ prefix: '2017-10-02' }] },
        event: { time: '2017-10-02T18:43:48Z' },
        matches: true,
      },
      {
        name: 'does not match another prefix',
        pattern: { time: [{ prefix: '2017-10-02' }] },
        event: { time: '2017-10-03T18:43:48Z' },
        matches: false,
      },
      { name: 'matches only strings with a prefix', pattern: { n: [{ prefix: '20' }] }, event: { n: 2017 }, matches: false },
      {
        name: 'matches any string with an empty prefix',
        pattern: { s: [{ prefix: '' }] },
        event: { s: 'anything' },
        matches: true,
      },
      { name: 'needs the field to be present for a prefix', pattern: { s: [{ prefix: '' }] }, event: {}, matches: false },
      {
        name: 'matches a prefix regardless of case with equals-ignore-case (operators page)',
        pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
        event: { detail: { service: 'EVENTBRIDGE' } },
        matches: true,
      },
      {
        name: 'does not match a different prefix regardless of case',
        pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
        event: { detail: { service: 'Event-Bridge' } },
        matches: false,
      },
      {
        name: 'matches a suffix of a string',
        pattern: { FileName: [{ suffix: '.png' }] },
        event: { FileName: 'image.png' },
        matches: true,
      },
      {
        name: 'does not match another suffix',
        pattern: { FileName: [{ suffix: '.png' }] },
        event: { FileName: 'image.PNG' },
        matches: false,
      },
      {
        name: 'matches a suffix regardless of case with equals-ignore-case',
        pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
        event: { detail: { FileName: 'image.PnG' } },
        matches: true,
      },
      {
        name: 'does not match a different suffix regardless of case',
        pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
        event: { detail: { FileName: 'image.jpg' } },
        matches: false,
      },
      { name: 'matches only strings with a suffix', pattern: { n: [{ suffix: '7' }] }, event: { n: 2017 }, matches: false },
    ]);
  });

  describe('equals-ignore-case', () => {
    table([
      {
        name: 'matches the same letters in another case',
        pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
        event: { Name: 'ALICE' },
        matches: true,
      },
      {
        name: 'does not match other letters',
        pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
        event: { Name: 'Alicia' },
        matches: false,
      },
      { name: 'matches only strings', pattern: { b: [{ 'equals-ignore-case': 'true' }] }, event: { b: true }, matches: false },
      // event-ruler's EqualsIgnoreCaseParser accepts each character's lower- and upper-case forms, "SS" for "ß".
      {
        name: 'accepts a multi-letter upper-case form',
        pattern: { s: [{ 'equals-ignore-case': 'straße' }] },
        event: { s: 'STRASSE' },
        matches: true,
      },
    ]);
  });

  describe('anything-but', () => {
    const state = (value: unknown): Record<string, unknown> => ({ detail: { state: value } });
    table([
      {
        name: 'matches a string other than the excluded one',
        pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
        event: state('running'),
        matches: true,
      },
      {
        name: 'does not match the excluded string',
        pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
        event: state('initializing'),
        matches: false,
      },
      {
        name: 'needs the field to be present',
        pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
        event: { detail: {} },
        matches: false,
      },
      // event-ruler's ByteMachine only lets an anything-but exclude values of its own kind.
      {
        name: 'matches a number when a string is excluded',
        pattern: { detail: { state: [{ 'anything-but': '5' }] } },
        event: state(5),
        matches: true,
      },
      {
        name: 'matches null when a string is excluded',
        pattern: { detail: { state: [{ 'anything-but': 'x' }] } },
        event: state(null),
        matches: true,
      },
      {
        name: 'matches a number other than the excluded one',
        pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
        event: withDetail({ 'x-limit': 124 }),
        matches: true,
      },
      {
        name: 'does not match the excluded number however written',
        pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
        event: JSON.parse('{"detail":{"x-limit":1.23e2}}'),
        matches: false,
      },
      {
        name: 'matches a string when a number is excluded',
        pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
        event: withDetail({ 'x-limit': '123' }),
        matches: true,
      },
      {
        name: 'does not match a string in the excluded list',
        pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
        event: state('overloaded'),
        matches: false,
      },
      {
        name: 'matches a string outside the excluded list',
        pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
        event: state('running'),
        matches: true,
      },
      {
        name: 'does not match a number in the excluded list',
        pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
        event: withDetail({ 'x-limit': 200 }),
        matches: false,
      },
      {
        name: 'matches a number outside the excluded list',
        pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
        event: rulerEvent,
        matches: true,
      },
      {
        name: 'does not match a string with the excluded prefix',
        pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
        event: state('initializing'),
        matches: false,
      },
      {
        name: 'matches a string without the excluded prefix',
        pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
        event: state('running'),
        matches: true,
      },
      {
        name: 'matches a number when a prefix is excluded',
        pattern: { detail: { state: [{ 'anything-but': { prefix: '1' } }] } },
        event: state(12),
        matches: true,
      },
      {
        name: 'does not match a string with one of the excluded prefixes',
        pattern: { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
        event: { Region: 'eu-west-1' },
        matches: false,
      },
      {
        name: 'does not match a string with the excluded suffix',
        pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
        event: { FileName: 'a.png' },
        matches: false,
      },
      {
        name: 'matches a string without the excluded suffix',
        pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
        event: { FileName: 'a.jpg' },
        matches: true,
      },
      {
        name: 'does not match the excluded string in another case',
        pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
        event: state('INITIALIZING'),
        matches: false,
      },
      {
        name: 'matches a string outside an excluded list regardless of case',
        pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } },
        event: state('Running'),
        matches: true,
      },
      {
        name: 'does not match a string the excluded wildcard matches',
        pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
        event: { FilePath: '/usr/lib/x.so' },
        matches: false,
      },
      {
        name: 'matches a string the excluded wildcard does not match',
        pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
        event: { FilePath: '/usr/bin/x' },
        matches: true,
      },
      {
        name: 'matches an event array when any element is not excluded',
        pattern: { tags: [{ 'anything-but': 'a' }] },
        event: { tags: ['a', 'b'] },
        matches: true,
      },
      {
        name: 'does not match an event array whose elements are all excluded',
        pattern: { tags: [{ 'anything-but': 'a' }] },
        event: { tags: ['a', 'a'] },
        matches: false,
      },
    ]);
  });

  describe('numeric', () => {
    const range = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } };
    table([
      {
        name: 'matches the README example when every range holds',
        pattern: {
          detail: {
            'c-count': [{ numeric: ['>', 0, '<=', 5] }],
            'd-count': [{ numeric: ['<', 10] }],
            'x-limit': [{ numeric: ['=', 3.018e2] }],
          },
        },
        event: rulerEvent,
        matches: true,
      },
      { name: 'includes a closed top', pattern: range, event: withDetail({ 'c-count': 5 }), matches: true },
      { name: 'excludes an open bottom', pattern: range, event: withDetail({ 'c-count': 0 }), matches: false },
      { name: 'excludes a value above the top', pattern: range, event: withDetail({ 'c-count': 5.000001 }), matches: false },
      { name: 'includes a closed bottom', pattern: { n: [{ numeric: ['>=', 0] }] }, event: { n: 0 }, matches: true },
      {
        name: 'matches a negative number below a bound',
        pattern: { n: [{ numeric: ['<', 0] }] },
        event: { n: -1.5 },
        matches: true,
      },
      { name: 'excludes an open top', pattern: { n: [{ numeric: ['>=', 1, '<', 2] }] }, event: { n: 2 }, matches: false },
      { name: 'matches only JSON numbers', pattern: { n: [{ numeric: ['=', 5] }] }, event: { n: '5' }, matches: false },
      { name: 'does not match null', pattern: { n: [{ numeric: ['>=', 0] }] }, event: { n: null }, matches: false },
      { name: 'needs the field to be present', pattern: { n: [{ numeric: ['>=', 0] }] }, event: {}, matches: false },
      {
        name: 'matches when any element of an event array is in range',
        pattern: { n: [{ numeric: ['>', 10] }] },
        event: { n: [1, 20] },
        matches: true,
      },
    ]);
  });

  describe('exists', () => {
    table([
      {
        name: 'matches an absent field with exists false (content-filtering page)',
        pattern: { detail: { 'c-count': [{ exists: false }] } },
        event: { 'detail-type': 'EC2 Instance State-change Notification', detail: { state: 'running' } },
        matches: true,
      },
      {
        // "The preceding event pattern also matches the following event because c-count isn't a leaf node."
        name: 'matches exists false when the field holds an object, which is not a leaf',
        pattern: { detail: { 'c-count': [{ exists: false }] } },
        event: { detail: { state: 'running', 'c-count': { c1: 100 } } },
        matches: true,
      },
      {
        name: 'does not match exists true on an object',
        pattern: { detail: { 'c-count': [{ exists: true }] } },
        event: { detail: { 'c-count': { c1: 100 } } },
        matches: false,
      },
      {
        name: 'matches exists true on a present field',
        pattern: { detail: { 'c-count': [{ exists: true }] } },
        event: rulerEvent,
        matches: true,
      },
      {
        name: 'does not match exists false on a present field',
        pattern: { detail: { 'c-count': [{ exists: false }] } },
        event: rulerEvent,
        matches: false,
      },
      { name: 'does not match exists true on an absent field', pattern: { x: [{ exists: true }] }, event: {}, matches: false },
      // event-ruler flattens null into a field like any other leaf value.
      { name: 'counts a null value as existing', pattern: { x: [{ exists: true }] }, event: { x: null }, matches: true },
      {
        name: 'does not match exists false on a null value',
        pattern: { x: [{ exists: false }] },
        event: { x: null },
        matches: false,
      },
      { name: 'counts an empty string as existing', pattern: { x: [{ exists: true }] }, event: { x: '' }, matches: true },
      { name: 'does not count an empty array as existing', pattern: { x: [{ exists: true }] }, event: { x: [] }, matches: false },
      { name: 'matches exists false on an empty array', pattern: { x: [{ exists: false }] }, event: { x: [] }, matches: true },
      { name: 'counts an array of values as existing', pattern: { x: [{ exists: true }] }, event: { x: ['a'] }, matches: true },
      {
        name: 'matches exists false when a parent is absent',
        pattern: { detail: { x: [{ exists: false }] } },
        event: {},
        matches: true,
      },
      {
        name: 'matches exists false when a parent is a string',
        pattern: { detail: { x: [{ exists: false }] } },
        event: { detail: 'text' },
        matches: true,
      },
      {
        name: 'matches a value or absence: the value',
        pattern: { x: [{ exists: false }, 'a'] },
        event: { x: 'a' },
        matches: true,
      },
      { name: 'matches a value or absence: the absence', pattern: { x: [{ exists: false }, 'a'] }, event: {}, matches: true },
      {
        name: 'matches a value or absence: neither',
        pattern: { x: [{ exists: false }, 'a'] },
        event: { x: 'b' },
        matches: false,
      },
      {
        name: 'checks absence within the element the other fields matched in',
        pattern: { a: { c: [2], d: [{ exists: false }] } },
        event: { a: [{ c: 2 }, { d: 1 }] },
        matches: true,
      },
      {
        name: 'does not match absence when that element has the field',
        pattern: { a: { c: [2], d: [{ exists: false }] } },
        event: { a: [{ c: 2, d: 1 }] },
        matches: false,
      },
      {
        // event-ruler takes paths in sorted order: "a.b" comes before "a.c", so its absence is checked against the
        // whole event, where the first element has it.
        name: 'checks absence of a path sorted first against the whole event',
        pattern: { a: { b: [{ exists: false }], c: [2] } },
        event: { a: [{ b: 1 }, { c: 2 }] },
        matches: false,
      },
    ]);
  });

  describe('wildcard', () => {
    table([
      {
        name: 'matches characters in place of the wildcard',
        pattern: { s: [{ wildcard: 'Simple*Service' }] },
        event: { s: 'SimpleQueueService' },
        matches: true,
      },
      {
        name: 'lets the wildcard match nothing',
        pattern: { s: [{ wildcard: 'Simple*Service' }] },
        event: { s: 'SimpleService' },
        matches: true,
      },
      {
        name: 'does not match when the fixed text differs',
        pattern: { s: [{ wildcard: 'Simple*Service' }] },
        event: { s: 'SimpleQueue' },
        matches: false,
      },
      {
        name: 'matches the event bus example with two wildcards',
        pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
        event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
        matches: true,
      },
      { name: 'matches any string with a lone wildcard', pattern: { s: [{ wildcard: '*' }] }, event: { s: '' }, matches: true },
      { name: 'matches only strings', pattern: { s: [{ wildcard: '*' }] }, event: { s: 5 }, matches: false },
      {
        name: 'matches a literal asterisk escaped with a backslash',
        pattern: { s: [{ wildcard: 'a\\*b' }] },
        event: { s: 'a*b' },
        matches: true,
      },
      {
        name: 'does not treat an escaped asterisk as a wildcard',
        pattern: { s: [{ wildcard: 'a\\*b' }] },
        event: { s: 'axb' },
        matches: false,
      },
      {
        name: 'matches a literal backslash escaped with a backslash',
        pattern: { s: [{ wildcard: 'a\\\\*' }] },
        event: { s: 'a\\bc' },
        matches: true,
      },
      {
        name: 'treats regular-expression characters literally',
        pattern: { s: [{ wildcard: 'a.c*' }] },
        event: { s: 'abc' },
        matches: false,
      },
    ]);
  });

  describe('cidr', () => {
    table([
      {
        name: 'matches an address in the block',
        pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
        event: { detail: { sourceIPAddress: '10.0.0.255' } },
        matches: true,
      },
      {
        name: 'does not match an address outside the block',
        pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
        event: { detail: { sourceIPAddress: '10.0.1.0' } },
        matches: false,
      },
      {
        name: 'matches an IPv6 address in the block',
        pattern: { ip: [{ cidr: '2001:db8::/32' }] },
        event: { ip: '2001:db8:1::1' },
        matches: true,
      },
      {
        name: 'does not match an IPv6 address outside the block',
        pattern: { ip: [{ cidr: '2001:db8::/32' }] },
        event: { ip: '2001:db9::1' },
        matches: false,
      },
      {
        name: 'does not match a string that is not an address',
        pattern: { ip: [{ cidr: '10.0.0.0/8' }] },
        event: { ip: 'ten' },
        matches: false,
      },
      {
        name: 'matches the README complex example',
        pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } },
        event: rulerEvent,
        matches: true,
      },
    ]);
  });

  describe('$or', () => {
    const metrics = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    const nested = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    table([
      {
        name: 'matches the first branch',
        pattern: metrics,
        event: { source: 'aws.cloudwatch', metricName: 'ReadLatency' },
        matches: true,
      },
      {
        name: 'matches the second branch',
        pattern: metrics,
        event: { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
        matches: true,
      },
      {
        name: 'needs the keys beside $or as well',
        pattern: metrics,
        event: { source: 'aws.ec2', namespace: 'AWS/ES' },
        matches: false,
      },
      {
        name: 'does not match when no branch does',
        pattern: metrics,
        event: { source: 'aws.cloudwatch', namespace: 'AWS/RDS' },
        matches: false,
      },
      {
        name: 'matches a branch whose keys all match',
        pattern: nested,
        event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
        matches: true,
      },
      {
        name: 'does not match a branch with a key missing',
        pattern: nested,
        event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' },
        matches: false,
      },
      { name: 'matches the last branch', pattern: nested, event: { source: 'aws.cloudwatch', scope: 'Service' }, matches: true },
      {
        name: 'combines $or at two levels (parallel or)',
        pattern: {
          $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
          detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
        },
        event: { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
        matches: true,
      },
      {
        name: 'needs both levels of a parallel or',
        pattern: {
          $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
          detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
        },
        event: { namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } },
        matches: false,
      },
      {
        name: 'matches numeric branches inside detail (operators page)',
        pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
        event: withDetail({ 'c-count': 50 }),
        matches: true,
      },
    ]);
  });

  describe('ECS rules against recorded events', () => {
    const taskRule = {
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: { $or: [{ lastStatus: ['STOPPED'] }, { stopCode: ['SpotInterruption', 'TerminationNotice'] }] },
    };
    const taskRuleWithStoppedContainers = {
      ...taskRule,
      detail: {
        $or: [
          { lastStatus: ['STOPPED'] },
          { stopCode: ['SpotInterruption', 'TerminationNotice'] },
          { lastStatus: ['RUNNING'], containers: { lastStatus: ['STOPPED'] } },
        ],
      },
    };
    const containerInstanceRule = {
      source: ['aws.ecs'],
      $or: [
        {
          'detail-type': ['ECS Container Instance State Change'],
          detail: { $or: [{ status: [{ 'anything-but': 'ACTIVE' }] }, { agentConnected: [false] }] },
        },
        { 'detail-type': ['ECS Container Instance Health Change'] },
      ],
    };
    const capacityRule = {
      $or: [
        { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
        { source: ['aws.health'], 'detail-type': ['AWS Health Event'], detail: { service: ['ECS', 'EC2'] } },
      ],
    };

    it.each([
      ['task/stopped-spot-interruption.json', true],
      ['task/stopped-oom.json', true],
      ['task/spot-warning-termination-notice.json', true],
      ['task/spot-warning-running.json', true],
      ['task/spot-deprovisioning.json', true],
      ['task/lifecycle-running.json', false],
      ['task/lifecycle-pending.json', false],
      ['task/deprovisioning-scale-in.json', false],
      ['container-instance/draining.json', false],
    ])('the task rule matches %s: %s', (path, expected) => {
      expect(matchesPattern(taskRule, loadFixture(path))).toBe(expected);
    });

    it('matches a running task with a stopped container only with the containers branch', () => {
      const event = loadFixture('task/running-sidecar-exited.json');

      expect(matchesPattern(taskRule, event)).toBe(false);
      expect(matchesPattern(taskRuleWithStoppedContainers, event)).toBe(true);
      expect(matchesPattern(taskRuleWithStoppedContainers, loadFixture('task/lifecycle-running.json'))).toBe(false);
    });

    it('stops matching a stopped task when its source is changed', () => {
      const event = { ...loadFixture('task/stopped-oom.json'), source: 'custom.ecs' };

      expect(matchesPattern(taskRule, event)).toBe(false);
    });

    it('matches a task that stopped for a Spot interruption once its status is changed to RUNNING', () => {
      const event = loadFixture('task/stopped-spot-interruption.json');
      detailOf(event).lastStatus = 'RUNNING';

      expect(matchesPattern(taskRule, event)).toBe(true);
    });

    it.each([
      ['container-instance/active.json', false],
      ['container-instance/agent-disconnected.json', true],
      ['container-instance/draining.json', true],
      ['container-instance-health/container-runtime-ok.json', true],
      ['task/stopped-oom.json', false],
    ])('the container-instance rule matches %s: %s', (path, expected) => {
      expect(matchesPattern(containerInstanceRule, loadFixture(path))).toBe(expected);
    });

    it.each([
      ['ec2/spot-interruption-warning.json', true],
      ['ec2/instance-terminated.json', false],
      ['health/fargate-task-retirement.json', true],
      ['health/ec2-instance-retirement-scheduled.json', true],
      ['task/stopped-spot-interruption.json', false],
    ])('the capacity rule matches %s: %s', (path, expected) => {
      expect(matchesPattern(capacityRule, loadFixture(path))).toBe(expected);
    });
  });

  it('throws a PatternError for an invalid pattern', () => {
    expect(() => matchesPattern({ source: 'aws.ecs' }, ec2Event)).toThrow(PatternError);
  });

  it('throws a TypeError when the event is not a JSON object', () => {
    expect(() => matchesPattern({ source: ['aws.ecs'] }, ['aws.ecs'])).toThrow(TypeError);
    expect(() => matchesPattern({ source: ['aws.ecs'] }, null)).toThrow(/must be a JSON object/);
  });

  it('throws a TypeError when the event holds a value JSON cannot', () => {
    const pattern = { source: ['aws.ecs'] };

    expect(() => matchesPattern(pattern, { source: 'aws.ecs', detail: { size: 1n } })).toThrow(/bigint at detail\.size/);
    expect(() => matchesPattern(pattern, { source: 'aws.ecs', detail: { f: () => 1 } })).toThrow(/function at detail\.f/);
  });

  it('skips undefined members, as JSON.stringify would', () => {
    expect(matchesPattern({ detail: { reason: [{ exists: false }] } }, { detail: { reason: undefined } })).toBe(true);
  });
});

describe('validatePattern', () => {
  it.each([
    [
      'the docs complex example',
      {
        time: [{ prefix: '2017-10-02' }],
        detail: {
          state: [{ 'anything-but': 'initializing' }],
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'x-limit': [{ 'anything-but': [100, 200, 300] }],
        },
      },
    ],
    ['a field named like an operator outside $or', { prefix: ['x'], detail: { numeric: [1] } }],
    [
      'every operator',
      {
        a: [
          { suffix: 'x' },
          { 'equals-ignore-case': 'x' },
          { wildcard: 'x*' },
          { exists: true },
          { cidr: '10.0.0.0/8' },
          { numeric: ['=', 1] },
          'x',
          1,
          true,
          null,
        ],
      },
    ],
  ])('accepts %s', (_name, pattern) => {
    expect(() => validatePattern(pattern)).not.toThrow();
  });

  it.each([
    ['a string', 'aws.ecs', /must be a JSON object/],
    ['an array', [{ source: ['aws.ecs'] }], /must be a JSON object/],
    ['null', null, /must be a JSON object/],
    ['an empty pattern', {}, /empty objects/],
    ['an empty nested object', { detail: {} }, /empty objects/],
    ['a leaf that is a string', { source: 'aws.ecs' }, /"source" must be an object or an array/],
    ['a leaf that is a number', { detail: { n: 5 } }, /must be an object or an array/],
    ['a leaf that is null', { detail: { n: null } }, /must be an object or an array/],
    ['an empty value list', { source: [] }, /empty arrays/],
    ['a nested value list', { source: [['aws.ecs']] }, /match values must be/],
    ['a number that is not JSON', { n: [Number.NaN] }, /not a JSON number/],
    ['an unknown operator', { s: [{ contains: 'x' }] }, /unrecognized match type "contains"/],
    ['an operator object without an operator', { s: [{}] }, /needs an operator/],
    ['two operators in one object', { s: [{ prefix: 'a', suffix: 'b' }] }, /only one key/],
    ['a prefix that is not a string', { s: [{ prefix: 5 }] }, /prefix takes a string/],
    ['a prefix object other than equals-ignore-case', { s: [{ prefix: { wildcard: 'a*' } }] }, /equals-ignore-case/],
    ['a suffix that is not a string', { s: [{ suffix: null }] }, /suffix takes a string/],
    ['equals-ignore-case that is not a string', { s: [{ 'equals-ignore-case': 1 }] }, /equals-ignore-case takes a string/],
    ['anything-but null', { s: [{ 'anything-but': null }] }, /anything-but takes/],
    ['anything-but true', { s: [{ 'anything-but': true }] }, /anything-but takes/],
    ['an empty anything-but list', { s: [{ 'anything-but': [] }] }, /only strings or only numbers/],
    ['a mixed anything-but list', { s: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
    ['anything-but with null in its list', { s: [{ 'anything-but': [null] }] }, /only strings or only numbers/],
    ['anything-but with an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, /cannot be empty/],
    ['anything-but with an empty suffix in a list', { s: [{ 'anything-but': { suffix: ['.png', ''] } }] }, /cannot be empty/],
    ['anything-but with an empty list of prefixes', { s: [{ 'anything-but': { prefix: [] } }] }, /needs at least one value/],
    ['anything-but with a numeric prefix', { s: [{ 'anything-but': { prefix: 5 } }] }, /takes a string/],
    ['anything-but with an unsupported operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported anything-but/],
    ['anything-but with two operators', { s: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] }, /exactly one/],
    ['numeric that is not a list', { n: [{ numeric: '>5' }] }, /numeric takes/],
    ['numeric without a value', { n: [{ numeric: ['>'] }] }, /must be a number/],
    ['numeric with a string value', { n: [{ numeric: ['>', '5'] }] }, /must be a number/],
    ['numeric with an unknown operator', { n: [{ numeric: ['~', 5] }] }, /unrecognized numeric operator/],
    ['a range starting with <', { n: [{ numeric: ['<', 5, '>', 0] }] }, /only > or >= can start a range/],
    ['a range ending with >', { n: [{ numeric: ['>', 0, '>', 5] }] }, /a range ends with < or <=/],
    ['an empty range', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, /less than its top/],
    ['an inverted range', { n: [{ numeric: ['>', 10, '<', 5] }] }, /less than its top/],
    ['an equality followed by more terms', { n: [{ numeric: ['=', 5, '<', 10] }] }, /only > or >= can start a range/],
    ['a range with extra terms', { n: [{ numeric: ['>', 0, '<=', 5, '<', 6] }] }, /too many terms/],
    ['exists that is not a boolean', { s: [{ exists: 'true' }] }, /exists must be true or false/],
    ['a CIDR without mask', { ip: [{ cidr: '10.0.0.0' }] }, /one "\/" required/],
    ['a CIDR with a non-numeric mask', { ip: [{ cidr: '10.0.0.0/a' }] }, /must be an integer/],
    ['a CIDR with an invalid address', { ip: [{ cidr: '10.0.0.256/8' }] }, /invalid IP address/],
    ['a CIDR on a host name', { ip: [{ cidr: 'example.com/8' }] }, /invalid IP address/],
    // event-ruler's CIDR.cidr refuses a mask as wide as the address.
    ['an IPv4 CIDR with a /32 mask', { ip: [{ cidr: '10.0.0.1/32' }] }, /IPv4 mask bits must be < 32/],
    ['an IPv6 CIDR with a /128 mask', { ip: [{ cidr: '::1/128' }] }, /IPv6 mask bits must be < 128/],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }, /consecutive wildcard/],
    ['a backslash escaping a letter', { s: [{ wildcard: 'a\\b' }] }, /invalid escape/],
    ['a trailing backslash', { s: [{ wildcard: 'a\\' }] }, /invalid escape/],
    ['consecutive wildcards inside anything-but', { s: [{ 'anything-but': { wildcard: '**' } }] }, /consecutive wildcard/],
    ['$or that is not a list', { $or: { a: ['x'] } }, /\$or must be an array/],
    ['$or with a single branch', { $or: [{ a: ['x'] }] }, /at least 2 objects/],
    ['$or with a branch that is not an object', { $or: [{ a: ['x'] }, ['b']] }, /may only contain objects/],
    ['$or with an empty branch', { $or: [{ a: ['x'] }, {}] }, /empty objects/],
    ['an operator name as a field inside $or', { $or: [{ prefix: ['x'] }, { b: ['y'] }] }, /"prefix" is an operator name/],
    ['an operator name nested inside $or', { $or: [{ a: { numeric: [1] } }, { b: ['y'] }] }, /"numeric" is an operator name/],
    ['a field matched beside and inside $or', { a: ['x'], $or: [{ a: ['y'] }, { b: ['z'] }] }, /matched more than once/],
    ['a dotted key and the nested path it spells', { 'a.b': ['x'], a: { b: ['y'] } }, /matched more than once/],
  ])('rejects %s', (_name, pattern, message) => {
    expect(() => validatePattern(pattern)).toThrow(message);
  });

  it('names the path of the offending part of the pattern', () => {
    let caught: unknown;
    try {
      validatePattern({ source: ['aws.ecs'], detail: { lastStatus: 'STOPPED' } });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(PatternError);
    expect(caught).toMatchObject({ name: 'PatternError', path: 'detail.lastStatus' });
    expect(String(caught)).toContain('Event pattern is not valid at detail.lastStatus: "lastStatus" must be an object or an array');
  });
});

describe('matchesPattern under random events', () => {
  const key = fc.constantFrom('a', 'b', 'c');
  const leaf = fc.oneof(
    fc.constantFrom(null, true, false, '', 'x', 'y', '10.0.0.1'),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  const { tree } = fc.letrec<{ tree: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('tree'), { maxLength: 3 }),
    object: fc.dictionary(key, tie('tree'), { maxKeys: 3 }),
  }));
  const event = fc.dictionary(key, tree, { maxKeys: 3 });
  const path = fc.array(key, { minLength: 1, maxLength: 3 });
  const operand = fc.oneof(
    leaf,
    fc.constantFrom(
      { exists: true },
      { exists: false },
      { prefix: 'x' },
      { 'anything-but': 'x' },
      { numeric: ['>', 0] },
      { wildcard: '*' },
      { cidr: '10.0.0.0/8' },
    ),
  );
  const pattern = fc.tuple(path, fc.array(operand, { minLength: 1, maxLength: 2 })).map(([steps, values]) => nest(steps, values));

  it('matches exactly one of exists true and exists false on the same path', () => {
    fc.assert(
      fc.property(event, path, (anEvent, steps) => {
        const present = matchesPattern(nest(steps, [{ exists: true }]), anEvent);
        const absent = matchesPattern(nest(steps, [{ exists: false }]), anEvent);
        expect(present).not.toBe(absent);
      }),
      { numRuns: 500 },
    );
  });

  it('matches a pattern built from any one of the event’s own leaf values', () => {
    fc.assert(
      fc.property(event, fc.nat(), (anEvent, pick) => {
        const all = leaves(anEvent, [], false);
        fc.pre(all.length > 0);
        const chosen = all[pick % all.length]!;
        expect(matchesPattern(nest(chosen.path, [chosen.value]), anEvent)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('matches a pattern built from all the event’s leaf values outside arrays', () => {
    fc.assert(
      fc.property(event, (anEvent) => {
        const outside = leaves(anEvent, [], false).filter((found) => !found.inArray);
        fc.pre(outside.length > 0);
        const combined = outside.reduce<Record<string, unknown>>(
          (merged, found) => merge(merged, nest(found.path, [found.value])),
          {},
        );
        expect(matchesPattern(combined, anEvent)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('matches $or of two patterns exactly when either pattern matches', () => {
    fc.assert(
      fc.property(event, pattern, pattern, (anEvent, first, second) => {
        const either = matchesPattern(first, anEvent) || matchesPattern(second, anEvent);
        expect(matchesPattern({ $or: [first, second] }, anEvent)).toBe(either);
      }),
      { numRuns: 500 },
    );
  });

  it('matches anything-but a string exactly when the string itself does not match a single string field', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', '-', '.'), maxLength: 4 });
    fc.assert(
      fc.property(text, text, (excluded, value) => {
        const anEvent = { detail: { state: value } };
        const butNot = matchesPattern({ detail: { state: [{ 'anything-but': excluded }] } }, anEvent);
        expect(butNot).toBe(!matchesPattern({ detail: { state: [excluded] } }, anEvent));
      }),
      { numRuns: 300 },
    );
  });
});

/** `{ a: { b: values } }` for the path a.b, keeping any key (even `__proto__`) as an own property. */
function nest(path: readonly string[], values: unknown[]): Record<string, unknown> {
  const [first, ...rest] = path;
  if (first === undefined) throw new Error('empty path');
  return Object.fromEntries([[first, rest.length === 0 ? values : nest(rest, values)]]);
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...a };
  for (const [name, value] of Object.entries(b)) {
    const existing = merged[name];
    const isObject = (candidate: unknown): candidate is Record<string, unknown> =>
      typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);
    merged[name] = isObject(existing) && isObject(value) ? merge(existing, value) : value;
  }
  return merged;
}

interface FoundLeaf {
  path: string[];
  value: unknown;
  inArray: boolean;
}

function leaves(value: unknown, path: string[], inArray: boolean): FoundLeaf[] {
  if (Array.isArray(value)) return value.flatMap((element: unknown) => leaves(element, path, true));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, child]) => leaves(child, [...path, name], inArray));
  }
  return path.length === 0 ? [] : [{ path, value, inArray }];
}
