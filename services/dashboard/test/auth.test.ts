import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createSession } from "../src/repositories/users.ts";
import { Client, type DashboardHarness, PASSWORD, startHarness, USERS } from "./support/stack.ts";

describe("login, sessions and CSRF", () => {
  let h: DashboardHarness;
  before(async () => {
    h = await startHarness({ history: false, env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: 3, LOGIN_MAX_ATTEMPTS_PER_IP: 12 } });
  });
  after(() => h?.close());

  it("a login sets an HttpOnly SameSite=Strict session cookie (only its hash is stored) and returns the CSRF token", async () => {
    const c = new Client(h.url);
    const r = await c.login(USERS.newYorkStaff.email);
    assert.equal(r.status, 200);
    const cookie = r.headers.getSetCookie().find((x) => x.startsWith("ol_session="))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\//);
    assert.equal(r.body.user.role, "staff");
    assert.ok(r.body.csrfToken.length >= 32);
    const token = c.cookie.split("=")[1]!;
    const stored = await h.db.db.selectFrom("dashboard_sessions").select("token_hash").execute();
    assert.ok(stored.length > 0 && stored.every((s) => s.token_hash !== token && /^[0-9a-f]{64}$/.test(s.token_hash)));
    assert.equal((await c.get("/api/auth/session")).status, 200);
  });

  it("a wrong password and an unknown e-mail get the same 401 and the same words", async () => {
    const wrong = await new Client(h.url).login(USERS.chicagoStaff.email, "not-the-password");
    const unknown = await new Client(h.url).login("nobody@tonys.test", PASSWORD);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.body.error.code, "invalid_credentials");
  });

  it("after 3 failures an account is refused (429, Retry-After) even with the right password; other accounts still log in", async () => {
    const c = new Client(h.url);
    for (let i = 0; i < 3; i++) assert.equal((await c.login(USERS.manager.email, `wrong-${i}`)).status, 401);
    const locked = await c.login(USERS.manager.email, PASSWORD);
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, "too_many_attempts");
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
    assert.equal((await new Client(h.url).login(USERS.newYorkStaff.email)).status, 200);
  });

  it("one IP gets 12 attempts per window, right or wrong; the 13th is refused", async () => {
    const c = new Client(h.url);
    // Attempts so far from this IP in this suite: 1 + 2 + 4 + 1 = 8.
    const outcomes: number[] = [];
    for (let i = 0; i < 5; i++) outcomes.push((await c.login(USERS.chicagoStaff.email)).status);
    assert.deepEqual(outcomes, [200, 200, 200, 200, 429]);
  });

  it("state-changing requests need the session's CSRF token: missing or forged → 403 and nothing happens", async () => {
    const c = await signedInAfterLimits(h);
    const missing = await c.post("/api/auth/logout", {}, { csrf: false });
    assert.equal(missing.status, 403);
    assert.equal(missing.body.error.code, "csrf_token");
    const forged = await c.post("/api/auth/logout", {}, { headers: { "x-csrf-token": "A".repeat(c.csrf.length) } });
    assert.equal(forged.status, 403);
    assert.equal((await c.get("/api/auth/session")).status, 200, "the session survived");
    const other = await c.post("/api/orders/00000000-0000-4000-8000-000000000000/ready", {}, { csrf: false });
    assert.equal(other.status, 403);
  });

  it("a request from another site's Origin is refused before anything else, login included; a form post to login is refused", async () => {
    const c = await signedInAfterLimits(h);
    const cross = await c.post("/api/auth/logout", {}, { headers: { origin: "https://evil.example" } });
    assert.equal(cross.status, 403);
    assert.equal(cross.body.error.code, "csrf_origin");
    const login = await new Client(h.url).post("/api/auth/login", { email: USERS.manager.email, password: PASSWORD }, { headers: { origin: "https://evil.example" } });
    assert.equal(login.status, 403);
    const form = await fetch(`${h.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=a&password=b" });
    assert.equal(form.status, 415);
  });

  it("logout with the token ends the session server-side: the old cookie no longer works", async () => {
    const c = await signedInAfterLimits(h);
    const cookie = c.cookie;
    assert.equal((await c.post("/api/auth/logout")).status, 204);
    const replay = new Client(h.url);
    replay.cookie = cookie;
    assert.equal((await replay.get("/api/auth/session")).status, 401);
    assert.equal((await replay.get("/api/kpis")).status, 401);
  });

  it("without a web build the root serves the fallback page; unknown API routes are JSON 404s; health paths answer, /metrics does not", async () => {
    const page = await fetch(`${h.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /OrderLine dashboard/);
    const c = await signedInAfterLimits(h);
    assert.equal((await c.get("/api/nothing-here")).status, 404);
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
    // Metrics are for the ops port only: an Ingress host for the dashboard must not expose them.
    const metrics = await fetch(`${h.url}/metrics`);
    assert.equal(metrics.status, 404);
    assert.match(await metrics.text(), /ops port/);
    assert.equal((await fetch(`${h.url}/metrics`, { method: "HEAD" })).status, 404);
  });
});

/** This suite's IP is over its limit by now: a session is made directly (the login route is tested above). */
async function signedInAfterLimits(h: DashboardHarness): Promise<Client> {
  const user = await h.db.db.selectFrom("dashboard_users").select("id").where("email", "=", USERS.newYorkStaff.email).executeTakeFirstOrThrow();
  const s = await createSession(h.db.db, user.id, new Date(), 3_600_000);
  const c = new Client(h.url);
  c.cookie = `ol_session=${s.token}`;
  c.csrf = s.csrfToken;
  return c;
}
