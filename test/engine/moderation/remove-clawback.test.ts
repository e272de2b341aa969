import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, message, reaction, ref } from "../../helpers/events.js";

const ada = member("ada", { isPlatformAdmin: true });
const bob = member("bob");
const carol = member("carol");
const dan = member("dan");

async function points(te: TestEngine, who: string): Promise<number> {
  const row = await te.db.kysely.selectFrom("members").select("points").where("member_id", "=", `discord:g1:${who}`).executeTakeFirst();
  return Number(row?.points ?? 0);
}

describe.each(dialects)("Remove claws back everything the message earned on %s", (dialect) => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine({ dialect });
  });
  afterEach(() => te.close());

  it("GIVEN a post with reactions and a thanks in it, reported and removed with the penalty THEN the author, the thanked member and no one else lose its points, never below 0", async () => {
    await te.ingest(message({ id: "m0", by: dan, at: "2026-11-26T10:00:00Z", text: "Here is how I fixed the build on CI yesterday, step by step." }));
    await te.ingest(message({ id: "m1", by: bob, at: "2026-11-26T11:00:00Z", text: "thanks @dan, that fixed it for me and the rest of the team", mentions: [ref("dan")] }));
    await te.ingest(reaction({ message: "m1", by: carol, at: "2026-11-26T11:01:00Z", emoji: "👍" }));
    await te.ingest(reaction({ message: "m1", by: dan, at: "2026-11-26T11:02:00Z", emoji: "🎉" }));
    const bobBefore = await points(te, "bob");
    const danBefore = await points(te, "dan");
    expect(bobBefore).toBeGreaterThan(5); // the post and two reactions
    expect(danBefore).toBeGreaterThan(5); // his post and the thanks
    await te.ingest(reaction({ message: "m1", by: ada, at: "2026-11-26T11:03:00Z", emoji: "🚩" }));
    const removed = await te.engine.command(command({ name: "mod", subcommand: "remove", by: ada, options: { id: 1, penalise: true } }));
    expect(removed.ephemeral).toBe(true);
    expect(await points(te, "bob")).toBe(0);
    expect(await points(te, "dan")).toBe(5);
    expect(await points(te, "carol")).toBe(0);
  });
});
