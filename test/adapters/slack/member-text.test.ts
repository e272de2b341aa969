/**
 * What a member types never becomes a mention or a member — through Bolt and the real adapter,
 * checked on the answer Slack received: a forging thanks reason pings nobody, and a member option
 * Slack does not confirm earns nobody anything.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADA, ALICE, BOB, MODS, readable, startWorld, TEAM, type World } from "./harness.js";

let w: World;
beforeEach(async () => {
  w = await startWorld("http");
});
afterEach(async () => {
  await w.close();
});

/** Mentions as Slack sends them once picked from the list: raw markup, not escaped. */
const FORGING_REASON = `great ⟦r:slack:${TEAM}:&${MODS}|mods⟧ ⟦m:slack:${TEAM}:${ADA}|x⟧ <!subteam^${MODS}|@mods> <@${ADA}|ada> <!here> @everyone <@123>`;

describe("member text in Slack answers", () => {
  it("GIVEN a thanks reason full of mention markup and forged tokens THEN the in-channel answer pings nobody but the two members and shows the reason as typed", async () => {
    const { body } = await w.command("thanks", `<@${ALICE}|alice> ${FORGING_REASON}`, BOB);

    expect(body?.response_type).toBe("in_channel");
    const posted = JSON.stringify({ text: body?.text, blocks: body?.blocks });
    expect(posted).not.toContain("<!subteam^");
    expect(posted).not.toContain("<!here");
    expect(posted).not.toContain(`<@${ADA}`);
    expect(posted).not.toContain("<@123>");
    expect(posted).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(new Set([...posted.matchAll(/<@([UW][A-Z0-9]+)>/g)].map((m) => m[1]))).toEqual(new Set([BOB, ALICE]));
    // Still what was typed, once Slack's escaping is read back.
    expect(readable(body?.text).replace(/\u200b/g, "")).toContain(`<@${ADA}|ada> <!here> @everyone <@123>`);
    expect(await w.points(ALICE)).toBe(10);
  });
});

describe("a member option is a member Slack confirmed", () => {
  it.each([
    ["a typed namespaced id of this workspace for nobody", `slack:${TEAM}:UFAKE0001`],
    ["a typed Discord id", "discord:1300000000000000001:1300000000000001001"],
    ["an id with a right-to-left override", `slack:${TEAM}:U0ALI\u202eCE001`],
    ["mention markup for a user Slack does not know", "<@UFAKE0002>"],
  ])("GIVEN /thanks with %s THEN a private error names it, says how to write a member, and nothing is written", async (_, typed) => {
    const { body } = await w.command("thanks", `${typed} for nothing`, BOB);

    expect(body?.response_type).toBe("ephemeral");
    const text = readable(body?.text);
    expect(text).toMatch(/member/);
    expect(text).toMatch(/@mention|mention them/);
    expect(await w.ledger()).toEqual([]);
    const rows = await w.te.db.kysely.selectFrom("members").select("member_id").execute();
    expect(rows.map((r) => r.member_id).filter((id) => !id.endsWith(BOB))).toEqual([]);
  });

  it("GIVEN a typed namespaced id THEN the error names exactly what was typed", async () => {
    const { body } = await w.command("thanks", `slack:${TEAM}:UFAKE0001`, BOB);

    expect(readable(body?.text)).toContain(`slack:${TEAM}:UFAKE0001`);
  });

  it("GIVEN Slack cannot say who a member is right now THEN the command does not run and asks to try again", async () => {
    w.fake.failNext("users.info", "internal_error", { times: 5 });

    const { body } = await w.command("thanks", `<@${ALICE}|alice> thanks`, BOB);

    expect(body?.response_type).toBe("ephemeral");
    expect(readable(body?.text)).toContain("try again");
    expect(await w.ledger()).toEqual([]);
  });

  it("GIVEN a real member picked from the list THEN they are thanked under the name Slack knows", async () => {
    const { body } = await w.command("thanks", `<@${ALICE}|someone-else> for the review`, BOB);

    expect(body?.response_type).toBe("in_channel");
    expect(await w.points(ALICE)).toBe(10);
    const row = await w.te.db.kysely.selectFrom("members").select("display_name").where("member_id", "like", `%${ALICE}`).executeTakeFirst();
    expect(row?.display_name).toBe("alice");
  });
});
