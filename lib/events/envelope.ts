import { list, object, text, type Infer } from './schema.ts';

/** The EventBridge envelope around every event. `detail-type` and `detail` are checked apart, since without them nothing can be classified. */
export const envelopeSchema = object({
  version: text(),
  id: text(),
  source: text(),
  account: text(),
  time: text(),
  region: text(),
  resources: list(text()),
});

export type RawEnvelope = Infer<typeof envelopeSchema>;

/** Envelope fields every EventBridge event has; a missing one is worth a warning, not a rejection. */
export const EXPECTED_ENVELOPE_FIELDS = ['version', 'id', 'source', 'account', 'time', 'region', 'resources'] as const;

export interface Envelope {
  id: string | null;
  detailType: string;
  source: string | null;
  account: string | null;
  time: string | null;
  region: string | null;
  resources: string[];
}
