import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../lib/pipeline/decide.ts';
import { stoppedTaskEntry, type StoppedTaskEntry } from '../../../lib/history/entry.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MAX_STOPPED_TASK_ROWS, renderHtmlReport } from '../../../lib/replay/html-report.ts';
import { ServiceReport } from '../../../lib/replay/service-report.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { loadFixture } from '../../support/fixtures.ts';
import { sampleStoppedTask } from '../../support/store-contract.ts';

// The replay's HTML page lists each service's stopped tasks from the history (issue 12): what ECS forgets after an hour.

const INPUTS = { inputs: ['events/'], files: 2, errors: 0 };
const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(1)>"'&`;
const HOSTILE_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;';

function report(): ServiceReport {
  const result = new ServiceReport();
  const decision: AlertDecision = { alertKey: 'key', outcome: { outcome: 'alert' }, messages: [sampleAlert()] };
  result.add({ kind: 'verdict', file: 'e.json', origin: 'e.json', evaluated: evaluate(loadFixture('task/stopped-oom.json'), 'e.json') }, decision);
  result.add({ kind: 'verdict', file: 'f.json', origin: 'f.json', evaluated: evaluate(loadFixture('deployment/completed.json'), 'f.json') }, { alertKey: 'k', outcome: { outcome: 'resolved' }, messages: [] });
  return result;
}

/** The section of the service `prod/orders-api`. */
function ordersSection(page: string): string {
  const start = page.indexOf('<h2><span class="dot sev-warning"></span>prod/orders-api</h2>');
  return page.slice(start, page.indexOf('</section>', start));
}

const OOM = stoppedTaskEntry(evaluate(loadFixture('task/stopped-oom.json'), 'oom').verdict)!;

describe('renderHtmlReport with stopped-task history', () => {
  it("lists a service's stopped tasks in its own section, newest first, before its timeline", () => {
    const earlier = sampleStoppedTask({ task: '668907325845bef3136ec2da66db18c7', time: '2025-03-13T22:10:02.000Z', category: 'app_error_exit', containers: [{ name: 'orders-api', exitCode: 1, reason: null }], spot: true });
    const otherService = sampleStoppedTask({ task: 'ffff', service: 'billing', reason: 'billing stopped' });
    const page = renderHtmlReport(report(), { ...INPUTS, history: [earlier, OOM, otherService] });
    const section = ordersSection(page);

    expect(section).toContain(
      '<h3>Stopped tasks (UTC)</h3>\n<table class="stopped"><thead><tr><th>stopped</th><th>task</th><th>task definition</th><th>category</th><th>exit codes</th><th>reason</th></tr></thead>\n<tbody>\n' +
        '<tr class="sev-warning"><td class="nowrap"><time datetime="2025-03-14T09:26:51.000Z">2025-03-14 09:26:51</time></td><td class="mono">77ea7336e48e3a4e63c55244182d37c0</td><td class="mono">orders-api:212</td><td class="nowrap"><span class="dot sev-warning"></span> <span class="category">oom</span></td><td class="mono">orders-api=137 envoy=143</td><td class="summary">Essential container in task exited · orders-api: OutOfMemoryError: Container killed due to memory usage</td></tr>\n' +
        '<tr class="sev-warning"><td class="nowrap"><time datetime="2025-03-13T22:10:02.000Z">2025-03-13 22:10:02</time></td><td class="mono">668907325845bef3136ec2da66db18c7</td><td class="mono">orders-api:42</td><td class="nowrap"><span class="dot sev-warning"></span> <span class="category">app_error_exit</span> (spot)</td><td class="mono">orders-api=1</td><td class="summary">Essential container in task exited</td></tr>\n' +
        '</tbody></table>\n<h3>Timeline (UTC)</h3>',
    );
    expect(page).not.toContain('billing stopped');
    expect(page.match(/<h3>Stopped tasks/g)).toHaveLength(1);
  });

  it('escapes every text from the history, so a reason or a name cannot add markup', () => {
    const name = '<b onclick="x">w</b>';
    const hostile = sampleStoppedTask({ reason: HOSTILE, taskDefinition: HOSTILE, containers: [{ name, exitCode: 1, reason: HOSTILE }], taskArn: `arn:aws:ecs:us-west-2:111122223333:task/prod/x${HOSTILE}` });
    const page = renderHtmlReport(report(), { ...INPUTS, history: [hostile] });
    const section = ordersSection(page);

    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b ');
    const escapedName = '&lt;b onclick=&quot;x&quot;&gt;w&lt;/b&gt;';
    expect(section).toContain(`<td class="mono">${escapedName}=1</td><td class="summary">${HOSTILE_ESCAPED} · ${escapedName}: ${HOSTILE_ESCAPED}</td>`);
    // The task id is the ARN's last path segment: here what follows the `/` inside the hostile text.
    expect(section).toContain('<td class="mono">script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;</td>');
    expect(section).toContain(`<td class="mono">${HOSTILE_ESCAPED}</td>`);
  });

  it(`shows at most ${MAX_STOPPED_TASK_ROWS} stopped tasks per service and counts the rest`, () => {
    const many: StoppedTaskEntry[] = Array.from({ length: MAX_STOPPED_TASK_ROWS + 5 }, (_, index) => sampleStoppedTask({ task: `t${index}`, time: new Date(Date.parse('2025-03-14T00:00:00Z') + index * 60_000).toISOString() }));
    const section = ordersSection(renderHtmlReport(report(), { ...INPUTS, history: many }));

    expect(section.match(/<tr class="sev-/g)).toHaveLength(MAX_STOPPED_TASK_ROWS);
    expect(section).toContain('<td class="mono">t104</td>');
    expect(section).not.toContain('<td class="mono">t4</td>');
    expect(section).toContain('</tbody></table>\n<p class="where">5 older stopped tasks not shown.</p>\n<h3>Timeline (UTC)</h3>');
  });

  it('writes the same page as before when there is no history', () => {
    const without = renderHtmlReport(report(), INPUTS);

    expect(renderHtmlReport(report(), { ...INPUTS, history: [] })).toBe(without);
    expect(without).not.toContain('Stopped tasks');
  });
});
