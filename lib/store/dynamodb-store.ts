import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { workDueAt, type GroupState } from '../alerts/group-state.ts';
import { scopeOfKey } from '../alerts/key.ts';
import { StoreError } from '../errors.ts';
import { readStoppedTaskEntry, type StoppedTaskEntry } from '../history/entry.ts';
import { NewestPerTask, expirySeconds, historyBounds, historySortKey, type StoppedTaskQuery } from '../history/query.ts';
import { MAX_TALLY_MEMBERS, type AlertStore, type StoredGroup, type StoredRecord, type Tally } from './store.ts';
import { DUE_INDEX, TTL_ATTRIBUTE } from './table.ts';

export interface DynamoDbStoreOptions {
  /** Days after the event's time that an event id and a recorded version are kept (default 7). */
  eventTtlDays?: number;
  /** Days after a group's last change that it is kept (default 14). */
  groupTtlDays?: number;
  /**
   * Items read per Query page of the stopped-task history (default 100). Filters (service, category, expiry) apply
   * after DynamoDB reads a page, and reading stops as soon as the limit is met, so a small page keeps a `--limit 20`
   * from reading a megabyte; a large one saves round trips when filters drop most items.
   */
  historyPageSize?: number;
}

const DAY_SECONDS = 86_400;
const EVENT_SK = 'event';
const VERSION_SK = 'version';
const GROUP_SK_PREFIX = 'group#';
const DUE_PK = 'due';
const HISTORY_PK_PREFIX = 'history#';
/** Entry fields a query may filter on, each an attribute of the item. */
const HISTORY_FILTERS = ['account', 'region', 'service', 'category'] as const;
/** The scope a group is stored under; a malformed key is a StoreError, as every other failure of the store. */
function scopeOf(key: string): string {
  try {
    return scopeOfKey(key);
  } catch (error) {
    throw new StoreError(`Alert group key "${key}" has no "|category" part, so the store cannot tell its scope`, { cause: error });
  }
}

/** The due time of a group with an outbox: it sorts before every ISO time, so the group is due whatever `now` is. */
const DUE_NOW = '0000-01-01T00:00:00.000Z';


/**
 * The alert store in AWS: one DynamoDB table (`ALERT_TABLE` in table.ts), single-item conditional writes only.
 *
 * - Groups are stored at `pk = scope#<scope>`, `sk = group#<key>`: `groupsInScope` is one strongly consistent Query
 *   and `getGroup(key)` finds the scope in the key (`scopeOfKey`). The simpler alternative, `pk = group#<key>` plus
 *   a scope index, would make `groupsInScope` eventually consistent and miss a group created a moment before a
 *   resolving event. `putGroup` refuses a state whose `scope` is not the one its key names, so the two cannot drift.
 * - A group with work to do carries the sparse index keys `gsi1pk = due`, `gsi1sk = <when it is due>` (an outbox:
 *   at once; unsent events: at `windowEndsAt`); every write replaces the whole item, so clearing the work drops the
 *   keys. Index reads are eventually consistent, so `groupsDue` reads each group found again, consistently, and keeps
 *   those still due.
 * - Each item has `expiresAt` (epoch seconds) for TTL. DynamoDB deletes expired items late (often days later), and
 *   reads here do not hide expired items: everything stored stays true after its expiry (the event was processed,
 *   that version was seen, the group was in that state); TTL only collects garbage long after any retry of the event
 *   (EventBridge retries for 24 hours at most). Hiding them would also make a create of an expired but present group
 *   fail its `attribute_not_exists` condition forever.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 * - Stopped tasks (the history) are stored at `pk = history#<cluster>`, `sk = <time>#<taskArn>`, the entry's fields
 *   as attributes. The cluster name alone is the partition, because that is what a person asking knows (`npm run
 *   history -- --cluster prod`); the account and Region are attributes to filter on, for a cluster name used in
 *   several accounts or Regions. The time leads the sort key, so `since`/`until` are a key condition and the Query
 *   reads newest first (`ScanIndexForward: false`) only what is in the window; service and category are filter
 *   expressions rather than a per-service partition, so one write per stop serves both the cluster-wide and the
 *   per-service view (a cluster's stops within the retention are few enough to read through). These reads, unlike
 *   the others, hide expired items (`expiresAt > now`): an entry past its retention is no longer history to show.
 * - No transactions: the local emulator, dynalite, does not implement TransactWriteItems (it answers
 *   UnknownOperationException), and every racy write here concerns one item, so a condition on that item suffices.
 *
 * The state is written as plain JSON (undefined values dropped, as `JSON.stringify` does), so any document client
 * works, whatever its `marshallOptions`; nulls, empty arrays and strings are kept. Errors other than a lost condition
 * reject with a `StoreError` carrying the SDK's error as `cause`, so the invocation fails and Lambda retries the event.
 *
 * @example new DynamoDbStore(dynamoDocumentClient(), alertTableName()) // lib/aws/clients/, lib/env.ts
 */
export class DynamoDbStore implements AlertStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly eventTtlDays: number;
  private readonly groupTtlDays: number;
  private readonly historyPageSize: number;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoDbStoreOptions = {}) {
    this.client = client;
    this.tableName = tableName;
    this.eventTtlDays = positive('eventTtlDays', options.eventTtlDays ?? 7);
    this.groupTtlDays = positive('groupTtlDays', options.groupTtlDays ?? 14);
    this.historyPageSize = options.historyPageSize ?? 100;
    if (!Number.isInteger(this.historyPageSize) || this.historyPageSize < 1) throw new RangeError(`DynamoDbStore option historyPageSize must be a whole number of at least 1, got ${this.historyPageSize}`);
  }

  async hasSeenEvent(eventId: string): Promise<boolean> {
    const { Item } = await this.call('GetItem', `event ${eventId}`, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `event#${eventId}`, sk: EVENT_SK }, ConsistentRead: true, ProjectionExpression: 'pk' })),
    );
    return Item !== undefined;
  }

  async rememberEvent(eventId: string, time: string): Promise<void> {
    await this.call('PutItem', `event ${eventId}`, () =>
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: { pk: `event#${eventId}`, sk: EVENT_SK, [TTL_ATTRIBUTE]: expiry(time, this.eventTtlDays) } }),
      ),
    );
  }

  async recordVersion(resource: string, version: number, eventId: string, time: string): Promise<'current' | 'stale'> {
    const written = await this.conditional('UpdateItem', `version of ${resource}`, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `version#${resource}`, sk: VERSION_SK },
          UpdateExpression: 'SET #version = :version, #eventId = :eventId, #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(pk) OR #version < :version OR (#version = :version AND #eventId = :eventId)',
          ExpressionAttributeNames: { '#version': 'version', '#eventId': 'eventId', '#expiresAt': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':version': version, ':eventId': eventId, ':expiresAt': expiry(time, this.eventTtlDays) },
        }),
      ),
    );
    return written ? 'current' : 'stale';
  }

  async getGroup(key: string): Promise<StoredGroup | null> {
    return this.readGroup(`scope#${scopeOf(key)}`, `${GROUP_SK_PREFIX}${key}`);
  }

  async putGroup(state: GroupState, expectedRev: number | null): Promise<boolean> {
    const scope = scopeOf(state.key);
    if (scope !== state.scope) {
      throw new StoreError(`Alert group ${state.key} has scope "${state.scope}", but its key names scope "${scope}"; the store files groups by the scope in their key`);
    }
    const due = dueAt(state);
    const plainState: unknown = JSON.parse(JSON.stringify(state));
    const item = {
      pk: `scope#${scope}`,
      sk: `${GROUP_SK_PREFIX}${state.key}`,
      rev: (expectedRev ?? 0) + 1,
      state: plainState,
      [TTL_ATTRIBUTE]: expiry(state.updatedAt, this.groupTtlDays),
      ...(due === null ? {} : { gsi1pk: DUE_PK, gsi1sk: due }),
    };
    const condition =
      expectedRev === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#rev = :expected', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':expected': expectedRev } };
    return this.conditional('PutItem', `group ${state.key}`, () => this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition })));
  }

  async groupsInScope(scope: string): Promise<StoredGroup[]> {
    const items = await this.query(`groups of scope ${scope}`, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :group)',
      ExpressionAttributeValues: { ':pk': `scope#${scope}`, ':group': GROUP_SK_PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => storedGroup(item, this.tableName));
  }

  async groupsDue(now: string): Promise<StoredGroup[]> {
    const keys = await this.query(`groups due at ${now}`, {
      IndexName: DUE_INDEX,
      KeyConditionExpression: 'gsi1pk = :due AND gsi1sk <= :now',
      ExpressionAttributeValues: { ':due': DUE_PK, ':now': now },
    });
    const groups = await Promise.all(
      keys.map(({ pk, sk }: Record<string, unknown>) => {
        if (typeof pk !== 'string' || typeof sk !== 'string') throw new StoreError(`Index ${DUE_INDEX} of table ${this.tableName} returned an item without string keys`);
        return this.readGroup(pk, sk);
      }),
    );
    return groups.filter((group): group is StoredGroup => group !== null && isDue(group.state, now));
  }

  async getRecord(kind: string, id: string): Promise<StoredRecord | null> {
    const { Item } = await this.call('GetItem', `record ${kind} ${id}`, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `record#${kind}#${id}`, sk: 'record' }, ConsistentRead: true })),
    );
    if (Item === undefined) return null;
    if (typeof Item.rev !== 'number' || !('value' in Item)) throw new StoreError(`Record ${kind} ${id} in table ${this.tableName} has no rev or value`);
    return { value: Item.value, rev: Item.rev };
  }

  async putRecord(kind: string, id: string, value: unknown, expectedRev: number | null, expiresAt: string): Promise<boolean> {
    const item = {
      pk: `record#${kind}#${id}`,
      sk: 'record',
      rev: (expectedRev ?? 0) + 1,
      value: JSON.parse(JSON.stringify(value)) as unknown,
      [TTL_ATTRIBUTE]: Math.floor((Number.isNaN(Date.parse(expiresAt)) ? Date.now() : Date.parse(expiresAt)) / 1000),
    };
    const condition =
      expectedRev === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#rev = :expected', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':expected': expectedRev } };
    return this.conditional('PutItem', `record ${kind} ${id}`, () => this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition })));
  }

  /**
   * One UpdateItem, atomic in DynamoDB: `ADD` the member to a string set, one to the total and one to the category's
   * counter (`c#<category>`), on the condition that the set does not hold the member yet. Concurrent additions are
   * applied one after the other by DynamoDB itself, so none fails; a duplicate fails its condition and counts nothing.
   */
  async addToTally(kind: string, id: string, member: string, category: string, expiresAt: string, first: Record<string, string> = {}, maxMembers = MAX_TALLY_MEMBERS): Promise<Tally | null> {
    const subject = `tally ${kind} ${id}`;
    const firstNames = Object.keys(first).filter((name) => /^[A-Za-z]+$/.test(name));
    const setFirst = firstNames.map((name) => `, #f_${name} = if_not_exists(#f_${name}, :f_${name})`).join('');
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `tally#${kind}#${id}`, sk: 'tally' },
          UpdateExpression: `ADD #members :member, #total :one, #category :one SET #ttl = :ttl${setFirst}`,
          ConditionExpression: 'attribute_not_exists(#members) OR (NOT contains(#members, :id) AND size(#members) < :max)',
          ExpressionAttributeNames: {
            '#members': 'members',
            '#total': 'total',
            '#category': `c#${category}`,
            '#ttl': TTL_ATTRIBUTE,
            ...Object.fromEntries(firstNames.map((name) => [`#f_${name}`, `f#${name}`])),
          },
          ExpressionAttributeValues: {
            ':member': new Set([member]),
            ':id': member,
            ':one': 1,
            ':max': maxMembers,
            ':ttl': epochSeconds(expiresAt),
            ...Object.fromEntries(firstNames.map((name) => [`:f_${name}`, first[name]])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return tallyOf(Attributes ?? {}, subject, this.tableName);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw this.failure('UpdateItem', subject, error);
    }
  }

  async getTally(kind: string, id: string): Promise<Tally | null> {
    const subject = `tally ${kind} ${id}`;
    const { Item } = await this.call('GetItem', subject, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `tally#${kind}#${id}`, sk: 'tally' }, ConsistentRead: true })),
    );
    return Item === undefined ? null : tallyOf(Item, subject, this.tableName);
  }

  /** One PutItem of the whole entry: the same event again writes the same item, so a redelivery changes nothing. */
  async recordStoppedTask(entry: StoppedTaskEntry, expiresAt: string): Promise<void> {
    const item = {
      // The entry's type has no optional fields: nothing undefined for the document client to refuse.
      ...entry,
      pk: `${HISTORY_PK_PREFIX}${entry.cluster}`,
      sk: historySortKey(entry),
      [TTL_ATTRIBUTE]: expirySeconds(expiresAt),
    };
    await this.call('PutItem', `stopped task ${entry.taskArn}`, () => this.client.send(new PutCommand({ TableName: this.tableName, Item: item })));
  }

  async stoppedTasks(query: StoppedTaskQuery): Promise<StoppedTaskEntry[]> {
    const bounds = historyBounds(query);
    const answer = new NewestPerTask(bounds.limit);
    if (bounds.empty) return answer.entries;
    const names: Record<string, string> = { '#expiresAt': TTL_ATTRIBUTE };
    const values: Record<string, unknown> = { ':pk': `${HISTORY_PK_PREFIX}${query.cluster}`, ':since': bounds.since, ':now': bounds.nowSeconds };
    const filters = ['#expiresAt > :now'];
    for (const field of HISTORY_FILTERS) {
      const value = query[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    }
    if (bounds.until !== null) values[':until'] = bounds.until;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      // Every sort key is `<time>#<taskArn>`: it is never equal to `until`, so BETWEEN leaves out what stopped at `until`.
      KeyConditionExpression: bounds.until === null ? 'pk = :pk AND sk >= :since' : 'pk = :pk AND sk BETWEEN :since AND :until',
      FilterExpression: filters.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    };
    const subject = `stopped tasks of cluster ${query.cluster}`;
    try {
      pages: for await (const page of paginateQuery({ client: this.client, pageSize: this.historyPageSize }, input)) {
        for (const item of page.Items ?? []) {
          const entry = readStoppedTaskEntry(item);
          if (entry === null) throw new StoreError(`Item ${String(item['pk'])} / ${String(item['sk'])} of table ${this.tableName} is not a stopped-task entry`);
          if (answer.add(entry)) break pages;
        }
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw this.failure('Query', subject, error);
    }
    return answer.entries;
  }

  private async readGroup(pk: string, sk: string): Promise<StoredGroup | null> {
    const { Item } = await this.call('GetItem', `group ${sk.slice(GROUP_SK_PREFIX.length)}`, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: true })),
    );
    return Item === undefined ? null : storedGroup(Item, this.tableName);
  }

  private async query(subject: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return this.call('Query', subject, async () => {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateQuery({ client: this.client }, { ...input, TableName: this.tableName })) items.push(...(page.Items ?? []));
      return items;
    });
  }

  private async call<T>(operation: string, subject: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.failure(operation, subject, error);
    }
  }

  /** Runs a conditional write: true when written, false when its condition failed (another writer got there first). */
  private async conditional(operation: string, subject: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw this.failure(operation, subject, error);
    }
  }

  private failure(operation: string, subject: string, cause: unknown): StoreError {
    const reason = cause instanceof Error ? `: ${cause.name}: ${cause.message}` : '';
    return new StoreError(`DynamoDB ${operation} on table ${this.tableName} failed for ${subject}${reason}`, { cause });
  }
}

function epochSeconds(time: string): number {
  return Math.floor((Number.isNaN(Date.parse(time)) ? Date.now() : Date.parse(time)) / 1000);
}

/** A tally item as written by addToTally: the member set, the total and a `c#<category>` counter per category. */
function tallyOf(item: Record<string, unknown>, subject: string, tableName: string): Tally {
  const members = item.members;
  if (!(members instanceof Set) || typeof item.total !== 'number') throw new StoreError(`The ${subject} in table ${tableName} has no member set or total`);
  const byCategory: Record<string, number> = {};
  const first: Record<string, string> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith('c#') && typeof value === 'number') byCategory[name.slice(2)] = value;
    if (name.startsWith('f#') && typeof value === 'string') first[name.slice(2)] = value;
  }
  return { total: item.total, byCategory, members: [...members].map(String), first };
}

/** When a group's work is due, or null when it has none (then it is left out of the sparse index). */
function dueAt(state: GroupState): string | null {
  return workDueAt(state, DUE_NOW);
}

/** The same rule as `dueAt`, applied to a group read again after the eventually consistent index said it was due. */
function isDue(state: GroupState, now: string): boolean {
  const due = workDueAt(state, DUE_NOW);
  return due !== null && due <= now;
}

/** Epoch seconds `days` after `time`; from now when `time` is not a date (an event without one), so it still expires. */
function expiry(time: string, days: number): number {
  const parsed = Date.parse(time);
  return Math.floor((Number.isNaN(parsed) ? Date.now() : parsed) / 1000) + days * DAY_SECONDS;
}

function storedGroup(item: Record<string, unknown>, tableName: string): StoredGroup {
  const { state, rev } = item;
  if (typeof rev !== 'number' || !isGroupState(state)) {
    throw new StoreError(`Item ${String(item['pk'])} / ${String(item['sk'])} of table ${tableName} is not a stored alert group`);
  }
  return { state, rev };
}

/** A shallow check of what this store wrote itself: enough to catch an item written by something else. */
function isGroupState(value: unknown): value is GroupState {
  return (
    typeof value === 'object' &&
    value !== null &&
    'key' in value &&
    typeof value.key === 'string' &&
    'outbox' in value &&
    Array.isArray(value.outbox) &&
    'unsent' in value &&
    typeof value.unsent === 'object'
  );
}

function positive(name: string, days: number): number {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`DynamoDbStore option ${name} must be a positive number of days, got ${days}`);
  return days;
}
