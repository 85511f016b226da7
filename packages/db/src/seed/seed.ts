import type { Kysely } from "kysely";
import { sql } from "kysely";
import { DateTime } from "luxon";
import type { Database, TableName } from "../schema.ts";
import { buildDemoChain } from "./build.ts";
import { DEMO_BRAND, DEMO_LOCATION_LIST } from "./constants.ts";
import { type OwnedScope, TABLE_KEYS, writeRows } from "./upsert.ts";
import { seedDashboardUsers } from "./dashboard-users.ts";


export interface SeedOptions {
  /** Picks the holiday years (this year and next, New York time). Default: now. */
  today?: Date;
}

export interface SeedSummary {
  /** Rows the seed owns, per table (after the run these are exactly the seeded rows in scope). */
  rows: Partial<Record<TableName, number>>;
  /** Stale rows removed from seed-owned scopes. */
  deleted: Partial<Record<TableName, number>>;
}

export class SeedError extends Error {
  override readonly name = "SeedError";
}

/**
 * Writes the demo chain (brand, three locations, menu, customers, past orders) in one transaction.
 * Idempotent: ids are deterministic, unchanged rows are left alone, and seed-owned per-location settings
 * (hours, stock, overrides, prices, specials, links) converge to the seed's values. Concurrent runs
 * serialize on an advisory lock.
 */
export const seedDemoChain = async (db: Kysely<Database>, opts: SeedOptions = {}): Promise<SeedSummary> => {
  const chain = buildDemoChain(opts.today ? DateTime.fromJSDate(opts.today, { zone: "utc" }) : DateTime.utc());
  const { rows } = chain;
  const locationIds = DEMO_LOCATION_LIST.map((l) => l.id);
  const productIds = (rows.products ?? []).map((p) => p.id as string);
  const groupIds = (rows.modifier_groups ?? []).map((g) => g.id as string);
  const staffLineIds = (rows.location_staff_lines ?? []).map((l) => l.id as string);
  const summary: SeedSummary = { rows: {}, deleted: {} };

  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('orderline:seed-demo-chain'))`.execute(trx);

    // Scoped tables the seed owns entirely: what the seed no longer has is deleted before upserting.
    const owned: OwnedScope[] = [
      { table: "location_hours", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "location_hour_exceptions", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "phone_numbers", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "location_staff_lines", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "staff_line_hours", column: "staff_line_id", values: staffLineIds, keys: ["id"] },
      { table: "variations", column: "product_id", values: productIds, keys: ["id"] },
      { table: "modifiers", column: "modifier_group_id", values: groupIds, keys: ["id"] },
      { table: "product_modifier_groups", column: "product_id", values: productIds, keys: ["product_id", "modifier_group_id"] },
      { table: "product_ingredients", column: "product_id", values: productIds, keys: ["product_id", "ingredient_id"] },
      { table: "ingredient_stock", column: "location_id", values: locationIds, keys: ["location_id", "ingredient_id"] },
      { table: "location_variation_prices", column: "location_id", values: locationIds, keys: ["location_id", "variation_id"] },
      { table: "location_product_overrides", column: "location_id", values: locationIds, keys: ["location_id", "product_id"] },
      { table: "specials", column: "brand_id", values: [DEMO_BRAND.id], keys: ["id"] },
    ];
    const written = await writeRows(
      trx,
      rows,
      TABLE_KEYS,
      owned,
      (table, reason, cause) =>
        new SeedError(
          `seeding ${table} failed: ${reason}. If a row with the same slug or phone exists under another id, reset the database (pnpm --filter @orderline/db db:reset).`,
          { cause },
        ),
    );
    summary.rows = written.rows;
    summary.deleted = written.deleted;

    for (const c of chain.orderNumberCounters) {
      await sql`INSERT INTO order_number_counters AS c (location_id, business_date, last_number)
        VALUES (${c.locationId}, ${c.businessDate}, ${c.lastNumber})
        ON CONFLICT (location_id, business_date) DO UPDATE SET last_number = excluded.last_number
        WHERE c.last_number < excluded.last_number`.execute(trx);
    }

    // Histories with identity keys: written once per order / call.
    const orderIds = [...new Set(chain.statusEvents.map((e) => e.order_id))];
    for (const orderId of orderIds) {
      const existing = await trx.selectFrom("order_status_events").select("id").where("order_id", "=", orderId).limit(1).executeTakeFirst();
      if (!existing) await trx.insertInto("order_status_events").values(chain.statusEvents.filter((e) => e.order_id === orderId)).execute();
    }
    for (const { callId, events } of chain.callEvents) {
      const existing = await trx.selectFrom("voice_call_events").select("id").where("call_id", "=", callId).limit(1).executeTakeFirst();
      if (!existing) await trx.insertInto("voice_call_events").values(events).execute();
    }

    for (const { customerId, orderId } of chain.customerLastOrders) {
      await trx
        .updateTable("customers")
        .set({ last_order_id: orderId })
        .where("id", "=", customerId)
        // Only fill it in: a newer order placed after seeding stays the customer's last order.
        .where("last_order_id", "is", null)
        .execute();
    }
    const users = await seedDashboardUsers(trx);
    if (users > 0) summary.rows.dashboard_users = users;
  });
  return summary;
};
