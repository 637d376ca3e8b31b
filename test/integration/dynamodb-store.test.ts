import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../lib/errors.ts';
import { DynamoDbStore } from '../../lib/store/dynamodb-store.ts';
import { TTL_ATTRIBUTE } from '../../lib/store/table.ts';
import { startDynamoDb, type LocalDynamoDb } from '../support/dynalite.ts';
import { SCOPE, sampleGroup } from '../support/groups.ts';
import { describeStoreContract } from '../support/store-contract.ts';

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
