import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { randomUUID } from "node:crypto";
import { TOOLS, toolSubject } from "@orderline/contracts";
import { DEMO_DASHBOARD_USERS, DEMO_LOCATIONS } from "@orderline/db";
import { type LocalStack, PUBLIC_BASE_URL, STANDARD_ORDER_CALLER, STANDARD_ORDER_MODEL, startLocalStack } from "@orderline/e2e";
import { connectNats, drainNats, requestTool } from "@orderline/nats";
import { waitFor } from "@orderline/testing";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";

/** Debian's Chromium (scripts/bootstrap.sh installs it where missing); playwright-core downloads no browser. */
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const WEB_DIST = resolve(import.meta.dirname, "../web/dist/index.html");
/** Screenshots of each step, kept as the run's artefacts (git-ignored). */
const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");
const UI_TIMEOUT_MS = 20_000;
const MIDTOWN = DEMO_LOCATIONS.newYork;
/** The browser's own timezone, far from every location's: times on the page must still be the location's. */
const BROWSER_TIMEZONE = "Asia/Tokyo";
const CALLER = "+14155550477";

/** Signs in on the login page (a session left by an earlier test is dropped first). */
async function signIn(page: Page, base: string, user: { email: string; password: string }): Promise<void> {
  await page.context().clearCookies();
  await page.goto(base);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** A locator's text as the DOM holds it. */
const text = async (l: Locator) => (await l.textContent()) ?? "";

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** What the test reads of a <canvas> (this package's TypeScript has no DOM types: the server's code must not use them). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels of a canvas that are not transparent: a chart that drew something has many. */
const paintedPixels = (page: Page, label: RegExp) =>
  page.getByRole("img", { name: label }).evaluate((el) => {
    const c = el as unknown as Canvas;
    const px = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
    return n;
  });

describe("the dashboard in headless Chromium over the real stack and a real call", () => {
  let stack: LocalStack;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let base: string;

  /** check_availability as a live call at Midtown asks it now: [available, reason]. */
  const availability = async (item: string) => {
    const nc = await connectNats({ url: process.env["NATS_URL"] ?? "nats://127.0.0.1:4222", name: "browser-test" });
    try {
      const envelope = { callSid: `CA${randomUUID().replaceAll("-", "")}`, locationId: MIDTOWN.id, orderSessionId: randomUUID() };
      const r = await requestTool(nc, toolSubject("check_availability", stack.natsPrefix), { envelope, args: { item_name: item } }, { timeoutMs: 5000, result: TOOLS.check_availability.result });
      assert.ok(r.ok, JSON.stringify(r));
      return [r.result.available, r.result.reason ?? null];
    } finally {
      await drainNats(nc);
    }
  };

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (scripts/bootstrap.sh does) or set CHROMIUM_PATH`);
    assert.ok(existsSync(WEB_DIST), `no web build at ${WEB_DIST}: the package's test script builds it first (vite build web)`);
    await mkdir(ARTIFACTS, { recursive: true });
    stack = await startLocalStack({ timeScale: 0.5, dashboard: true, workerEnv: { QUIET_HOURS: "00:00-00:00" } });
    base = stack.dashboardUrl!;
    profile = await mkdtemp(join(tmpdir(), "dashboard-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 }, timezoneId: BROWSER_TIMEZONE });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    page = context.pages()[0] ?? (await context.newPage());
  });
  // The page as each test left it (a failing one included).
  afterEach(async (t) => {
    if (page) await shot(page, `end-${t.name.split(":")[0]!.replaceAll(/\W+/g, "-")}`).catch(() => {});
  });
  after(async () => {
    await context?.close();
    await stack?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("a wrong password is refused on the page without saying which part was wrong", async () => {
    // The sign-in page loads neither the pages' code nor the chart library.
    const scripts: string[] = [];
    page.on("request", (r) => void (r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname)));
    await page.goto(base);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    assert.deepEqual(scripts.filter((s) => !/^\/assets\/index-[\w-]+\.js$/.test(s)), [], `scripts loaded: ${scripts.join(", ")}`);
    await page.getByLabel("E-mail").fill(DEMO_DASHBOARD_USERS.manager.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await assert.doesNotReject(page.getByRole("alert").filter({ hasText: "that e-mail and password do not match an account" }).waitFor());
  });

  it("staff: the call's order arrives on the live board without a reload; mark ready places the order-ready call", async () => {
    await signIn(page, base, DEMO_DASHBOARD_USERS.midtownStaff);
    await page.getByRole("heading", { name: `Overview — ${MIDTOWN.name}` }).waitFor();
    assert.equal(await page.getByLabel("Location", { exact: true }).count(), 0, "staff of one location get no location picker");
    await page.getByRole("link", { name: "Order board" }).click();
    await page.getByRole("status").filter({ hasText: "Live:" }).waitFor();
    await page.evaluate(() => Object.assign(globalThis, { boardLoadMarker: true }));

    stack.realtime.script(STANDARD_ORDER_MODEL);
    const call = stack.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, from: CALLER, to: MIDTOWN.phone, caller: STANDARD_ORDER_CALLER });
    const submitted = page.getByRole("region", { name: /^submitted/ }).getByRole("article", { name: /^Order #\d+$/ });
    await submitted.waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => (globalThis as { boardLoadMarker?: boolean }).boardLoadMarker), true, "the order appeared without a page reload");
    await call.done;
    const record = await stack.callRecord(call.sid);
    const orderId = record.call.order_ids[0]!;
    const orderName = (await submitted.getAttribute("aria-label"))!;
    assert.match(await text(submitted), /1 × .*Pepperoni/i);
    await shot(page, "staff-board-new-order");

    // The standard order's spoken number (555-123-4567) is not dialable: the customer is reached on the caller's number.
    await stack.db.db.updateTable("orders").set({ customer_phone: CALLER }).where("id", "=", orderId).execute();
    stack.cloud.nextCallee({ answer: "human", to: CALLER });
    await page.getByRole("button", { name: `Mark ${orderName.replace("Order", "order")} ready` }).click();
    await page.getByRole("region", { name: /^ready/ }).getByRole("article", { name: orderName }).waitFor();
    await waitFor(() => [...stack.cloud.calls.values()].find((c) => c.to === CALLER && c.direction === "outbound-api"), {
      timeoutMs: 30_000,
      message: "the worker's order-ready call to the customer, seen by the Twilio REST emulator",
    });
    await shot(page, "staff-board-ready");

    // Menu control: an item 86'd and an ingredient counted to zero on the page are refused by the next tool call.
    await page.getByRole("link", { name: "Menu", exact: true }).click();
    await page.getByRole("button", { name: "86 Garlic Knots" }).click();
    await page.getByRole("row", { name: /^Garlic Knots .* no — sold out/ }).waitFor();
    assert.deepEqual(await availability("garlic knots"), [false, "sold_out"]);
    await page.getByLabel("Count of Mushrooms", { exact: true }).fill("0");
    await page.getByRole("button", { name: "Set count of Mushrooms" }).click();
    await page.getByRole("row", { name: /^Mushroom Pizza .* no — ingredient out \(Mushrooms\)/ }).waitFor();
    assert.deepEqual(await availability("mushroom pizza"), [false, "ingredient_out_of_stock"]);
    await shot(page, "staff-menu-control");
    await page.getByRole("button", { name: "Put Garlic Knots back on" }).click();
    await page.getByRole("row", { name: /^Garlic Knots .* yes/ }).waitFor();
    assert.deepEqual(await availability("garlic knots"), [true, null]);

    // Staff of the location see the caller's number in full, and the call's page.
    await page.getByRole("link", { name: "Calls", exact: true }).click();
    await page.getByRole("link", { name: new RegExp(`^Call at .* from \\${CALLER}$`) }).click();
    await page.getByRole("heading", { name: new RegExp(`^Call from \\${CALLER}`) }).waitFor();
    await page.getByRole("listitem", { name: "Tool call submit_order" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("manager: chain-wide tiles beside their targets, charts drawn from the data, a location picked, the call's transcript with tool calls", async () => {
    await signIn(page, base, DEMO_DASHBOARD_USERS.manager);
    await page.getByRole("heading", { name: "Overview — Chain-wide" }).waitFor();
    const tiles = page.getByRole("region", { name: "Today: all locations" });
    const calls = tiles.getByRole("article", { name: "Calls", exact: true });
    await calls.waitFor();
    assert.match(await text(calls), /^Calls\s*1\s*1 completed · 0 transferred · 0 abandoned/);
    const completion = tiles.getByRole("article", { name: "Completion rate" });
    assert.match(await text(completion), /100\.0 %[\s\S]*target > 85\.0 % · target met/);
    assert.match((await completion.getAttribute("class")) ?? "", /target-met/);
    assert.match(await text(tiles.getByRole("article", { name: "Voice orders" })), /^Voice orders\s*1$/);
    await page.getByRole("table", { name: "Today by location" }).waitFor();

    // The charts show what the API answers for the last 30 days (the seed's past calls and this test's call).
    const charts = (await page.evaluate(() => fetch("/api/charts").then((r) => r.json()))) as { range: { from: string; to: string }; callsPerDay: { calls: number }[]; outcomes: Record<string, number> };
    const total = charts.callsPerDay.reduce((n, d) => n + d.calls, 0);
    assert.ok(total >= 1);
    const perDay = new RegExp(`^Calls per day: ${total} calls from ${charts.range.from} to ${charts.range.to}; busiest day `);
    await page.getByRole("img", { name: perDay }).waitFor();
    const o = charts.outcomes;
    await page.getByRole("img", { name: `Call outcomes: completed ${o["completed"]}, transferred ${o["transferred"]}, abandoned ${o["abandoned"]}, other ${o["other"]}.` }).waitFor();
    await page.getByRole("img", { name: /^Weekday by hour heatmap: Busiest hour: \w{3} \d\d:00 with \d+ calls/ }).waitFor();
    assert.ok((await paintedPixels(page, perDay)) > 100, "the calls-per-day chart drew its bars and axes");
    await shot(page, "manager-overview-chain");

    await page.getByLabel("Location", { exact: true }).selectOption({ label: DEMO_LOCATIONS.chicago.name });
    await page.getByRole("heading", { name: `Overview — ${DEMO_LOCATIONS.chicago.name}` }).waitFor();
    const chicagoCalls = page.getByRole("region", { name: `Today: ${DEMO_LOCATIONS.chicago.name}` }).getByRole("article", { name: "Calls", exact: true });
    await waitFor(async () => /^Calls\s*0\s*0 completed/.test(await text(chicagoCalls)), { timeoutMs: UI_TIMEOUT_MS, message: "Chicago's tiles (no calls today)" });
    await page.getByLabel("Location", { exact: true }).selectOption({ label: MIDTOWN.name });
    await page.getByRole("heading", { name: `Overview — ${MIDTOWN.name}` }).waitFor();
    await shot(page, "manager-overview-midtown");

    // A manager sees the caller's number masked; the call's page shows the transcript with the tool calls inline.
    await page.getByRole("link", { name: "Calls", exact: true }).click();
    await page.getByLabel("Search").fill(CALLER);
    await page.getByRole("button", { name: "Apply" }).click();
    const row = page.getByRole("link", { name: /^Call at .* from \+1 •+77$/ });
    await row.waitFor();
    assert.equal(await page.getByRole("link", { name: /^Call at / }).count(), 1);
    await row.click();
    await page.getByRole("heading", { name: /^Call from \+1 •+77/ }).waitFor();
    const transcript = page.getByRole("list", { name: "Transcript" });
    await transcript.getByRole("listitem").filter({ hasText: "I'd like a large pepperoni pizza for pickup" }).waitFor();
    for (const tool of ["start_order", "add_item", "submit_order"]) await transcript.getByRole("listitem", { name: `Tool call ${tool}` }).waitFor();
    const submit = await text(transcript.getByRole("listitem", { name: "Tool call submit_order" }));
    assert.match(submit, /Arguments\s*\{"phone":"\[redacted\]","customer_name":"\[redacted\]"\}/, "the stored arguments are the redacted ones");
    assert.match(submit, /Result\s*ok/);
    assert.match(submit, /Latency\s*\d+ ms/);
    assert.match(await text(page.getByRole("region", { name: /^Order #\d+$/ })), /ready[\s\S]*Pepperoni/i);
    await shot(page, "manager-call-transcript");

    // Conversational order: each caller turn before the tool calls answering it.
    const entries = await transcript.getByRole("listitem").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? e.textContent ?? ""));
    const at = (s: string) => entries.findIndex((e) => e.includes(s));
    for (const [said, tool] of [["I'd like a large pepperoni pizza", "start_order"], ["No thanks, that's all", "get_order_summary"], ["Yes please, it's Mike", "submit_order"]] as const) {
      assert.ok(at(said) >= 0 && at(said) < at(`Tool call ${tool}`), `"${said}" before ${tool}: ${JSON.stringify(entries)}`);
    }
    assert.ok(entries.some((e) => e.includes("it's Mike, +1 ••••••••67")), "the number said on the call is masked for a manager");
    // The call's time in Midtown's timezone, not the browser's.
    const detail = (await page.evaluate((p) => fetch(p).then((r) => r.json()), new URL(page.url()).pathname.replace("/calls/", "/api/calls/"))) as { startedAt: string };
    const spaced = (s: string) => s.replaceAll(/\s+/g, " ");
    const local = (timeZone: string) => spaced(new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short", timeZone }).format(new Date(detail.startedAt)));
    const heading = spaced(await text(page.getByRole("heading", { level: 1 })));
    assert.ok(heading.endsWith(local(MIDTOWN.timezone)) && !heading.includes(local(BROWSER_TIMEZONE)), `${heading} shows ${local(MIDTOWN.timezone)}`);

    // A call that is not there: a clear message; a session ended on the server's side: back to sign-in, saying why.
    await page.goto(`${base}/calls/${randomUUID()}`);
    await page.getByRole("alert").filter({ hasText: "No call of yours has that id." }).waitFor();
    await stack.db.db.deleteFrom("dashboard_sessions").execute();
    await page.getByRole("link", { name: "Calls", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Your session has ended" }).waitFor();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await shot(page, "session-ended");
  });
});
