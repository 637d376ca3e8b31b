import { describe, expect, it } from 'vitest';
import type { AlertDecision } from '../../../lib/pipeline/decide.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import type { Outcome } from '../../../lib/alerts/grouping.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { CONTENT_SECURITY_POLICY, escapeHtml, renderHtmlReport } from '../../../lib/replay/html-report.ts';
import { ServiceReport } from '../../../lib/replay/service-report.ts';
import { sampleAlert } from '../../support/alerts.ts';
import { taskEvent } from '../../support/events.ts';
import { detailOf, loadFixture } from '../../support/fixtures.ts';

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(1)>"'&`;
const HOSTILE_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;';

function add(report: ServiceReport, event: Record<string, unknown>, outcome: Outcome, messages: Alert[] = []): void {
  const decision: AlertDecision = { alertKey: 'key', outcome, messages };
  report.add({ kind: 'verdict', file: 'e.jsonl', origin: 'e.jsonl:1', evaluated: evaluate(event, 'e.jsonl:1') }, decision);
}

function fixture(path: string, detail: Record<string, unknown> = {}): Record<string, unknown> {
  const event = loadFixture(path);
  event.detail = { ...detailOf(event), ...detail };
  return event;
}

/** A crash loop resolved, a deployment, a standalone task with only info events. */
function sampleReport(): ServiceReport {
  const report = new ServiceReport();
  add(report, fixture('task/stopped-oom.json'), { outcome: 'alert' }, [sampleAlert()]);
  add(report, fixture('deployment/in-progress.json'), { outcome: 'suppressed', suppressedBecause: 'info' });
  add(report, fixture('deployment/completed.json'), { outcome: 'resolved' });
  add(report, fixture('task/lifecycle-running.json'), { outcome: 'suppressed', suppressedBecause: 'info' });
  report.addFlushed([sampleAlert({ kind: 'resolved', status: 'resolved', title: 'Resolved: OOM', time: '2025-03-14T09:40:00Z' })]);
  return report;
}

const INPUTS = { inputs: ['events/'], files: 4, errors: 0 };

/** Every tag name and attribute name in the page (attribute values are always double-quoted). */
function markupOf(page: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const [, name = '', rest = ''] of page.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    tags.add(name.toLowerCase());
    for (const [, attribute = ''] of rest.matchAll(/\s([a-zA-Z-]+)(?:="[^"]*")?/g)) attributes.add(attribute.toLowerCase());
  }
  return { tags, attributes };
}

describe('renderHtmlReport', () => {
  it('writes one page with the inputs and counts, the service table, and a timeline per service', () => {
    const page = renderHtmlReport(sampleReport(), INPUTS);

    expect(page).toMatch(/^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"/);
    expect(page).toContain('<title>ECS replay report</title>');
    expect(page).toContain('<p>Inputs: <code>events/</code></p>');
    expect(page).toContain('4 events from 4 files: <span class="count-critical">0 critical</span>, <span class="count-warning">1 warning</span>, 3 info, 0 errors · 2020-01-23 17:57:58Z to 2025-03-14 09:26:51Z');
    expect(page).toContain('2 messages sent: 1 new alert, 0 follow-ups, 0 repeats, <span class="count-resolved">1 resolved</span>');
    // The table: the two services with something to say, linked to their sections; the standalone task apart.
    expect(page).toContain('<tr class="group"><th colspan="7">111122223333 · us-west-2</th></tr>');
    expect(page.match(/<tr>\n<td class="nowrap"><span class="dot sev-\w+"><\/span> <a href="#service-\d">[^<]+<\/a><\/td>/g)).toEqual([
      '<tr>\n<td class="nowrap"><span class="dot sev-info"></span> <a href="#service-1">default/servicetest</a></td>',
      '<tr>\n<td class="nowrap"><span class="dot sev-warning"></span> <a href="#service-2">prod/orders-api</a></td>',
    ]);
    expect(page).toContain('<td>1: 1 completed</td>');
    expect(page).toContain('<td class="nowrap">1 (1 warn)</td>');
    expect(page).toContain('<td>2 (1 new, 1 resolved)</td>');
    expect(page).toContain('<summary>1 other service/cluster with only info events</summary>');
    expect(page).toContain('<li>cluster FargateCluster (no service): 1 info event</li>');
    // The sections: the deployment with its time to complete, the timeline with a day heading, events and messages.
    expect(page).toContain('<section class="service" id="service-2">');
    expect(page).toContain('<td class="mono">ecs-svc/2470143911854296015</td><td><time>2020-05-23 12:31:14</time></td><td class="outcome-completed">completed</td><td>8 min 36 s</td>');
    expect(page).toContain('<li class="day">2025-03-14</li>');
    expect(page).toContain(
      '<li class="entry event sev-warning warning">\n<div class="line"><time datetime="2025-03-14T09:26:51Z">09:26:51</time><span class="badge">warning</span><span class="category">oom</span><span class="mono">task 77ea7336</span><span class="outcome">alert</span></div>\n<div class="summary">STOPPED · EssentialContainerExited · Essential container in task exited</div>',
    );
    expect(page).toContain('<li class="entry message sev-warning resolved">\n<div class="line"><time datetime="2025-03-14T09:40:00Z">09:40:00</time><span class="badge">resolved</span><span class="title">Resolved: OOM</span>');
    const orders = page.slice(page.indexOf('id="service-2"'));
    expect(orders.indexOf('09:26:51</time><span class="badge">warning')).toBeLessThan(orders.indexOf('09:40:00</time>'));
  });

  it('escapes every text from events, so a stopped reason or a name cannot add markup or script', () => {
    const report = new ServiceReport();
    const hostile = taskEvent({ stopCode: 'EssentialContainerExited', stoppedReason: HOSTILE, group: `service:${HOSTILE}` }, [{ name: HOSTILE, exitCode: 1, reason: HOSTILE }]);
    add(report, hostile, { outcome: 'alert' }, [sampleAlert({ title: HOSTILE, key: HOSTILE })]);
    const page = renderHtmlReport(report, { inputs: [HOSTILE], files: 1, errors: 0 });

    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain(`<code>${HOSTILE_ESCAPED}</code>`);
    expect(page).toContain(`<a href="#service-1">prod/${HOSTILE_ESCAPED}</a>`);
    expect(page).toContain(`<h2><span class="dot sev-warning"></span>prod/${HOSTILE_ESCAPED}</h2>`);
    expect(page).toContain(`<div class="summary">STOPPED · EssentialContainerExited · ${HOSTILE_ESCAPED}</div>`);
    expect(page).toContain(`<span class="title">${HOSTILE_ESCAPED}</span>`);
    const { tags, attributes } = markupOf(page);
    expect([...tags].sort()).toEqual(
      ['a', 'body', 'code', 'dd', 'details', 'div', 'dl', 'dt', 'footer', 'h1', 'h2', 'h3', 'head', 'header', 'html', 'li', 'main', 'meta', 'ol', 'p', 'section', 'span', 'style', 'summary', 'table', 'tbody', 'td', 'th', 'thead', 'time', 'title', 'tr', 'ul'].filter((tag) => tags.has(tag)),
    );
    expect([...attributes].sort()).toEqual(['charset', 'class', 'colspan', 'content', 'datetime', 'href', 'http-equiv', 'id', 'lang', 'name', 'rel'].filter((name) => attributes.has(name)));
  });

  it('makes text inert and escapes the five HTML characters', () => {
    expect(escapeHtml(`a\u001b[2J\n<b>"x" & 'y'</b>`)).toBe('a\\u001b[2J &lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;');
  });

  it('loads nothing: a strict Content Security Policy, no external resources, https console links as plain links only', () => {
    const report = sampleReport();
    const page = renderHtmlReport(report, INPUTS);

    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;">`);
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
    expect(page).not.toMatch(/<(script|link|img|iframe|object|embed|svg|video|audio|source|form)\b/i);
    expect(page).not.toMatch(/\ssrc=|url\(|@import|@font-face/i);
    const urls = [...page.matchAll(/https?:\/\/[^"<\s]*/g)];
    expect(urls.map(([url]) => url)).toEqual(['https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/prod/services/orders-api/health?region=us-west-2']);
    for (const url of urls) expect(page.slice((url.index ?? 0) - 9, url.index)).toBe('<a href="');
  });

  it('links only https console pages', () => {
    const report = new ServiceReport();
    add(report, fixture('task/stopped-oom.json'), { outcome: 'alert' }, [sampleAlert({ links: { ...sampleAlert().links, service: 'javascript:alert(1)' } })]);
    const page = renderHtmlReport(report, INPUTS);

    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('ECS console');
  });
});
