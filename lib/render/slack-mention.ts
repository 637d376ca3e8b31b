import type { Alert } from '../alerts/alert.ts';
import { ELLIPSIS } from './text.ts';
import { MAX_BLOCKS, MAX_FALLBACK_TEXT, MAX_SECTION_TEXT, type Block, type SlackMessage } from './slack.ts';

/**
 * Mentions in Slack's own syntax, as configured per severity: a user group `<!subteam^S012AB3CD>`, a user
 * `<@U012AB3CD>` (or `<@W…>` on Enterprise Grid), or a special mention `<!here>`, `<!channel>`, `<!everyone>`.
 * https://docs.slack.dev/messaging/formatting-message-text (mentioning users, groups, special mentions)
 *
 * Only this syntax notifies: a plain `@oncall` is text. The ids are upper-case letters and digits; nothing else is
 * accepted, so a mention can never carry a link or a second mention.
 */
const MENTION = /^<(?:@[UW][A-Z0-9]{2,20}|!subteam\^S[A-Z0-9]{2,20}|!here|!channel|!everyone)>$/u;

/** A configured mention that is not in Slack's syntax; the value is named (a mention is no secret). */
export class SlackMentionError extends Error {
  override readonly name = 'SlackMentionError';
}

/**
 * Whether `text` is one mention in Slack's syntax (see MENTION above); for validating configuration at cold start.
 *
 * @example isSlackMention('<!subteam^S012AB3CD>') // true
 * @example isSlackMention('@oncall') // false
 */
export function isSlackMention(text: string): boolean {
  return MENTION.test(text);
}

/**
 * Whether a message of this alert should mention people: the first message of an alert (`new`) and the reminder that
 * it still fires (`repeat`). A follow-up lands minutes after the `new` that already called people in, so mentioning
 * again only trains them to ignore mentions; a resolved notice asks nothing of anyone, and a deployment notice is
 * news, not a page.
 */
export function mentionWanted(alert: Alert): boolean {
  return alert.kind === 'new' || alert.kind === 'repeat';
}

/**
 * The message with `mention` at the start of its top-level `text` and of its first section, so that it notifies:
 * Slack notifies on the top-level text (it is what a phone shows), and the mention in the first section is what people
 * see at the top of the message. The mention goes in as it is, never escaped (escaping is what turns it into inert
 * text); one that is not in Slack's syntax throws a `SlackMentionError`. `null` returns the message unchanged.
 *
 * Texts stay within their limits: the rest of the text is cut, between whole entities, to make room.
 *
 * @example withMention(renderSlack(alert), '<!subteam^S012AB3CD>').text // '<!subteam^S012AB3CD> ⚠️ [WARNING] OOM: …'
 */
export function withMention(message: SlackMessage, mention: string | null): SlackMessage {
  if (mention === null) return message;
  if (!isSlackMention(mention)) {
    throw new SlackMentionError(`not a Slack mention: ${JSON.stringify(mention.slice(0, 100))} (expected <@U…>, <!subteam^S…>, <!here>, <!channel> or <!everyone>)`);
  }
  const [attachment] = message.attachments;
  const blocks: Block[] = [...attachment.blocks];
  const first = blocks.findIndex((block) => block.type === 'section' && block.text !== undefined);
  const section = blocks[first];
  if (section !== undefined && section.type === 'section' && section.text !== undefined) {
    blocks[first] = { ...section, text: { ...section.text, text: prefixed(mention, section.text.text, MAX_SECTION_TEXT) } };
  } else {
    // No section with text to lead with: the mention gets one of its own, after the header.
    const at = blocks[0]?.type === 'header' ? 1 : 0;
    blocks.splice(at, 0, { type: 'section', text: { type: 'mrkdwn', text: mention } });
  }
  return {
    ...message,
    text: prefixed(mention, message.text, MAX_FALLBACK_TEXT),
    attachments: [{ ...attachment, blocks: blocks.slice(0, MAX_BLOCKS) }],
  };
}

/**
 * `mention text`, at most `max` code units: the text (already escaped for Slack) is cut so that no entity (`&amp;`)
 * or surrogate pair is split.
 */
function prefixed(mention: string, text: string, max: number): string {
  const whole = text === '' ? mention : `${mention} ${text}`;
  if (whole.length <= max) return whole;
  let cut = whole.slice(0, Math.max(mention.length, max - ELLIPSIS.length));
  cut = cut.replace(/&[a-z]*$/u, '').replace(/[\ud800-\udbff]$/u, '');
  return `${cut.trimEnd()}${ELLIPSIS}`;
}
