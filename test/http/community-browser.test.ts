import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestEngine } from "../helpers/engine.js";
import { listening } from "./community-app.js";
import { HOSTILE, seededWorld, SLUG } from "./community-world.js";

/**
 * The board in a real browser: Debian's headless Chromium, driven by playwright-core. CI installs
 * Chromium (.ci/run); without it this test fails and says so, rather than skipping quietly.
 * Screenshots go to test-results/web-board/ (ignored by git) for a person to look at. Code run in
 * the page is passed as strings: the project compiles without the DOM's types.
 */
const CHROMIUM = "/usr/bin/chromium";
const SHOTS = path.resolve("test-results", "web-board");

describe("the web board in headless Chromium", () => {
  let t: TestEngine;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's chromium (apt-get install chromium; .ci/run installs it).`);
    }
    t = await seededWorld();
    ({ app, base } = await listening(t));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.close();
  });

  /** What a reader sees in the table: the names, top to bottom. */
  const shownNames = (page: Page) => page.locator("tbody tr .member").allTextContents();

  /** Every picture on the page has loaded (the CSP lets this origin's images through). */
  async function picturesLoaded(page: Page): Promise<void> {
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
    await page.waitForFunction("[...document.images].every((img) => img.complete && img.naturalWidth > 0)", undefined, { timeout: 15_000 });
  }

  it("GIVEN the board THEN the top member reads from the page, the tabs switch what is shown, the opted-out member is on none, and nothing runs", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const dialogs: string[] = [];
    const problems: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(`${base}/c/${SLUG}`);
    expect(await page.locator("tbody tr").first().locator(".member").textContent()).toBe("ada");
    // The hostile name shows as the text it is; its markup never became elements.
    expect(await shownNames(page)).toEqual(["ada", HOSTILE, "bob"]);
    expect(await page.locator("tbody script, tbody img").count()).toBe(0);
    expect(await page.getByRole("link", { name: "This week" }).getAttribute("aria-current")).toBe("page");
    // The same-origin stylesheet applied under the CSP.
    expect(await page.evaluate("getComputedStyle(document.querySelector('table.board')).borderCollapse")).toBe("collapse");
    await picturesLoaded(page);
    expect(await page.locator(".cards img").count()).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, "board-week.png"), fullPage: true });

    await page.getByRole("link", { name: "This month" }).click();
    await page.waitForURL(/period=month$/);
    expect(await page.getByRole("link", { name: "This month" }).getAttribute("aria-current")).toBe("page");
    expect(await page.getByRole("link", { name: "This week" }).getAttribute("aria-current")).toBeNull();
    expect(await shownNames(page)).toEqual(["bob", HOSTILE, "ada"]);
    await picturesLoaded(page);
    await page.screenshot({ path: path.join(SHOTS, "board-month.png"), fullPage: true });

    await page.getByRole("link", { name: "All time" }).click();
    await page.waitForURL(/period=all$/);
    expect(await page.locator("tbody tr").first().locator(".member").textContent()).toBe("cat");
    expect(await shownNames(page)).toEqual(["cat", "bob", HOSTILE, "ada"]);
    expect(await page.locator("section[aria-labelledby=honors] li").allTextContents()).toEqual([`🤝 Most helpful: ${HOSTILE} (thanked 1 time)`]);
    await picturesLoaded(page);
    await page.screenshot({ path: path.join(SHOTS, "board-all.png"), fullPage: true });

    // Dan has the most points this week and this month, and ran /privacy hide.
    expect(await page.locator("body").textContent()).not.toContain("dan");
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("GIVEN a phone-sized screen THEN no tab scrolls sideways", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    for (const period of ["week", "month", "all"]) {
      await page.goto(`${base}/c/${SLUG}?period=${period}`);
      await picturesLoaded(page);
      const widths = await page.evaluate<{ page: number; body: number; screen: number }>("({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, screen: window.innerWidth })");
      // A picture of what was too wide, for whoever reads the failure.
      if (widths.page !== widths.screen || widths.body !== widths.screen) await page.screenshot({ path: path.join(SHOTS, `board-phone-${period}-too-wide.png`), fullPage: true });
      expect([period, widths.page, widths.body]).toEqual([period, widths.screen, widths.screen]);
    }
    await page.screenshot({ path: path.join(SHOTS, "board-phone.png"), fullPage: true });
    await context.close();
  });
});
