import { list, object, text, type Infer } from './schema.ts';

export const HEALTH_EVENT = 'AWS Health Event';

/** Fargate task retirement notice. */
export const TASK_PATCHING_RETIREMENT = 'AWS_ECS_TASK_PATCHING_RETIREMENT';

/** Health times are RFC 1123 strings ("Wed, 05 Apr 2023 12:00:00 GMT"), not ISO 8601. */
export const healthDetailSchema = object({
  eventArn: text(),
  service: text(),
  eventTypeCode: text(),
  eventTypeCategory: text(),
  eventScopeCode: text(),
  communicationId: text(),
  startTime: text(),
  endTime: text(),
  lastUpdatedTime: text(),
  eventRegion: text(),
  statusCode: text(),
  affectedAccount: text(),
  eventDescription: list(object({ language: text(), latestDescription: text() })),
  affectedEntities: list(object({ entityValue: text(), lastUpdatedTime: text(), statusCode: text() })),
});

export type HealthDetail = Infer<typeof healthDetailSchema>;
