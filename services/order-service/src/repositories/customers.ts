import type { Customer } from "@orderline/db";
import type { Db } from "./orders.ts";

export async function findCustomerByPhone(db: Db, brandId: string, phone: string): Promise<Customer | undefined> {
  return db.selectFrom("customers").selectAll().where("brand_id", "=", brandId).where("phone", "=", phone).executeTakeFirst();
}

/**
 * Finds or creates the brand's customer for this E.164 phone, records the name they gave, adds the points the
 * order earned and remembers the order — one statement, safe under concurrency (UNIQUE (brand_id, phone)).
 */
export async function upsertCustomerForOrder(
  db: Db,
  c: { brandId: string; phone: string; name: string; points: number; orderId: string; now: Date },
): Promise<Customer> {
  return db
    .insertInto("customers")
    .values({
      brand_id: c.brandId,
      phone: c.phone,
      name: c.name,
      rewards_points: c.points,
      last_order_id: c.orderId,
      created_at: c.now,
      updated_at: c.now,
    })
    .onConflict((oc) =>
      oc.constraint("customers_brand_phone_key").doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        rewards_points: eb("customers.rewards_points", "+", eb.ref("excluded.rewards_points")),
        last_order_id: eb.ref("excluded.last_order_id"),
        updated_at: c.now,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
