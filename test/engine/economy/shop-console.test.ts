/**
 * `/shop` in the console: the whole loop typed as lines — an organizer adds rewards (a role given
 * as `@name`), a member earns, lists and buys, a short balance is refused, the organizer sees the
 * order, marks it done, and the buyer's DM is printed after the line that caused it.
 */
import { describe, expect, it } from "vitest";
import { runConsoleScript } from "../../helpers/console-script.js";
import { EARNING } from "./shop-harness.js";

const runScript = (script: string): Promise<string> => runConsoleScript(script, { defaults: EARNING });

describe("/shop in the console", () => {
  it("GIVEN rewards, a member who earned and bought, and an organizer THEN list, buy, a refusal, orders, done and the buyer's DM read in order", async () => {
    const out = await runScript(
      [
        "/shop add Sticker 10 stock:2",
        '/shop add "Regular role" 15 @Regular',
        "/as bob",
        "hello all",
        "/shop list",
        "/shop buy Sticker",
        "/shop buy Regular role",
        "/as ada",
        "/shop orders",
        "/shop done 1",
        "/shop cancel 7",
      ].join("\n"),
    );
    const lines = out.split("\n");
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
    expect(out).toContain("Added Sticker — 10 points · 2 left.");
    expect(out).toContain("Added Regular role — 15 points · unlimited · grants @Regular.");
    expect(out).toContain("• Sticker — 10 points · 2 left");
    expect(out).toContain("Bought Sticker for 10 points (order #1). The organizers will fulfil it and tell you when it's done. Your balance: 0 points.");
    expect(out).toContain("Regular role costs 15 points and your balance is 0 points. Nothing was taken.");
    expect(out).toMatch(/#1 Sticker — 10 points — @bob — /);
    expect(out).toContain("Order #1 (Sticker) is fulfilled; @bob is told.");
    expect(out).toContain("There is no order #7. /shop orders lists the open ones.");
    const dm = at("Your order #1 is fulfilled: Sticker. Enjoy!");
    expect(dm).toBeGreaterThan(at("Order #1 (Sticker) is fulfilled"));
    expect(lines[dm]).toContain("bob");
  });
});
