import { verbsOf } from "../src/core/command.js";
import { usageOf } from "../src/core/usage.js";
import { command } from "../src/engine/commands/context.js";
import type { Settings } from "../src/engine/communities/settings.js";
import { hasAccess } from "../src/engine/permissions.js";

/** `/help`: the commands the asker may run, with their usage, and what earns points here. */
export default command({
  name: "help",
  description: "List the commands you can use",
  access: "member",
  options: {},
  run(ctx) {
    const lines: string[] = [];
    for (const c of ctx.catalog) {
      for (const [verbName, verb] of verbsOf(c)) {
        if (!hasAccess(ctx.actor, verb.access ?? c.access, ctx.community.settings)) continue;
        lines.push(`${usageOf(c, verbName)} — ${verb.description}`);
      }
    }
    return {
      title: "guildkeeper commands",
      text: lines.join("\n"),
      footer: howToEarn(ctx.community.settings.points),
      ephemeral: true,
    };
  },
});

/** This community's rules, not the defaults: an admin may have changed any of them. */
function howToEarn(rules: Settings["points"]): string {
  const ways = [
    { what: "posting", points: rules.post },
    { what: "replying in threads", points: rules.reply },
    { what: "receiving reactions", points: rules.reactionReceived },
    { what: "being thanked", points: rules.thanksReceived },
  ].filter((w) => w.points > 0);
  if (ways.length === 0 || rules.dailyCap === 0) return "Nothing earns points in this community at the moment.";
  const list = ways.map((w) => `${w.what} (+${w.points})`);
  const joined = list.length === 1 ? list[0]! : `${list.slice(0, -1).join(", ")} and ${list.at(-1)!}`;
  return `Earn points by ${joined}, up to ${rules.dailyCap} a day.`;
}
