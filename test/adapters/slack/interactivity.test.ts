import { afterEach, describe, expect, it } from "vitest";
import { ADA, ALICE, BOB, GENERAL, type Mode, readable, startWorld, type World } from "./harness.js";

let w: World;
afterEach(async () => {
  await w.close();
});

describe.each<Mode>(["http", "socket"])("Slack interactivity (%s): buttons and modals reach the engine as neutral events", (mode) => {
  it("GIVEN a leaderboard WHEN someone presses 'This month' THEN the message is replaced with the month's board", async () => {
    w = await startWorld(mode);
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "points!" }));
    const board = await w.command("leaderboard", "", BOB);
    const messageBlocks = board.body?.blocks as unknown[];

    const pressed = await w.interaction(
      w.fake.payloads.blockActions({ actionId: "leaderboard:show:month:10", user: BOB, channel: GENERAL, messageTs: "1700000000.000200", messageBlocks }),
    );

    expect(pressed.status).toBe(200);
    const update = await w.fake.waitForResponse((r) => (r.body as { replace_original?: boolean }).replace_original === true);
    const body = update.body as { text: string; blocks: { type: string; text?: { text: string }; elements?: { action_id: string }[] }[] };
    expect(body.blocks[0]!.text!.text).toMatch(/^Leaderboard — /);
    expect(body.blocks[0]!.text!.text).not.toBe((messageBlocks[0] as { text: { text: string } }).text.text);
    expect(readable(body.text)).toContain(`<@${ALICE}> — 5 points`);
    // The month's board is on screen now, so its button is gone and the week's is back.
    expect(body.blocks.find((b) => b.type === "actions")!.elements!.map((e) => e.action_id)).toEqual(["leaderboard:show:week:10", "leaderboard:show:all:10"]);
  });

  it("GIVEN an admin runs /config set with a key and no value THEN a modal opens, and its submission saves the setting", async () => {
    w = await startWorld(mode);

    const { body: ack, responseUrl } = await w.command("config", "set points.messageCooldownSeconds", ADA);
    expect(ack).toBeUndefined();
    // The fake refuses a modal title over 24 characters, as Slack does; "Set points.messageCooldownSeconds" is 33.
    const opened = await w.fake.waitForCall("views.open");
    expect(opened.response.ok).toBe(true);
    const view = opened.params.view as { callback_id: string; private_metadata: string; blocks: { block_id: string; element: { initial_value?: string } }[] };
    expect(view.callback_id).toBe("config:set:points.messageCooldownSeconds");
    expect(view.blocks[0]).toMatchObject({ block_id: "value", element: { initial_value: "60" } });

    const submitted = await w.interaction(
      w.fake.payloads.viewSubmission({ callbackId: view.callback_id, values: { value: { value: "90" } }, user: ADA, privateMetadata: view.private_metadata }),
    );

    expect(submitted.body).toBeUndefined(); // a bare ack closes the modal
    expect((await w.settings()).points.messageCooldownSeconds).toBe(90);
    const answer = await w.fake.waitForResponse((r) => r.url === responseUrl);
    expect(answer.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(readable((answer.body as { text: string }).text)).toContain("Set `points.messageCooldownSeconds` to 90");
  });

  it("GIVEN a modal submitted with a value the setting does not accept THEN the modal stays open with the problem under the field", async () => {
    w = await startWorld(mode);
    await w.command("config", "set points.post", ADA);
    const view = (await w.fake.waitForCall("views.open")).params.view as { private_metadata: string };

    const submitted = await w.interaction(
      w.fake.payloads.viewSubmission({ callbackId: "config:set:points.post", values: { value: { value: "lots" } }, user: ADA, privateMetadata: view.private_metadata }),
    );

    expect(submitted.body).toMatchObject({ response_action: "errors", errors: { value: expect.stringContaining("not a valid value for `points.post`") } });
    expect((await w.settings()).points.post).toBe(5);
  });
});
