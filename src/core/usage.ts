import { type CommandDeclaration, verbsOf } from "./command.js";

/**
 * One-line usage for a command or one of its verbs, in the text syntax Slack and the console accept
 * (`/config set <key> <value>`, `/leaderboard [period] [limit]`). Required options are in <>,
 * optional ones in []; any option may also be given as `name:value`.
 */
export function usageOf(command: CommandDeclaration<unknown>, verbName?: string): string {
  const verbs = verbsOf(command);
  const chosen = verbName === undefined ? verbs : verbs.filter(([name]) => name === verbName);
  return chosen
    .map(([name, verb]) => {
      const parts = [`/${command.name}`];
      if (name) parts.push(name);
      for (const [optionName, def] of Object.entries(verb.options)) {
        const label = def.kind === "choice" && def.choices && def.choices.length <= 4 ? def.choices.join("|") : optionName;
        parts.push(def.required ? `<${label}>` : `[${label}]`);
      }
      return parts.join(" ");
    })
    .join("\n");
}

/**
 * `Usage: …` for the end of an error, with a usage of several lines (every verb of a command)
 * aligned under the first rather than back at the margin.
 */
export function usageBlock(usage: string): string {
  return `Usage: ${usage.split("\n").join("\n       ")}`;
}
