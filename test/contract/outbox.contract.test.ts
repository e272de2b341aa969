import { startConsoleHarness } from "./console-harness.js";
import { startDiscordHarness } from "./discord-harness.js";
import { outboxContract } from "./outbox-contract.js";
import { startSlackHarness } from "./slack-harness.js";

outboxContract("Discord", startDiscordHarness);
outboxContract("Slack", startSlackHarness);
outboxContract("console", startConsoleHarness);
