import { verbsOf } from "../src/core/command.js";
import { usageOf } from "../src/core/usage.js";
import { command } from "../src/engine/commands/context.js";
import { hasAccess } from "../src/engine/permissions.js";

/** `/help`: the commands the asker may run, with their usage. */
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
      footer: "Earn points by posting (+5), replying in threads (+2), receiving reactions (+1) and thanks (+10).",
      ephemeral: true,
    };
  },
});
