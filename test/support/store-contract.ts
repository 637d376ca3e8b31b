import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupState } from '../../lib/alerts/group-state.ts';
import type { StoppedTaskEntry } from '../../lib/history/entry.ts';
import type { AlertStore, StoredGroup } from '../../lib/store/store.ts';
import { sampleAlert } from './alerts.ts';
import { SCOPE, groupWithOutbox, groupWithUnsent, queued, sampleGroup } from './groups.ts';

export interface StoreUnderTest {
  store: AlertStore;
  close(): Promise<void>;
}

const TASK = 'arn:aws:ecs:us-west-2:111122223333:task/prod/77ea7336e48e3a4e63c55244182d37c0';
const EVENT_TIME = '2025-03-14T09:26:51Z';
const NOW = '2025-03-14T09:40:00.000Z';

function keys(groups: StoredGroup[]): string[] {
  return groups.map((group) => group.state.key).sort();
}

/**
 * A stopped task of service orders-api in cluster prod, as `stoppedTaskEntry` writes it (an OOM at 09:26:51.000Z);
 * `overrides` change it shallowly, and each call is a fresh copy. `task` names the task by the end of its ARN.
 */
export function sampleStoppedTask(overrides: Partial<StoppedTaskEntry> & { task?: string } = {}): StoppedTaskEntry {
  const { task = '77ea7336e48e3a4e63c55244182d37c0', ...rest } = overrides;
  return {
    time: '2025-03-14T09:26:51.000Z',
    account: '111122223333',
    region: 'us-west-2',
    cluster: 'prod',
    service: 'orders-api',
    group: 'service:orders-api',
    taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/${task}`,
    taskDefinition: 'orders-api:42',
    category: 'oom',
    severity: 'warning',
    stopCode: 'EssentialContainerExited',
    reason: 'Essential container in task exited',
    containers: [
      { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      { name: 'log-router', exitCode: null, reason: null },
    ],
    deploymentId: 'ecs-svc/9223370526127282714',
    spot: false,
    startedBy: 'ecs-svc/9223370526127282714',
    ...rest,
  };
}

/** Retention of the contract's entries: they expire on 2025-03-28, two weeks after 2025-03-14. */
const KEPT_UNTIL = '2025-03-28T09:26:51.000Z';

function tasks(entries: StoppedTaskEntry[]): string[] {
  return entries.map((entry) => `${entry.time.slice(11, 19)} ${entry.taskArn.slice(entry.taskArn.lastIndexOf('/') + 1)}`);
}

/**
 * The behaviour every `AlertStore` must have, run against each implementation (MemoryStore in the unit suite,
 * DynamoDbStore against dynalite in the integration suite) so that alerting cannot tell them apart. `makeStore`
 * gives a fresh, empty store for each test.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(name, () => {
    let subject: StoreUnderTest;
    let store: AlertStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.close();
    });

    describe('events', () => {
      it('says an event is unseen when it was never remembered', async () => {
        expect(await store.hasSeenEvent('e-1')).toBe(false);
      });

      it('says an event is seen once remembered, and only that event', async () => {
        await store.rememberEvent('e-1', EVENT_TIME);

        expect(await store.hasSeenEvent('e-1')).toBe(true);
        expect(await store.hasSeenEvent('e-2')).toBe(false);
      });

      it('still says an event is seen when its time is long past the expiry', async () => {
        await store.rememberEvent('old', '2019-11-19T19:55:38Z');
        await store.rememberEvent('undated', '');

        expect(await store.hasSeenEvent('old')).toBe(true);
        expect(await store.hasSeenEvent('undated')).toBe(true);
      });
    });

    describe('versions', () => {
      it('accepts the first version of a resource and then newer ones', async () => {
        expect(await store.recordVersion(TASK, 3, 'e-3', EVENT_TIME)).toBe('current');
        expect(await store.recordVersion(TASK, 4, 'e-4', EVENT_TIME)).toBe('current');
      });

      it('says an older version is stale and keeps the newer one', async () => {
        await store.recordVersion(TASK, 4, 'e-4', EVENT_TIME);

        expect(await store.recordVersion(TASK, 3, 'e-3', EVENT_TIME)).toBe('stale');
        expect(await store.recordVersion(TASK, 4, 'e-4', EVENT_TIME)).toBe('current');
      });

      it('accepts the same version again when the same event is retried', async () => {
        await store.recordVersion(TASK, 4, 'e-4', EVENT_TIME);

        expect(await store.recordVersion(TASK, 4, 'e-4', EVENT_TIME)).toBe('current');
      });

      it('says the same version is stale when another event recorded it', async () => {
        await store.recordVersion(TASK, 4, 'e-4', EVENT_TIME);

        expect(await store.recordVersion(TASK, 4, 'e-other', EVENT_TIME)).toBe('stale');
      });

      it('keeps the versions of different resources apart', async () => {
        await store.recordVersion(TASK, 9, 'e-9', EVENT_TIME);

        expect(await store.recordVersion(`${TASK}0`, 1, 'e-1', EVENT_TIME)).toBe('current');
      });
    });

    describe('groups', () => {
      it('returns null for a group never written', async () => {
        expect(await store.getGroup(`${SCOPE}|oom`)).toBeNull();
      });

      it('creates a group at revision 1 when none exists', async () => {
        const state = sampleGroup();

        expect(await store.putGroup(state, null)).toBe(true);
        expect(await store.getGroup(state.key)).toEqual({ state, rev: 1 });
      });

      it('refuses to create a group that already exists and keeps the first', async () => {
        const first = sampleGroup();
        await store.putGroup(first, null);

        expect(await store.putGroup(sampleGroup({ status: 'resolved' }), null)).toBe(false);
        expect(await store.getGroup(first.key)).toEqual({ state: first, rev: 1 });
      });

      it('updates a group when the expected revision is current and bumps it', async () => {
        await store.putGroup(sampleGroup(), null);
        const resolved = sampleGroup({ status: 'resolved', updatedAt: '2025-03-14T10:02:00Z' });

        expect(await store.putGroup(resolved, 1)).toBe(true);
        expect(await store.getGroup(resolved.key)).toEqual({ state: resolved, rev: 2 });
      });

      it('refuses an update with a stale revision and keeps the newer state', async () => {
        await store.putGroup(sampleGroup(), null);
        const newer = sampleGroup({ lastAlertAt: '2025-03-14T09:50:00Z' });
        await store.putGroup(newer, 1);

        expect(await store.putGroup(sampleGroup({ status: 'resolved' }), 1)).toBe(false);
        expect(await store.getGroup(newer.key)).toEqual({ state: newer, rev: 2 });
      });

      it('refuses an update of a group that does not exist', async () => {
        const state = sampleGroup();

        expect(await store.putGroup(state, 1)).toBe(false);
        expect(await store.getGroup(state.key)).toBeNull();
      });

      it('lets exactly one of two concurrent creates win', async () => {
        const a = sampleGroup({ recentEventIds: ['a'] });
        const b = sampleGroup({ recentEventIds: ['b'] });

        const results = await Promise.all([store.putGroup(a, null), store.putGroup(b, null)]);

        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.getGroup(a.key)).toEqual({ state: results[0] ? a : b, rev: 1 });
      });

      it('lets exactly one of two concurrent updates from the same revision win', async () => {
        await store.putGroup(sampleGroup(), null);
        const a = sampleGroup({ recentEventIds: ['a'] });
        const b = sampleGroup({ recentEventIds: ['b'] });

        const results = await Promise.all([store.putGroup(a, 1), store.putGroup(b, 1)]);

        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.getGroup(a.key)).toEqual({ state: results[0] ? a : b, rev: 2 });
      });

      it('gives back a full group state with a nested alert exactly as written', async () => {
        const key = `${SCOPE}|app_error_exit`;
        const latest = sampleAlert({
          key,
          kind: 'follow-up',
          category: 'app_error_exit',
          title: 'Ошибка: service orders-api – 容器 exited 1 ✗ 🚨',
          summary: 'Exit «1» — مرحبا\u200f, tab\tand newline\nkept; quotes " and \\ too.',
          links: { task: null, service: null, docs: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html' },
          group: { count: 3, ids: ['a', 'b', 'c'], firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:29:05Z', windowMinutes: 5 },
          enriched: false,
        });
        latest.facts.containers.push({ name: 'sidecar', essential: null, exitCode: null, exitMeaning: null, reason: '', logsUrl: null });
        const state: GroupState = {
          ...groupWithUnsent(key, '2025-03-14T09:31:51Z'),
          latest,
          outbox: [queued(latest), queued(sampleAlert({ key, kind: 'repeat', spot: true, facts: { ...latest.facts, containers: [] } }), '2025-03-14T09:31:52.123Z')],
          recentEventIds: Array.from({ length: 50 }, (_, i) => `event-${i}`),
        };

        await store.putGroup(state, null);

        expect(await store.getGroup(key)).toEqual({ state, rev: 1 });
        const [inScope] = await store.groupsInScope(SCOPE);
        expect(inScope).toEqual({ state, rev: 1 });
      });

      it('gives back a copy: changing a state read changes nothing stored', async () => {
        const state = sampleGroup();
        await store.putGroup(state, null);

        const read = await store.getGroup(state.key);
        read!.state.outbox.push(queued(sampleAlert()));
        read!.state.latest.facts.containers = [];

        expect(await store.getGroup(state.key)).toEqual({ state, rev: 1 });
      });
    });

    describe('groupsInScope', () => {
      it('returns the groups of that scope only', async () => {
        await store.putGroup(sampleGroup({ key: `${SCOPE}|oom` }), null);
        await store.putGroup(sampleGroup({ key: `${SCOPE}|app_error_exit` }), null);
        await store.putGroup(sampleGroup({ key: '111122223333|us-west-2|prod|service:orders|oom' }), null);
        await store.putGroup(sampleGroup({ key: '111122223333|us-west-2|prod|service:orders-api-worker|oom' }), null);
        await store.putGroup(sampleGroup({ key: '111122223333|eu-west-1|prod|service:orders-api|oom' }), null);

        const groups = await store.groupsInScope(SCOPE);

        expect(keys(groups)).toEqual([`${SCOPE}|app_error_exit`, `${SCOPE}|oom`]);
        expect(groups.every((group) => group.rev === 1)).toBe(true);
      });

      it('returns nothing for a scope without groups', async () => {
        await store.putGroup(sampleGroup(), null);

        expect(await store.groupsInScope('111122223333|us-west-2|prod|service:billing')).toEqual([]);
      });
    });

    describe('groupsDue', () => {
      it('returns groups with an outbox and groups whose window ended with unsent events', async () => {
        await store.putGroup(groupWithOutbox(`${SCOPE}|oom`), null);
        await store.putGroup(groupWithUnsent(`${SCOPE}|app_error_exit`, '2025-03-14T09:31:51Z'), null);
        await store.putGroup(groupWithUnsent(`${SCOPE}|elb_health_check_failed`, NOW), null);

        expect(keys(await store.groupsDue(NOW))).toEqual([`${SCOPE}|app_error_exit`, `${SCOPE}|elb_health_check_failed`, `${SCOPE}|oom`]);
      });

      it('returns a firing group with a held-back update once the update is due, and not before', async () => {
        const key = `${SCOPE}|deployment:ecs-svc/1`;
        const pendingUpdate = { message: sampleAlert({ key, kind: 'follow-up' }), dueAt: NOW };
        await store.putGroup({ ...sampleGroup({ key, windowEndsAt: '2025-03-14T09:20:00Z' }), pendingUpdate }, null);

        expect(await store.groupsDue('2025-03-14T09:31:00Z')).toEqual([]);
        expect(keys(await store.groupsDue(NOW))).toEqual([key]);
      });

      it('returns a group with an outbox even before its window ends', async () => {
        await store.putGroup(groupWithOutbox(`${SCOPE}|oom`), null);

        expect(keys(await store.groupsDue('2025-03-14T09:26:52Z'))).toEqual([`${SCOPE}|oom`]);
      });

      it('leaves out groups whose window has not ended and groups with nothing to tell', async () => {
        await store.putGroup(groupWithUnsent(`${SCOPE}|app_error_exit`, '2025-03-14T09:45:00Z'), null);
        await store.putGroup(sampleGroup({ key: `${SCOPE}|oom`, windowEndsAt: '2025-03-14T09:31:51Z' }), null);

        expect(await store.groupsDue(NOW)).toEqual([]);
      });

      it('stops returning a group once its outbox is published and its unsent events told', async () => {
        const key = `${SCOPE}|oom`;
        await store.putGroup({ ...groupWithUnsent(key, '2025-03-14T09:31:51Z'), outbox: [queued(sampleAlert({ key }))] }, null);
        expect(keys(await store.groupsDue(NOW))).toEqual([key]);

        await store.putGroup({ ...groupWithUnsent(key, '2025-03-14T09:31:51Z'), outbox: [] }, 1);
        expect(keys(await store.groupsDue(NOW))).toEqual([key]);

        await store.putGroup(sampleGroup({ key, updatedAt: NOW }), 2);
        expect(await store.groupsDue(NOW)).toEqual([]);
      });

      it('returns the group with its current revision', async () => {
        const key = `${SCOPE}|oom`;
        await store.putGroup(groupWithOutbox(key), null);
        const republished = groupWithOutbox(key);
        republished.outbox.push(queued(sampleAlert({ key, kind: 'repeat' })));
        await store.putGroup(republished, 1);

        expect(await store.groupsDue(NOW)).toEqual([{ state: republished, rev: 2 }]);
      });
    });

    describe('records', () => {
      it('keeps a tracker record with its revision, and refuses a write from a stale revision', async () => {
        expect(await store.getRecord('deployments', SCOPE)).toBeNull();
        expect(await store.putRecord('deployments', SCOPE, { deployments: [{ id: 'ecs-svc/1', failures: { oom: 1 }, note: null }] }, null, NOW)).toBe(true);
        expect(await store.putRecord('deployments', SCOPE, { deployments: [] }, null, NOW)).toBe(false);
        const stored = await store.getRecord('deployments', SCOPE);
        expect(stored).toEqual({ value: { deployments: [{ id: 'ecs-svc/1', failures: { oom: 1 }, note: null }] }, rev: 1 });
        expect(await store.putRecord('deployments', SCOPE, { deployments: [] }, 1, NOW)).toBe(true);
        expect(await store.putRecord('deployments', SCOPE, { deployments: ['late'] }, 1, NOW)).toBe(false);
        expect(await store.getRecord('deployments', SCOPE)).toEqual({ value: { deployments: [] }, rev: 2 });
      });

      it('counts each member of a tally once, by category, however many add at once', async () => {
        const members = Array.from({ length: 40 }, (_, index) => `task-${index}`);
        const added = await Promise.all(
          [...members, ...members.slice(0, 10)].map((member, index) => store.addToTally('deployment-failures', SCOPE, member, index % 4 === 0 ? 'image_pull_failed' : 'out_of_memory', NOW, { taskDefinition: `web:${index}` })),
        );
        expect(added.filter((tally) => tally === null)).toHaveLength(10);
        expect(added.map((tally) => tally?.total).filter((total) => total !== undefined).sort((a, b) => a - b)).toEqual(members.map((_, index) => index + 1));
        const tally = await store.getTally('deployment-failures', SCOPE);
        expect({ ...tally, members: [...(tally?.members ?? [])].sort(), first: {} }).toEqual({ total: 40, byCategory: { image_pull_failed: 10, out_of_memory: 30 }, members: [...members].sort(), first: {} });
        // The first addition's value stays, whichever of the concurrent ones it was.
        expect(tally?.first.taskDefinition).toMatch(/^web:\d+$/);
        const firstTotal = added.find((candidate) => candidate?.total === 1);
        expect(tally?.first).toEqual(firstTotal?.first);
        expect(await store.getTally('deployment-failures', `${SCOPE}-other`)).toBeNull();
      });

      it('stops counting a tally at its cap: an addition past it counts nothing, as a duplicate does', async () => {
        const added = [];
        for (const member of ['a', 'b', 'c', 'd']) added.push(await store.addToTally('deployment-failures', `${SCOPE}-capped`, member, 'out_of_memory', NOW, {}, 3));
        expect(added.map((tally) => tally?.total ?? null)).toEqual([1, 2, 3, null]);
        expect((await store.getTally('deployment-failures', `${SCOPE}-capped`))?.members.sort()).toEqual(['a', 'b', 'c']);
      });

      it('keeps records of different kinds and ids apart', async () => {
        await store.putRecord('failures', SCOPE, { n: 1 }, null, NOW);
        await store.putRecord('failures', `${SCOPE}-other`, { n: 2 }, null, NOW);
        expect((await store.getRecord('failures', SCOPE))?.value).toEqual({ n: 1 });
        expect(await store.getRecord('spot', SCOPE)).toBeNull();
      });
    });

    describe('stopped-task history', () => {
      const query = { cluster: 'prod', since: '2025-03-14T00:00:00Z', now: NOW };

      async function record(...entries: StoppedTaskEntry[]): Promise<void> {
        for (const entry of entries) await store.recordStoppedTask(entry, KEPT_UNTIL);
      }

      it('returns nothing for a cluster without history', async () => {
        await record(sampleStoppedTask());

        expect(await store.stoppedTasks({ ...query, cluster: 'staging' })).toEqual([]);
        // Names that share a prefix are other clusters.
        expect(await store.stoppedTasks({ ...query, cluster: 'pro' })).toEqual([]);
        expect(await store.stoppedTasks({ ...query, cluster: 'prod-eu' })).toEqual([]);
      });

      it('gives an entry back exactly as recorded, nulls, containers and any text included', async () => {
        const entry = sampleStoppedTask({
          service: null,
          group: 'family:nightly-report',
          reason: 'Ошибка «1» — 容器 ✗ 🚨 <b>"quoted" & \\ back</b>\ttab',
          containers: [{ name: 'job', exitCode: 1, reason: '' }],
          deploymentId: null,
          stopCode: null,
          startedBy: null,
          spot: true,
        });
        await record(entry);

        expect(await store.stoppedTasks(query)).toEqual([entry]);
      });

      it("returns a cluster's stopped tasks newest first, standalone tasks among them", async () => {
        await record(
          sampleStoppedTask({ task: 'a', time: '2025-03-14T09:00:00.000Z' }),
          sampleStoppedTask({ task: 'c', time: '2025-03-14T09:30:00.000Z', service: null, group: 'family:nightly' }),
          sampleStoppedTask({ task: 'b', time: '2025-03-14T09:15:00.000Z', service: 'billing' }),
          sampleStoppedTask({ task: 'd', time: '2025-03-14T09:20:00.000Z', cluster: 'staging' }),
        );

        expect(tasks(await store.stoppedTasks(query))).toEqual(['09:30:00 c', '09:15:00 b', '09:00:00 a']);
      });

      it('orders tasks that stopped at the same time by task ARN, newest-first order reversed', async () => {
        await record(sampleStoppedTask({ task: 'a' }), sampleStoppedTask({ task: 'b' }));

        expect(tasks(await store.stoppedTasks(query))).toEqual(['09:26:51 b', '09:26:51 a']);
      });

      it('keeps tasks from `since` on and before `until`, whatever the ISO spelling of the bounds', async () => {
        await record(
          sampleStoppedTask({ task: 'before', time: '2025-03-14T08:59:59.999Z' }),
          sampleStoppedTask({ task: 'since', time: '2025-03-14T09:00:00.000Z' }),
          sampleStoppedTask({ task: 'inside', time: '2025-03-14T09:30:00.000Z' }),
          sampleStoppedTask({ task: 'until', time: '2025-03-14T10:00:00.000Z' }),
        );

        expect(tasks(await store.stoppedTasks({ ...query, since: '2025-03-14T09:00:00Z', until: '2025-03-14T10:00:00Z' }))).toEqual(['09:30:00 inside', '09:00:00 since']);
        expect(tasks(await store.stoppedTasks({ ...query, since: '2025-03-14T11:00:00+02:00' }))).toEqual(['10:00:00 until', '09:30:00 inside', '09:00:00 since']);
        expect(await store.stoppedTasks({ ...query, since: '2025-03-14T10:00:00Z', until: '2025-03-14T10:00:00Z' })).toEqual([]);
        expect(await store.stoppedTasks({ ...query, since: '2025-03-14T11:00:00Z', until: '2025-03-14T10:00:00Z' })).toEqual([]);
      });

      it('filters by service, category, account and Region', async () => {
        await record(
          sampleStoppedTask({ task: 'oom-orders', time: '2025-03-14T09:00:00.000Z' }),
          sampleStoppedTask({ task: 'exit-orders', time: '2025-03-14T09:01:00.000Z', category: 'app_error_exit' }),
          sampleStoppedTask({ task: 'oom-billing', time: '2025-03-14T09:02:00.000Z', service: 'billing' }),
          sampleStoppedTask({ task: 'oom-other-account', time: '2025-03-14T09:03:00.000Z', account: '444455556666' }),
          sampleStoppedTask({ task: 'oom-other-region', time: '2025-03-14T09:04:00.000Z', region: 'eu-west-1' }),
          sampleStoppedTask({ task: 'standalone', time: '2025-03-14T09:05:00.000Z', service: null }),
        );

        expect(tasks(await store.stoppedTasks({ ...query, service: 'orders-api' }))).toEqual(['09:04:00 oom-other-region', '09:03:00 oom-other-account', '09:01:00 exit-orders', '09:00:00 oom-orders']);
        expect(tasks(await store.stoppedTasks({ ...query, service: 'orders-api', category: 'oom' }))).toEqual(['09:04:00 oom-other-region', '09:03:00 oom-other-account', '09:00:00 oom-orders']);
        expect(tasks(await store.stoppedTasks({ ...query, category: 'app_error_exit' }))).toEqual(['09:01:00 exit-orders']);
        expect(tasks(await store.stoppedTasks({ ...query, account: '444455556666' }))).toEqual(['09:03:00 oom-other-account']);
        expect(tasks(await store.stoppedTasks({ ...query, region: 'eu-west-1' }))).toEqual(['09:04:00 oom-other-region']);
        expect(await store.stoppedTasks({ ...query, service: 'orders' })).toEqual([]);
      });

      it('writes a redelivered event once: the same entry recorded again is still one task', async () => {
        await record(sampleStoppedTask(), sampleStoppedTask());
        await Promise.all([store.recordStoppedTask(sampleStoppedTask(), KEPT_UNTIL), store.recordStoppedTask(sampleStoppedTask(), KEPT_UNTIL)]);

        expect(await store.stoppedTasks(query)).toEqual([sampleStoppedTask()]);
      });

      it('lists a task once, as its newest entry says, when ECS sent more than one STOPPED event for it', async () => {
        await record(
          sampleStoppedTask({ task: 'a', time: '2025-03-14T09:26:51.000Z', category: 'unknown_stop', containers: [] }),
          sampleStoppedTask({ task: 'a', time: '2025-03-14T09:26:58.000Z' }),
          sampleStoppedTask({ task: 'b', time: '2025-03-14T09:26:55.000Z' }),
        );

        const entries = await store.stoppedTasks(query);

        expect(tasks(entries)).toEqual(['09:26:58 a', '09:26:55 b']);
        expect(entries[0]?.category).toBe('oom');
      });

      it('returns at most `limit` tasks, the newest', async () => {
        for (let minute = 0; minute < 7; minute += 1) await record(sampleStoppedTask({ task: `t${minute}`, time: `2025-03-14T09:0${minute}:00.000Z` }));
        await record(sampleStoppedTask({ task: 't6', time: '2025-03-14T09:05:30.000Z' }));

        expect(tasks(await store.stoppedTasks({ ...query, limit: 3 }))).toEqual(['09:06:00 t6', '09:05:00 t5', '09:04:00 t4']);
        expect(tasks(await store.stoppedTasks({ ...query, limit: 2, category: 'oom', service: 'orders-api' }))).toEqual(['09:06:00 t6', '09:05:00 t5']);
        expect(await store.stoppedTasks({ ...query, limit: 100 })).toHaveLength(7);
      });

      it('leaves out entries past their expiry, though they may still be stored (TTL deletes late)', async () => {
        await store.recordStoppedTask(sampleStoppedTask({ task: 'short', time: '2025-03-14T09:00:00.000Z' }), '2025-03-14T10:00:00.000Z');
        await store.recordStoppedTask(sampleStoppedTask({ task: 'long', time: '2025-03-14T09:01:00.000Z' }), KEPT_UNTIL);

        expect(tasks(await store.stoppedTasks({ ...query, now: '2025-03-14T09:59:59Z' }))).toEqual(['09:01:00 long', '09:00:00 short']);
        expect(tasks(await store.stoppedTasks({ ...query, now: '2025-03-14T10:00:00Z' }))).toEqual(['09:01:00 long']);
        expect(await store.stoppedTasks({ ...query, now: '2025-03-28T09:26:51Z' })).toEqual([]);
      });

      it('rejects a query whose times or limit are malformed, and an entry whose expiry is not a time', async () => {
        await expect(store.stoppedTasks({ ...query, since: 'yesterday' })).rejects.toThrow(RangeError);
        await expect(store.stoppedTasks({ ...query, until: '' })).rejects.toThrow(RangeError);
        await expect(store.stoppedTasks({ ...query, limit: 0 })).rejects.toThrow(RangeError);
        await expect(store.stoppedTasks({ ...query, limit: 2.5 })).rejects.toThrow(RangeError);
        await expect(store.recordStoppedTask(sampleStoppedTask(), 'never')).rejects.toThrow(RangeError);
        expect(await store.stoppedTasks(query)).toEqual([]);
      });

      it('gives back copies: changing an entry read changes nothing stored', async () => {
        await record(sampleStoppedTask());

        const [read] = await store.stoppedTasks(query);
        read!.containers.push({ name: 'x', exitCode: 1, reason: null });
        read!.reason = 'changed';

        expect(await store.stoppedTasks(query)).toEqual([sampleStoppedTask()]);
      });
    });
  });
}
