import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The alert store's one DynamoDB table (single-table design), written by `DynamoDbStore`:
 *
 * | item         | pk                       | sk                 | gsi1pk / gsi1sk                         |
 * |--------------|--------------------------|--------------------|-----------------------------------------|
 * | event id     | `event#<eventId>`        | `event`            | –                                       |
 * | version      | `version#<resourceArn>`  | `version`          | –                                       |
 * | alert group  | `scope#<scope>`          | `group#<key>`      | `due` / when its work is due (ISO time) |
 * | stopped task | `history#<cluster name>` | `<time>#<taskArn>` | –                                       |
 *
 * Groups live under their scope so that `groupsInScope` is one strongly consistent Query; the scope is the group key
 * without its last `|category` part (see `groupScope`). `gsi1` is sparse: only groups with work to do carry its keys.
 * Every item has the TTL attribute `expiresAt`.
 *
 * Stopped tasks (lib/history/) outlive ECS's own memory of them (about an hour) for HISTORY_RETENTION_DAYS: one item
 * per STOPPED event, keyed by the cluster name alone (what a person asking knows; account and Region are attributes)
 * and by the ISO time of the event (`2025-03-14T09:26:51.000Z`) then the task ARN, so a time window is a key condition
 * read newest first. Reads of the history filter out items past `expiresAt`, which TTL deletes only later.
 *
 * Used as is by the integration tests (CreateTable against dynalite); `serverless.yml` declares the same table, with
 * `TimeToLiveSpecification: { AttributeName: expiresAt, Enabled: true }` (TTL is not part of CreateTable).
 */
export const ALERT_TABLE = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      // Keys only: an index read is eventually consistent, so the store reads each due group again, consistently.
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
} satisfies Omit<CreateTableCommandInput, 'TableName'>;

/** Name of the sparse index of groups with work due. */
export const DUE_INDEX = 'gsi1';

/** The TTL attribute of every item: epoch seconds after which DynamoDB may delete it. */
export const TTL_ATTRIBUTE = 'expiresAt';
