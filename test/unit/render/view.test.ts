import { describe, expect, it } from 'vitest';
import { MAX_GROUP_IDS } from '../../../lib/alerts/alert.ts';
import { containerViews, factViews, linkViews, safeUrl } from '../../../lib/render/view.ts';
import { followUpAlert, sampleAlert } from '../../support/alerts.ts';

describe('factViews', () => {
  it('lists the facts of the sample alert in reading order', () => {
    expect(factViews(sampleAlert()).map((row) => `${row.label}: ${row.lines.join(', ')}`)).toEqual([
      'Account: 111122223333',
      'Region: us-west-2',
      'Cluster: prod',
      'Service: orders-api',
      'Task: 77ea7336e48e3a4e63c55244182d37c0',
      'Task definition: orders-api:212',
      'Deployment: ecs-svc/9571171551795520066',
      'Stop code: EssentialContainerExited',
      'Reason: Essential container in task exited',
      'Time: 2025-03-14 09:26:51 UTC',
    ]);
  });

  it('leaves out null, empty and blank facts', () => {
    const alert = sampleAlert();
    alert.facts = { ...alert.facts, account: null, region: '', cluster: '  ', reason: null };

    expect(factViews(alert).map((row) => row.key)).toEqual(['service', 'task', 'taskDefinition', 'deployment', 'stopCode', 'time']);
  });

  it('adds instance and Spot facts when the alert has them', () => {
    const alert = sampleAlert({ spot: true });
    alert.facts = { ...alert.facts, containerInstanceArn: 'arn:aws:ecs:us-west-2:111122223333:container-instance/prod/abc', ec2InstanceId: 'i-0123' };

    expect(factViews(alert).filter((row) => ['containerInstance', 'ec2Instance', 'capacity'].includes(row.key))).toEqual([
      { key: 'containerInstance', label: 'Container instance', lines: ['arn:aws:ecs:us-west-2:111122223333:container-instance/prod/abc'] },
      { key: 'ec2Instance', label: 'EC2 instance', lines: ['i-0123'] },
      { key: 'capacity', label: 'Capacity', lines: ['Spot'] },
    ]);
  });

  it('lists at most 10 task ids, then how many more the group counted', () => {
    const ids = Array.from({ length: MAX_GROUP_IDS }, (_, index) => index.toString(16).padStart(32, '0'));
    const alert = followUpAlert({ group: { count: 45, ids, firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:31:40Z', windowMinutes: 5 } });

    const tasks = factViews(alert).find((row) => row.key === 'tasks');

    expect(tasks?.lines).toHaveLength(11);
    expect(tasks?.lines.slice(0, 10)).toEqual(ids.slice(0, 10));
    expect(tasks?.lines.at(-1)).toBe('+35 more');
  });

  it('says nothing more when the group counted no more than it shows, and never a negative count', () => {
    const ids = ['0'.repeat(32), '1'.repeat(32), '2'.repeat(32)];
    const lines = (count: number) => factViews(followUpAlert({ group: { count, ids, firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:31:40Z', windowMinutes: 5 } })).find((row) => row.key === 'tasks')?.lines;
    expect(lines(3)).toEqual(ids);
    expect(lines(2)).toEqual(ids);
    expect(lines(4)?.at(-1)).toBe('+1 more');
  });

  it('labels ids that are not task ids as resources', () => {
    const alert = followUpAlert({ group: { count: 2, ids: ['i-0123', 'i-0456'], firstTime: '2025-03-14T09:26:51Z', lastTime: '2025-03-14T09:31:40Z', windowMinutes: 5 } });

    expect(factViews(alert).find((row) => row.key === 'tasks')).toEqual({ key: 'tasks', label: 'Resources', lines: ['i-0123', 'i-0456'] });
  });
});

describe('containerViews', () => {
  it('says no exit code when a container has none, and counts a container with a reason as failed', () => {
    const alert = sampleAlert();
    alert.facts.containers = [{ name: 'app', essential: null, exitCode: null, exitMeaning: null, reason: 'CannotPullContainerError', logsUrl: null }];

    expect(containerViews(alert)).toEqual([
      { name: 'app', heading: 'app', outcome: 'no exit code', reason: 'CannotPullContainerError', failed: true, logsUrl: null, image: null, memory: null, logLines: [], logsMissing: null },
    ]);
  });
});

describe('linkViews', () => {
  it('lists task, service, each container with logs, then docs', () => {
    expect(linkViews(sampleAlert()).map((link) => link.label)).toEqual(['Task', 'Service', 'Logs (orders-api)', 'Docs']);
  });
});

describe('safeUrl', () => {
  it('accepts a plain https URL', () => {
    expect(safeUrl('https://example.com/a?b=c&d=e#f')).toBe('https://example.com/a?b=c&d=e#f');
  });

  it('refuses other schemes and characters that end a link in Slack or Markdown', () => {
    for (const url of ['http://example.com', 'javascript:alert(1)', 'https://a.example/x y', 'https://a.example/x|y', 'https://a.example/<x>', 'https://a.example/\u202e', null]) {
      expect(safeUrl(url)).toBeNull();
    }
  });
});
