/** `/console`: the console's own commands, and what is different about a terminal community. */
export const CONSOLE_HELP = [
  "Console commands (besides every bot command — try /help):",
  "  /as <name>               speak as another member (created on first use; @name works too)",
  "  /in <#channel>           move to another channel",
  "  /reply <n> <text>        reply in the thread of message #n; /reply <n> /<command> runs a bot",
  "                           command in that thread (e.g. /reply 1 /bounty post 10)",
  "  /react <n> <emoji>       react to message #n (👍, :+1: or thumbsup);  /unreact <n> <emoji> takes it back",
  "  /edit <n> <text>         edit message #n;  /delete <n> deletes it — any console member may",
  "                           delete any message, as a moderator could on a platform",
  "  /use <n> <action>        a message action on message #n, as a platform's message menu",
  "                           (e.g. /use 1 Tip the author)",
  "  /press <n>               press button n of the latest reply",
  "  /submit <text>           fill in the open dialog (field:value for several fields); a refused",
  "                           value leaves it open",
  "  /wait <90s|5m|2h|1d>     move the clock forward, at most 366 days at a time (cooldowns, caps, weeks)",
  "  /quit                    leave",
  "You are @ada, the admin. Level-ups show as ★ lines, where channels.announcements would post them;",
  "with levels.announce off they are noted but not announced.",
].join("\n");

/** The longest single /wait: enough to cross any week, month or year boundary the rules care about. */
export const MAX_WAIT_MS = 366 * 86_400_000;
