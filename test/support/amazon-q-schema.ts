import { Ajv, type ErrorObject } from 'ajv';

/**
 * The custom notification of Amazon Q Developer in chat applications as a JSON Schema, transcribed from AWS's page
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html): `version` "1.0" and `source` "custom"
 * are required, `content` needs its `description` (`textType` is "client-markdown" only; `title`, `nextSteps` and
 * `keywords` are optional), and `metadata` is optional with `threadId`, `summary`, `eventType`, `relatedResources`,
 * `additionalContext` (texts). AWS publishes no machine-readable schema; this one is kept strict (no unknown keys), so
 * a field we invent fails it.
 */
export const AMAZON_Q_CUSTOM_NOTIFICATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'source', 'content'],
  properties: {
    version: { const: '1.0' },
    source: { const: 'custom' },
    id: { type: 'string', minLength: 1 },
    content: {
      type: 'object',
      additionalProperties: false,
      required: ['description'],
      properties: {
        textType: { const: 'client-markdown' },
        title: { type: 'string' },
        description: { type: 'string', minLength: 1 },
        nextSteps: { type: 'array', items: { type: 'string' } },
        keywords: { type: 'array', items: { type: 'string' } },
      },
    },
    metadata: {
      type: 'object',
      additionalProperties: false,
      properties: {
        threadId: { type: 'string' },
        summary: { type: 'string' },
        eventType: { type: 'string' },
        relatedResources: { type: 'array', items: { type: 'string' } },
        additionalContext: { type: 'object', additionalProperties: { type: 'string' } },
        enableCustomActions: { type: 'boolean' },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: true }).compile(AMAZON_Q_CUSTOM_NOTIFICATION_SCHEMA);

/** What is wrong with a notification against the schema: `/content/textType must be equal to constant`; none when valid. */
export function amazonQProblems(notification: unknown): string[] {
  return validate(notification) ? [] : (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
