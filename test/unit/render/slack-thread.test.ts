import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { renderSlack, SLACK_COLORS } from '../../../lib/render/slack.ts';
import { advanceThreadRoot, renderThreadRoot, threadRootOf } from '../../../lib/render/slack-thread.ts';
import { followUpAlert, hostileAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';
import { messageProblems } from '../../support/slack-api.ts';
import { blocksOf, slackBlocks, slackTexts } from '../../support/slack-message.ts';

const SINCE = '2025-03-14T09:26:51Z';

function firing<T extends Alert>(alert: T, events: number): T {
  return { ...alert, firing: { since: SINCE, events } };
}

describe('renderThreadRoot', () => {
  it('shows a firing story: title, state line, then the alert without its header, in the severity colour', () => {
    const alert = firing(sampleAlert(), 1);

    const root = renderThreadRoot(alert, threadRootOf(alert));

    expect(root.text).toBe('⚠️ [FIRING] OOM: service orders-api (prod) – container orders-api killed for using too much memory · 1 event since 2025-03-14 09:26:51 UTC');
    expect(root.attachments[0].color).toBe(SLACK_COLORS.warning);
    expect(slackBlocks(root)[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '⚠️ OOM: service orders-api (prod) – container orders-api killed for using too much memory', emoji: true },
    });
    expect(slackBlocks(root)[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Firing since 2025-03-14 09:26:51 UTC · 1 event so far · last update 2025-03-14 09:26:51 UTC (first alert) · every update in the thread',
      },
    });
    expect(slackBlocks(root).slice(2)).toEqual(slackBlocks(renderSlack(alert)).slice(1));
  });

  it('shows the story resolved, in green, with its totals, once the resolved notice is folded in', () => {
    const opened = firing(sampleAlert(), 1);
    const notice = firing(resolvedAlert(), 8);

    const state = advanceThreadRoot(advanceThreadRoot(threadRootOf(opened), firing(followUpAlert(), 8)), notice);
    const root = renderThreadRoot(notice, state);

    expect(root.attachments[0].color).toBe(SLACK_COLORS.resolved);
    expect(blocksOf(root, 'header')[0]!.text.text).toBe('✅ Resolved: OOM: service orders-api (prod) – container orders-api killed for using too much memory');
    expect(blocksOf(root, 'section')[0]!.text!.text).toBe(
      'Resolved at 2025-03-14 10:01:40 UTC · fired since 2025-03-14 09:26:51 UTC · 8 events in all · every update in the thread',
    );
    expect(root.text).toBe('✅ [RESOLVED] OOM: service orders-api (prod) – container orders-api killed for using too much memory · resolved at 2025-03-14 10:01:40 UTC, 8 events in all');
  });

  it('escapes a hostile title and stays within the Block Kit limits', () => {
    const alert = firing(hostileAlert({ title: `<!channel> ${'&'.repeat(300)}` }), 3);

    const root = renderThreadRoot(alert, threadRootOf(alert));

    expect(messageProblems({ ...root })).toEqual([]);
    for (const text of slackTexts(root)) expect(text).not.toMatch(/<!channel>|<@U024BE7LH>/u);
    expect(blocksOf(root, 'header')[0]!.text.text.startsWith('⚠️ &lt;!channel&gt; &amp;&amp;')).toBe(true);
  });
});

describe('advanceThreadRoot', () => {
  it('gives the same root whichever order the messages of a story arrive in', () => {
    const start = threadRootOf(firing(sampleAlert(), 1));
    const followUp = firing(followUpAlert(), 8);
    const notice = firing(resolvedAlert(), 8);

    expect(advanceThreadRoot(advanceThreadRoot(start, notice), followUp)).toEqual(advanceThreadRoot(advanceThreadRoot(start, followUp), notice));
  });

  it('takes the title of a late new alert over that of the follow-up that opened the thread', () => {
    const openedByFollowUp = threadRootOf(firing(followUpAlert(), 8));

    const root = advanceThreadRoot(openedByFollowUp, firing(sampleAlert(), 1));

    expect(root).toMatchObject({ title: sampleAlert().title, titledByNew: true, events: 8, lastUpdate: '2025-03-14T09:31:51Z', lastKind: 'follow-up' });
  });

  it('keeps the highest severity and the earliest since', () => {
    const root = advanceThreadRoot(threadRootOf(firing(sampleAlert(), 1)), { ...firing(followUpAlert({ severity: 'critical' }), 2), firing: { since: '2025-03-14T09:00:00Z', events: 2 } });

    expect(root).toMatchObject({ severity: 'critical', since: '2025-03-14T09:00:00Z' });
  });
});
