import type { Kysely } from "kysely";
import { hashPassword } from "../passwords.ts";
import type { Database } from "../schema.ts";
import { DEMO_BRAND, DEMO_DASHBOARD_USERS, DEMO_LOCATIONS } from "./constants.ts";

/**
 * The demo dashboard users, written once: a user that exists keeps its password and name (someone may have
 * changed them), only missing location links are added. Returns how many users were created.
 */
export async function seedDashboardUsers(db: Kysely<Database>): Promise<number> {
  let created = 0;
  for (const u of Object.values(DEMO_DASHBOARD_USERS)) {
    const exists = await db.selectFrom("dashboard_users").select("id").where("id", "=", u.id).executeTakeFirst();
    if (!exists) {
      await db
        .insertInto("dashboard_users")
        .values({ id: u.id, brand_id: DEMO_BRAND.id, email: u.email, display_name: u.displayName, role: u.role, password_hash: await hashPassword(u.password) })
        .onConflict((oc) => oc.doNothing())
        .execute();
      created++;
    }
    const links = u.locationKeys.map((k) => ({ user_id: u.id, location_id: DEMO_LOCATIONS[k].id }));
    if (links.length > 0) await db.insertInto("dashboard_user_locations").values(links).onConflict((oc) => oc.doNothing()).execute();
  }
  return created;
}
