import { EventParseError } from '../errors.ts';
import { evaluate, type Evaluated } from '../pipeline/evaluate.ts';
import type { ReplayInput } from './read-inputs.ts';

/** What the replay says of one input: the verdict on an event, or why the input could not be classified. */
export type ReplayResult =
  | { kind: 'verdict'; file: string; origin: string; evaluated: Evaluated }
  | { kind: 'error'; file: string; error: string };

/**
 * Runs each input through the same pipeline as the Lambda handlers, in order. An input that cannot be classified
 * becomes an error result and the replay goes on; any other exception is a bug and is thrown.
 */
export async function* replay(inputs: AsyncIterable<ReplayInput>): AsyncGenerator<ReplayResult> {
  for await (const input of inputs) {
    if (input.kind === 'error') {
      yield input;
      continue;
    }
    try {
      yield { kind: 'verdict', file: input.file, origin: input.origin, evaluated: evaluate(input.value, input.origin) };
    } catch (error) {
      if (!(error instanceof EventParseError)) throw error;
      yield { kind: 'error', file: input.file, error: error.message };
    }
  }
}
