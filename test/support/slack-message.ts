import type { Block, SlackMessage } from '../../lib/render/slack.ts';

export function slackBlocks(message: SlackMessage): Block[] {
  return message.attachments[0].blocks;
}

export function blocksOf<T extends Block['type']>(message: SlackMessage, type: T): Extract<Block, { type: T }>[] {
  return slackBlocks(message).filter((block): block is Extract<Block, { type: T }> => block.type === type);
}

/** Every text people see in a Slack message: fallback, header, sections, fields, context, button labels. */
export function slackTexts(message: SlackMessage): string[] {
  return [
    message.text,
    ...slackBlocks(message).flatMap((block) => {
      switch (block.type) {
        case 'header':
          return [block.text.text];
        case 'section':
          return [...(block.text === undefined ? [] : [block.text.text]), ...(block.fields ?? []).map((field) => field.text)];
        case 'context':
          return block.elements.map((element) => element.text);
        case 'actions':
          return block.elements.map((element) => element.text.text);
      }
    }),
  ];
}
