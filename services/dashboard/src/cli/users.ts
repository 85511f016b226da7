#!/usr/bin/env node
// Dashboard users. DATABASE_URL selects the database; passwords come from DASHBOARD_PASSWORD or the terminal.
//   users add --email a@b.c --name "Ana Ruiz" --role manager|staff [--brand tonys-pizzeria] [--location <slug>]...
//   users password --email a@b.c        users disable --email a@b.c        users list
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createDb, databaseUrlFromEnv, hashPassword, redactUrl } from "@orderline/db";

const USAGE = `usage: users add --email E --name N --role manager|staff [--brand SLUG] [--location SLUG]...
       users password --email E | users disable --email E | users list`;

async function readPassword(): Promise<string> {
  const fromEnv = process.env["DASHBOARD_PASSWORD"];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error("set DASHBOARD_PASSWORD (no terminal to ask on)");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question("password (at least 12 characters): ");
  } finally {
    rl.close();
  }
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, brand: { type: "string" }, location: { type: "string", multiple: true } },
});
const command = positionals[0];
const url = databaseUrlFromEnv();
const { db, close } = createDb(url, { max: 1, applicationName: "orderline-dashboard-users" });
try {
  const email = values.email?.trim().toLowerCase();
  if (command === "list") {
    const users = await db.selectFrom("dashboard_users as u").innerJoin("brands as b", "b.id", "u.brand_id").select(["u.email", "u.display_name", "u.role", "u.active", "b.slug"]).orderBy("u.email").execute();
    for (const u of users) console.log(`${u.email.padEnd(36)} ${u.role.padEnd(8)} ${u.active ? "active  " : "disabled"} ${u.slug}  ${u.display_name}`);
  } else if (command === "add") {
    const role = values.role;
    if (!email || !values.name || (role !== "manager" && role !== "staff")) throw new Error(USAGE);
    const locations = values.location ?? [];
    if (role === "staff" && locations.length === 0) throw new Error("a staff user needs at least one --location");
    const brands = await db.selectFrom("brands").select(["id", "slug"]).execute();
    const brand = values.brand ? brands.find((b) => b.slug === values.brand) : brands.length === 1 ? brands[0] : undefined;
    if (!brand) throw new Error(values.brand ? `no brand "${values.brand}"` : `name the brand with --brand (${brands.map((b) => b.slug).join(", ")})`);
    const found = locations.length === 0 ? [] : await db.selectFrom("locations").select(["id", "slug"]).where("brand_id", "=", brand.id).where("slug", "in", locations).execute();
    const missing = locations.filter((s) => !found.some((l) => l.slug === s));
    if (missing.length > 0) throw new Error(`no location ${missing.join(", ")} in brand ${brand.slug}`);
    const passwordHash = await hashPassword(await readPassword());
    await db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto("dashboard_users")
        .values({ brand_id: brand.id, email, display_name: values.name!, role, password_hash: passwordHash })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (found.length > 0) await trx.insertInto("dashboard_user_locations").values(found.map((l) => ({ user_id: user.id, location_id: l.id }))).execute();
    });
    console.log(`added ${role} ${email}${found.length > 0 ? ` (${found.map((l) => l.slug).join(", ")})` : ""} to ${redactUrl(url)}`);
  } else if (command === "password" || command === "disable") {
    if (!email) throw new Error(USAGE);
    const set = command === "password" ? { password_hash: await hashPassword(await readPassword()) } : { active: false };
    const r = await db.updateTable("dashboard_users").set(set).where("email", "=", email).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new Error(`no user ${email}`);
    // Either way the user's sessions end now.
    await db.deleteFrom("dashboard_sessions").where("user_id", "in", db.selectFrom("dashboard_users").select("id").where("email", "=", email)).execute();
    console.log(`${command === "password" ? "password changed" : "disabled"}: ${email}`);
  } else {
    throw new Error(USAGE);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await close();
}
