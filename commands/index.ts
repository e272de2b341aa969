import type { Command, MessageAction } from "../src/engine/commands/context.js";
import ask from "./ask.js";
import badges from "./badges.js";
import bounty from "./bounty.js";
import config from "./config.js";
import digest from "./digest.js";
import feedback from "./feedback.js";
import forgetMe from "./forget-me.js";
import help from "./help.js";
import leaderboard from "./leaderboard.js";
import link from "./link.js";
import markSolution from "./mark-solution.js";
import mod from "./mod.js";
import points from "./points.js";
import privacy from "./privacy.js";
import talk from "./talk.js";
import report from "./report.js";
import review from "./review.js";
import stats from "./stats.js";
import sponsor from "./sponsor.js";
import shop from "./shop.js";
import solved from "./solved.js";
import reportMessage from "./report-message.js";
import thankAuthor from "./thank-author.js";
import thanks from "./thanks.js";
import tip from "./tip.js";
import tipAuthor from "./tip-author.js";
import unlink from "./unlink.js";
import wallet from "./wallet.js";

/** Every slash command, declared once; Discord registration, Slack parsing and the manifest derive from this list. */
export const commands: readonly Command[] = [points, leaderboard, thanks, report, mod, config, help, talk, sponsor, digest, badges, stats, wallet, tip, bounty, shop, solved, ask, review, link, unlink, feedback, privacy, forgetMe];

/** Every message action (Discord's message menu, Slack's message shortcuts), declared once. */
export const messageActions: readonly MessageAction[] = [thankAuthor, reportMessage, tipAuthor, markSolution];
