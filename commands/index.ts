import type { Command } from "../src/engine/commands/context.js";
import config from "./config.js";
import help from "./help.js";
import leaderboard from "./leaderboard.js";
import points from "./points.js";
import thanks from "./thanks.js";

/** Every slash command, declared once; Discord registration and Slack parsing derive from this list. */
export const commands: readonly Command[] = [points, leaderboard, thanks, config, help];
