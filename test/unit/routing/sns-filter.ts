import { isRecord } from '../../../lib/events/schema.ts';
import type { SnsStringAttribute } from '../../../lib/notify/sns-message.ts';

/**
 * A test oracle: whether SNS delivers a message with these String attributes to a subscription with this filter
 * policy (scope MessageAttributes), written from AWS's description rather than from the code under test:
 * - every key of the policy must match, and a key matches when any of its values does
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html);
 * - `"$or": [a, b, …]` matches when any of its policies does (https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html);
 * - a string matches the same string; `{ prefix }` a value starting with it; `{ "anything-but": [...] }` a present
 *   value not in the list; `{ "anything-but": { prefix } }` a present value not starting with it
 *   (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html);
 * - `{ exists: true }` a present attribute, `{ exists: false }` an absent one
 *   (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html).
 * Anything else throws, so a policy using an operator this oracle does not know fails the test.
 */
export function snsAccepts(policy: Record<string, unknown> | undefined, attributes: Record<string, SnsStringAttribute>): boolean {
  if (policy === undefined) return true;
  return Object.entries(policy).every(([key, condition]) => {
    if (key === '$or') {
      if (!Array.isArray(condition) || condition.length < 2) throw new Error('"$or" needs at least two policies');
      return condition.some((alternative: unknown) => snsAccepts(record(alternative), attributes));
    }
    if (!Array.isArray(condition) || condition.length === 0) throw new Error(`the condition on ${key} is not a non-empty list`);
    const value = attributes[key]?.StringValue;
    return condition.some((item: unknown) => valueMatches(item, value));
  });
}

function record(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new Error('not an object');
  return value;
}

function valueMatches(item: unknown, value: string | undefined): boolean {
  if (typeof item === 'string') return value === item;
  const operator = record(item);
  const keys = Object.keys(operator);
  if (keys.length !== 1) throw new Error(`one operator per object, got ${keys.join(', ')}`);
  if ('exists' in operator) return operator.exists === true ? value !== undefined : value === undefined;
  if ('prefix' in operator) return value !== undefined && typeof operator.prefix === 'string' && value.startsWith(operator.prefix);
  if ('anything-but' in operator) {
    if (value === undefined) return false;
    const excluded = operator['anything-but'];
    if (Array.isArray(excluded)) return !excluded.includes(value);
    const prefix = record(excluded).prefix;
    if (typeof prefix !== 'string') throw new Error('anything-but takes a list or { prefix }');
    return !value.startsWith(prefix);
  }
  throw new Error(`unknown operator ${keys.join(', ')}`);
}
