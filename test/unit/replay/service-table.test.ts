import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import type { Outcome } from '../../../lib/alerts/grouping.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { ServiceReport } from '../../../lib/replay/service-report.ts';
import { cut, renderServiceTable, TABLE_WIDTH } from '../../../lib/replay/service-table.ts';
import { painter } from '../../../lib/replay/terminal-text.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

function add(report: ServiceReport, path: string, outcome: Outcome, messages: Alert[] = [], detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): void {
  const event = { ...loadFixture(path), ...envelope };
  event.detail = { ...detailOf(event), ...detail };
  const decision: AlertDecision = { alertKey: 'key', outcome, messages };
  report.add({ kind: 'verdict', file: path, origin: path, evaluated: evaluate(event, path) }, decision);
}

const INFO: Outcome = { outcome: 'suppressed', suppressedBecause: 'info' };
const plain = painter(false);

/** A crash-looping service, a deployment that completed, a Spot instance, and two services with only info events. */
function smallReplay(): ServiceReport {
  const report = new ServiceReport();
  add(report, 'task/stopped-oom.json', { outcome: 'alert' }, [sampleAlert()]);
  add(report, 'task/stopped-oom.json', { outcome: 'grouped' }, [], { taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f' }, { id: 'second' });
  report.addFlushed([sampleAlert({ kind: 'follow-up' })]);
  add(report, 'task/stopped-oom.json', { outcome: 'resolved' }, [sampleAlert({ kind: 'resolved', status: 'resolved' })], {}, { id: 'third' });
  add(report, 'deployment/in-progress.json', INFO);
  add(report, 'deployment/completed.json', { outcome: 'resolved' });
  add(report, 'ec2/spot-interruption-warning.json', { outcome: 'alert' });
  add(report, 'task/lifecycle-running.json', INFO);
  add(report, 'task/lifecycle-pending.json', INFO);
  return report;
}

describe('renderServiceTable', () => {
  it('prints one row per service that alerted, was deployed or was sent messages, then counts the others', () => {
    expect(renderServiceTable(smallReplay(), plain)).toBe(
      [
        'service              events      deployments     failures  spot        crash loops  messages',
        'default/servicetest  2           1: 1 completed  -         -           -            -',
        'prod/orders-api      3 (3 warn)  -               oom×2     -           -            3 (1 new, 1 follow-up, 1 resolved)',
        '(account)            1 (1 warn)  -               -         1 instance  -            -',
        '2 other services/clusters with only info events',
      ].join('\n'),
    );
  });

  it('cuts long cells with … so that no line is wider than TABLE_WIDTH columns', () => {
    const report = smallReplay();
    add(report, 'task/spot-warning-running.json', { outcome: 'alert' });
    const name = `a-service-with-a-rather-long-name-${'that-goes-on-and-'.repeat(6)}on`;
    add(report, 'task/stopped-image-pull-access-denied-2024.json', { outcome: 'alert' }, [], { group: `service:${name}` });
    add(report, 'task/stopped-oom.json', { outcome: 'alert' }, [], { group: `service:${name}`, clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/billing' }, { region: 'us-east-1', id: 'oom-2' });

    const lines = renderServiceTable(report, plain).split('\n');
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(lines.find((line) => line.startsWith('billing/'))).toMatch(/^billing\/a-service-\S*… {2}2 \(2 warn\) {2}- +image_pull_failure×1, oom×1 {2}/);
  });

  it('colours a service by its worst severity and dims empty cells on a terminal', () => {
    const table = renderServiceTable(smallReplay(), painter(true));
    expect(table).toContain('\u001b[1;33mprod/orders-api    \u001b[0m  3 (3 warn)');
    expect(table).toContain('\u001b[2m-');
  });

  it('prints nothing when nothing was replayed', () => {
    expect(renderServiceTable(new ServiceReport(), plain)).toBe('');
  });
});

describe('cut', () => {
  it('cuts a list after its last whole item when that keeps most of it, otherwise mid-word', () => {
    expect(cut('2: 1 completed, 1 rolled back', 29)).toBe('2: 1 completed, 1 rolled back');
    expect(cut('2: 1 completed, 1 rolled back', 20)).toBe('2: 1 completed, …');
    expect(cut('image_pull_failure×3, oom×1', 16)).toBe('image_pull_fail…');
  });
});
