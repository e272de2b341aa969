import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configuredGroups } from "../../../src/adapters/slack/replies.js";
import { memberId } from "../../../src/core/identity.js";
import { ROLE_CHECKS } from "../../../src/engine/preconditions/roles.js";
import { testEngine } from "../../helpers/engine.js";
import { ADA, ALICE, MODS, MOE, readable, startWorld, TEAM, type World } from "./harness.js";

let w: World;
beforeEach(async () => {
  w = await startWorld("socket");
});
afterEach(async () => {
  await w.close();
});

describe("Slack permissions: the adapter reports admin status and user groups, the engine decides", () => {
  it("GIVEN a member who is not a workspace admin WHEN they run /config set THEN they are refused and nothing changes", async () => {
    const { body } = await w.command("config", "set points.post 10", ALICE);

    expect(body?.response_type).toBe("ephemeral");
    expect(readable(body?.text)).toContain("Only admins can use /config set.");
    expect((await w.settings()).points.post).toBe(5);
  });

  it("GIVEN a workspace admin (users.info is_admin) WHEN they run /config set THEN the setting changes", async () => {
    const { body } = await w.command("config", "set points.post 10", ADA);

    expect(readable(body?.text)).toContain("Set `points.post` to 10");
    expect((await w.settings()).points.post).toBe(10);
  });

  it("GIVEN a user group configured as admins WHEN a member of that group runs /config show THEN they may, and a non-member still may not", async () => {
    const set = await w.command("config", `set roles.admins <!subteam^${MODS}|@mods>`, ADA);
    expect(readable(set.body?.text)).toContain("Set `roles.admins`");
    expect((await w.settings()).roles.admins).toEqual([`slack:${TEAM}:&${MODS}`]);

    const moe = await w.command("config", "show", MOE);
    const alice = await w.command("config", "show", ALICE);

    expect(moe.body?.response_type).toBe("ephemeral");
    expect(readable(moe.body?.text)).toContain("roles.admins");
    expect(JSON.stringify(moe.body?.blocks)).toContain(`<!subteam^${MODS}>`);
    expect(readable(alice.body?.text)).toContain("Only admins can use /config show.");
    expect(w.fake.calls("usergroups.users.list").map((c) => c.params.usergroup)).toEqual([MODS]);
  });
});

describe("Slack user groups worth checking come from the named role checks", () => {
  it("GIVEN groups, a member and another workspace's group in the role settings THEN exactly this workspace's groups that grant a level are checked", async () => {
    const te = await testEngine();
    try {
      const community = await te.engine.communities.resolve({ platform: "slack", workspaceId: TEAM });
      const settings = structuredClone(community.settings);
      settings.roles.moderators = [`slack:${TEAM}:&S0MODS0001`, memberId("slack", TEAM, ALICE)];
      settings.roles.organizers = [`slack:${TEAM}:&S0ORGS0001`, `slack:T0OTHER001:&S0FOREIGN1`];
      settings.roles.admins = [`slack:${TEAM}:&S0ADMS0001`, `slack:${TEAM}:&S0MODS0001`];
      await te.engine.communities.updateSettings(community, settings);

      const groups = await configuredGroups(te.engine, TEAM);

      const granting = Object.values(ROLE_CHECKS).flatMap((level) => level.grantedBy(settings));
      expect(groups.sort()).toEqual(["S0ADMS0001", "S0MODS0001", "S0ORGS0001"]);
      expect(groups.every((g) => granting.includes(`slack:${TEAM}:&${g}`))).toBe(true);
    } finally {
      await te.close();
    }
  });
});
