/**
 * The `rich_text` block Slack attaches to messages typed by humans.
 *
 * Code that reads mentions from blocks (rather than regexing `text`) only works
 * against payloads that carry them, so builders derive a block from the text:
 * `<@U123>` becomes a `user` element, `<#C123|name>` a `channel` element,
 * `<!subteam^S123>` a `usergroup` element, everything else `text`.
 */
import type { types } from '@slack/bolt';
import { slackId } from './ids.js';

type Element = types.RichTextText | types.RichTextUserMention | types.RichTextChannelMention | types.RichTextUsergroupMention;

const TOKEN = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|<#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|[^>]*)?>|<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>/g;

export function richTextBlock(text: string): types.RichTextBlock {
  const elements: Element[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > last) elements.push({ type: 'text', text: text.slice(last, index) });
    const [, user, channel, usergroup] = match;
    if (user !== undefined) elements.push({ type: 'user', user_id: user });
    else if (channel !== undefined) elements.push({ type: 'channel', channel_id: channel });
    else if (usergroup !== undefined) elements.push({ type: 'usergroup', usergroup_id: usergroup });
    last = index + match[0].length;
  }
  if (last < text.length) elements.push({ type: 'text', text: text.slice(last) });
  return {
    type: 'rich_text',
    block_id: slackId('', 5).toLowerCase(),
    elements: [{ type: 'rich_text_section', elements }],
  };
}
