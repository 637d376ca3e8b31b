import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '../../lib/errors.ts';
import { DynamoDbStore } from '../../lib/store/dynamodb-store.ts';
import { TTL_ATTRIBUTE } from '../../lib/store/table.ts';
import { startDynamoDb, type LocalDynamoDb } from '../support/dynalite.ts';
import { SCOPE, sampleGroup } from '../support/groups.ts';
import { describeStoreContract, sampleStoppedTask } from '../support/store-contract.ts';

const DAY = 86_400;

describe('DynamoDbStore', () => {
  describeStoreContract('against dynalite', async () => {
    const db = await startDynamoDb();
    return { store: new DynamoDbStore(db.documentClient, db.tableName), close: db.close };
  });

  describe('on the table', () => {
    let db: LocalDynamoDb;
    afterEach(async () => {
      await db.close();
    });

    async function stored(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.documentClient.send(new GetCommand({ TableName: db.tableName, Key: { pk, sk } }));
      return Item;
    }

    it('rejects a malformed group key with a StoreError instead of addressing the wrong item', async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName);
      await expect(store.getGroup('oom')).rejects.toThrow(StoreError);
      await expect(store.putGroup({ ...sampleGroup(), key: 'oom' }, null)).rejects.toThrow(StoreError);
    });

    it('sets expiresAt from the event time on event ids and versions, and from updatedAt on groups', async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName, { eventTtlDays: 2, groupTtlDays: 30 });
      const group = sampleGroup({ updatedAt: '2025-03-14T10:00:00Z' });

      await store.rememberEvent('e-1', '2025-03-14T09:26:51Z');
      await store.recordVersion('arn:task', 4, 'e-1', '2025-03-14T09:26:51Z');
      await store.putGroup(group, null);

      const eventTime = Date.parse('2025-03-14T09:26:51Z') / 1000;
      expect((await stored('event#e-1', 'event'))?.[TTL_ATTRIBUTE]).toBe(eventTime + 2 * DAY);
      expect((await stored('version#arn:task', 'version'))?.[TTL_ATTRIBUTE]).toBe(eventTime + 2 * DAY);
      expect((await stored(`scope#${SCOPE}`, `group#${group.key}`))?.[TTL_ATTRIBUTE]).toBe(Date.parse('2025-03-14T10:00:00Z') / 1000 + 30 * DAY);
    });

    it('files a stopped task under its cluster, keyed by time and task, with its fields as attributes and TTL in epoch seconds', async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName);
      const entry = sampleStoppedTask();

      await store.recordStoppedTask(entry, '2025-03-28T09:26:51.000Z');

      expect(await stored('history#prod', `2025-03-14T09:26:51.000Z#${entry.taskArn}`)).toEqual({
        ...entry,
        pk: 'history#prod',
        sk: `2025-03-14T09:26:51.000Z#${entry.taskArn}`,
        [TTL_ATTRIBUTE]: Date.parse('2025-03-28T09:26:51Z') / 1000,
      });
    });

    it('reads the history newest first in pages, and stops reading once the limit is met', async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName, { historyPageSize: 3 });
      for (let index = 0; index < 20; index += 1) {
        const time = new Date(Date.parse('2025-03-14T09:00:00Z') + index * 60_000).toISOString();
        // Only every fourth task is an OOM: a filtered read has to go through several pages to find four.
        await store.recordStoppedTask(sampleStoppedTask({ task: `t${index}`, time, category: index % 4 === 0 ? 'oom' : 'app_error_exit' }), '2025-03-28T00:00:00Z');
      }
      const send = vi.spyOn(db.documentClient, 'send');
      const query = { cluster: 'prod', since: '2025-03-14T00:00:00Z', now: '2025-03-14T12:00:00Z' };

      const ooms = await store.stoppedTasks({ ...query, category: 'oom', limit: 4 });
      const queriesForOoms = send.mock.calls.length;
      send.mockClear();
      const newest = await store.stoppedTasks({ ...query, limit: 2 });

      expect(ooms.map((entry) => entry.taskArn.split('/').pop())).toEqual(['t16', 't12', 't8', 't4']);
      // t16 … t4 lie in the first 17 items, newest first: 6 pages of 3, not all 7.
      expect(queriesForOoms).toBe(6);
      expect(newest.map((entry) => entry.taskArn.split('/').pop())).toEqual(['t19', 't18']);
      expect(send).toHaveBeenCalledTimes(1);
      expect(send.mock.calls[0]?.[0]).toBeInstanceOf(QueryCommand);
      expect((send.mock.calls[0]?.[0] as QueryCommand).input).toMatchObject({ ScanIndexForward: false, Limit: 3, KeyConditionExpression: 'pk = :pk AND sk >= :since' });
    });

    it('rejects an item in a history partition that is not an entry with a StoreError naming it', async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName);
      await db.documentClient.send(new PutCommand({ TableName: db.tableName, Item: { pk: 'history#prod', sk: '2025-03-14T09:00:00.000Z#x', [TTL_ATTRIBUTE]: 4_000_000_000 } }));

      await expect(store.stoppedTasks({ cluster: 'prod', since: '2025-03-14T00:00:00Z' })).rejects.toThrow(
        new StoreError(`Item history#prod / 2025-03-14T09:00:00.000Z#x of table ${db.tableName} is not a stopped-task entry`),
      );
    });

    it('refuses a group whose scope is not the one its key names', async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName);

      await expect(store.putGroup(sampleGroup({ scope: '111122223333|us-west-2|prod|service:billing' }), null)).rejects.toThrow(StoreError);
      expect(await store.groupsInScope('111122223333|us-west-2|prod|service:billing')).toEqual([]);
    });
  });

  describe('when DynamoDB stops answering', () => {
    let db: LocalDynamoDb;
    afterEach(async () => {
      await db.close();
    });

    it('rejects every call with a StoreError carrying the cause, instead of hanging or reporting a conflict', { timeout: 15_000 }, async () => {
      db = await startDynamoDb();
      const store = new DynamoDbStore(db.documentClient, db.tableName);
      await store.putGroup(sampleGroup(), null);

      await db.stop();

      const calls: [string, () => Promise<unknown>][] = [
        ['hasSeenEvent', () => store.hasSeenEvent('e-1')],
        ['rememberEvent', () => store.rememberEvent('e-1', '2025-03-14T09:26:51Z')],
        ['recordVersion', () => store.recordVersion('arn:task', 4, 'e-1', '2025-03-14T09:26:51Z')],
        ['getGroup', () => store.getGroup(`${SCOPE}|oom`)],
        ['putGroup', () => store.putGroup(sampleGroup(), 1)],
        ['groupsInScope', () => store.groupsInScope(SCOPE)],
        ['groupsDue', () => store.groupsDue('2025-03-14T09:40:00Z')],
        ['recordStoppedTask', () => store.recordStoppedTask(sampleStoppedTask(), '2025-03-28T09:26:51Z')],
        ['stoppedTasks', () => store.stoppedTasks({ cluster: 'prod', since: '2025-03-14T00:00:00Z' })],
      ];
      for (const [name, call] of calls) {
        const error: unknown = await call().then(
          () => new Error(`${name} resolved`),
          (rejection: unknown) => rejection,
        );
        expect(error, name).toBeInstanceOf(StoreError);
        expect(error, name).toHaveProperty('cause', expect.any(Error));
        expect(error, name).toHaveProperty('message', expect.stringContaining(`on table ${db.tableName}`));
      }
    });
  });
});
