import { describe, expect, it } from 'vitest';
import { MAX_FALLBACK_TEXT, MAX_SECTION_TEXT, renderSlack, type SlackMessage } from '../../../lib/render/slack.ts';
import { isSlackMention, mentionWanted, SlackMentionError, withMention } from '../../../lib/render/slack-mention.ts';
import { followUpAlert, hostileAlert, resolvedAlert, sampleAlert } from '../../support/alerts.ts';
import { blocksOf, slackBlocks } from '../../support/slack-message.ts';

describe('withMention', () => {
  it('puts the mention, unescaped, at the start of the text and of the first section', () => {
    const message = renderSlack(sampleAlert());

    const mentioned = withMention(message, '<!subteam^S012AB3CD>');

    expect(mentioned.text).toBe('<!subteam^S012AB3CD> ⚠️ [WARNING] OOM: service orders-api (prod) – container orders-api killed for using too much memory');
    const first = blocksOf(mentioned, 'section')[0]!;
    expect(first.text?.text).toBe(`<!subteam^S012AB3CD> ${blocksOf(message, 'section')[0]!.text?.text}`);
    // Everything else as it was.
    expect(slackBlocks(mentioned).slice(2)).toEqual(slackBlocks(message).slice(2));
    expect(slackBlocks(mentioned)[0]).toEqual(slackBlocks(message)[0]);
    expect(mentioned.attachments[0].color).toBe(message.attachments[0].color);
  });

  it.each(['<@U012AB3CD>', '<@W012AB3CD>', '<!here>', '<!channel>', '<!everyone>', '<!subteam^S012AB3CD>'])('accepts %s', (mention) => {
    expect(isSlackMention(mention)).toBe(true);
    expect(withMention(renderSlack(sampleAlert()), mention).text.startsWith(`${mention} `)).toBe(true);
  });

  it.each(['@oncall', '<@u012ab3cd>', '<!subteam^S012AB3CD|@oncall>', '<https://evil.example|click>', '<!here> <!channel>', '<@U012AB3CD> extra', '', '&lt;!here&gt;'])(
    'refuses %j with a SlackMentionError naming it',
    (mention) => {
      expect(isSlackMention(mention)).toBe(false);
      expect(() => withMention(renderSlack(sampleAlert()), mention)).toThrow(SlackMentionError);
    },
  );

  it('returns the message unchanged when there is no mention', () => {
    const message = renderSlack(sampleAlert());

    expect(withMention(message, null)).toBe(message);
  });

  it('leaves escaped untrusted text escaped: only the mention is live', () => {
    const mentioned = withMention(renderSlack(hostileAlert()), '<!here>');

    const live = JSON.stringify(mentioned).match(/<[!@][^>]*>/gu) ?? [];
    expect(new Set(live)).toEqual(new Set(['<!here>']));
  });

  it('keeps the text and the section within their limits, cutting between whole entities', () => {
    const message: SlackMessage = {
      text: `${'a'.repeat(MAX_FALLBACK_TEXT - 6)}&amp;b`,
      attachments: [{ color: '#000000', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${'x'.repeat(MAX_SECTION_TEXT - 3)}&lt;` } }] }],
    };

    const mentioned = withMention(message, '<!subteam^S012AB3CD>');

    expect(mentioned.text.length).toBeLessThanOrEqual(MAX_FALLBACK_TEXT);
    expect(mentioned.text).toMatch(/^<!subteam\^S012AB3CD> a+…$/u);
    const section = blocksOf(mentioned, 'section')[0]!.text!.text;
    expect(section.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(section).toMatch(/^<!subteam\^S012AB3CD> x+…$/u);
  });

  it('gives the mention a section of its own after the header when the message has no section text', () => {
    const message: SlackMessage = {
      text: 'fallback',
      attachments: [{ color: '#000000', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Title' } }, { type: 'section', fields: [{ type: 'mrkdwn', text: '*A*\nb' }] }] }],
    };

    const mentioned = withMention(message, '<!here>');

    expect(slackBlocks(mentioned)).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Title' } },
      { type: 'section', text: { type: 'mrkdwn', text: '<!here>' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*A*\nb' }] },
    ]);
  });
});

describe('mentionWanted', () => {
  it('mentions on new alerts and repeats, not on follow-ups, resolved notices or deployment notices', () => {
    expect(mentionWanted(sampleAlert())).toBe(true);
    expect(mentionWanted(sampleAlert({ kind: 'repeat' }))).toBe(true);
    expect(mentionWanted(followUpAlert())).toBe(false);
    expect(mentionWanted(resolvedAlert())).toBe(false);
    expect(mentionWanted(sampleAlert({ kind: 'deployment', severity: 'info' }))).toBe(false);
  });
});
