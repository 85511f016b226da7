import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { DEMO_BRAND, DEMO_CUSTOMERS, DEMO_LOCATIONS, DEMO_MENU, DEMO_PAST_ORDERS } from "../src/seed/constants.ts";
import type { NewOrder } from "../src/schema.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";
import { rejectsWithPg } from "./helpers.ts";

const UNIQUE = "23505";
const CHECK = "23514";
const FK = "23503";

describe("constraints", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ seed: true });
  });
  after(() => t?.close());

  const voiceDraft = (over: Partial<NewOrder> = {}): NewOrder => {
    const sid = `CA${randomUUID().replaceAll("-", "")}`;
    return { location_id: DEMO_LOCATIONS.newYork.id, channel: "voice", call_sid: sid, order_session_id: `s-${sid}`, order_type: "pickup", ...over };
  };
  const newCall = (callSid: string) => ({ call_sid: callSid, direction: "inbound" as const, location_id: DEMO_LOCATIONS.chicago.id, phone_from: "+13125550199", phone_to: DEMO_LOCATIONS.chicago.phone });

  it("rejects a duplicate call_sid", async () => {
    await t.db.insertInto("voice_calls").values(newCall("CAdup0001")).execute();
    await rejectsWithPg(t.db.insertInto("voice_calls").values(newCall("CAdup0001")).execute(), UNIQUE, "voice_calls_call_sid_key");
  });

  it("rejects a duplicate idempotency key", async () => {
    await rejectsWithPg(
      t.db.insertInto("orders").values(voiceDraft({ idempotency_key: `${DEMO_PAST_ORDERS.mariaMidtown.callSid}:0` })).execute(),
      UNIQUE,
      "orders_idempotency_key_key",
    );
  });

  it("allows one draft per call and rejects a second one", async () => {
    const first = voiceDraft();
    await t.db.insertInto("orders").values(first).execute();
    await rejectsWithPg(
      t.db.insertInto("orders").values(voiceDraft({ call_sid: first.call_sid, order_session_id: first.order_session_id })).execute(),
      UNIQUE,
      "orders_one_draft_per_session_key",
    );
    await rejectsWithPg(t.db.insertInto("orders").values(voiceDraft({ call_sid: first.call_sid })).execute(), UNIQUE, "orders_one_draft_per_call_key");
    // A cancelled draft frees the slot.
    await t.db.updateTable("orders").set({ state: "cancelled" }).where("order_session_id", "=", first.order_session_id!).execute();
    await t.db.insertInto("orders").values(voiceDraft({ call_sid: first.call_sid, order_session_id: first.order_session_id })).execute();
  });

  it("rejects negative cents", async () => {
    await rejectsWithPg(t.db.updateTable("variations").set({ price_cents: -1 }).where("id", "=", DEMO_MENU.largePepperoni.variationId).execute(), CHECK, "variations_price_cents_check");
    await rejectsWithPg(t.db.insertInto("orders").values(voiceDraft({ subtotal_cents: -100, total_cents: -100 })).execute(), CHECK);
    await rejectsWithPg(
      t.db
        .insertInto("location_variation_prices")
        .values({ location_id: DEMO_LOCATIONS.denver.id, variation_id: DEMO_MENU.largePepperoni.variationId, price_cents: -5 })
        .execute(),
      CHECK,
      "location_variation_prices_price_cents_check",
    );
    await rejectsWithPg(t.db.updateTable("locations").set({ delivery_fee_cents: -1 }).where("id", "=", DEMO_LOCATIONS.denver.id).execute(), CHECK, "locations_delivery_fee_cents_check");
  });

  it("rejects totals that do not add up", async () => {
    await rejectsWithPg(
      t.db.insertInto("orders").values(voiceDraft({ subtotal_cents: 1000, tax_cents: 89, total_cents: 1000 })).execute(),
      CHECK,
      "orders_total_check",
    );
  });

  it("rejects phone numbers that are not E.164", async () => {
    for (const bad of ["2125550100", "+1 212 555 0100", "+0123456789", "+1", "(212) 555-0100"]) {
      await rejectsWithPg(
        t.db.insertInto("phone_numbers").values({ e164: bad, location_id: DEMO_LOCATIONS.newYork.id }).execute(),
        CHECK,
        "phone_numbers_e164_format",
      );
    }
    await rejectsWithPg(t.db.insertInto("customers").values({ brand_id: DEMO_BRAND.id, phone: "555-0100" }).execute(), CHECK, "customers_phone_e164");
    await rejectsWithPg(
      t.db.updateTable("locations").set({ staff_transfer_numbers: ["+13125550101", "ext 12"] }).where("id", "=", DEMO_LOCATIONS.chicago.id).execute(),
      CHECK,
      "locations_staff_transfer_numbers_e164",
    );
    await rejectsWithPg(t.db.insertInto("orders").values(voiceDraft({ customer_phone: "12125550142" })).execute(), CHECK, "orders_customer_phone_e164");
  });

  it("rejects a phone number routed twice and a customer phone used twice in a brand", async () => {
    await rejectsWithPg(t.db.insertInto("phone_numbers").values({ e164: DEMO_LOCATIONS.newYork.phone, location_id: DEMO_LOCATIONS.denver.id }).execute(), UNIQUE, "phone_numbers_e164_key");
    await rejectsWithPg(t.db.insertInto("customers").values({ brand_id: DEMO_BRAND.id, phone: DEMO_CUSTOMERS.maria.phone }).execute(), UNIQUE, "customers_brand_phone_key");
  });

  it("rejects enum values outside the contracts", async () => {
    await rejectsWithPg(t.db.insertInto("orders").values(voiceDraft({ order_type: "dine_in" as never })).execute(), CHECK, "orders_order_type_check");
    await rejectsWithPg(t.db.insertInto("voice_calls").values({ ...newCall("CAenum1"), direction: "sideways" as never }).execute(), CHECK, "voice_calls_direction_check");
    const call = await t.db.insertInto("voice_calls").values(newCall("CAenum2")).returning("id").executeTakeFirstOrThrow();
    await rejectsWithPg(t.db.insertInto("voice_call_events").values({ call_id: call.id, event_type: "party" as never }).execute(), CHECK, "voice_call_events_event_type_check");
  });

  it("rejects state changes outside the order state machine", async () => {
    await rejectsWithPg(
      t.db.updateTable("orders").set({ state: "draft" }).where("id", "=", DEMO_PAST_ORDERS.mariaMidtown.id).execute(),
      CHECK,
      "orders_state_transition_check",
    );
    const draft = voiceDraft();
    await t.db.insertInto("orders").values(draft).execute();
    // Submitting needs the submission facts (number, time) as well as the state.
    await rejectsWithPg(t.db.updateTable("orders").set({ state: "submitted" }).where("call_sid", "=", draft.call_sid!).execute(), CHECK, "orders_submitted_check");
    await rejectsWithPg(t.db.updateTable("orders").set({ state: "ready" }).where("call_sid", "=", draft.call_sid!).execute(), CHECK, "orders_state_transition_check");
  });

  it("numbers submitted orders per location and business date", async () => {
    const next = async (locationId: string, date: string) =>
      (await sql<{ n: number }>`SELECT next_order_number(${locationId}::uuid, ${date}::date) AS n`.execute(t.db)).rows[0]!.n;
    assert.equal(await next(DEMO_LOCATIONS.denver.id, "2031-03-01"), 1);
    assert.equal(await next(DEMO_LOCATIONS.denver.id, "2031-03-01"), 2);
    assert.equal(await next(DEMO_LOCATIONS.chicago.id, "2031-03-01"), 1);
    assert.equal(await next(DEMO_LOCATIONS.denver.id, "2031-03-02"), 1);
    // The seed's past order took number 5 in Chicago on its day; the counter continues after it.
    assert.equal(await next(DEMO_LOCATIONS.chicago.id, "2026-11-18"), 6);

    const draft = voiceDraft({ location_id: DEMO_LOCATIONS.chicago.id });
    await t.db.insertInto("orders").values(draft).execute();
    await rejectsWithPg(
      t.db
        .updateTable("orders")
        .set({ state: "submitted", submitted_at: new Date(), business_date: "2026-11-18", order_number: 5 })
        .where("call_sid", "=", draft.call_sid!)
        .execute(),
      UNIQUE,
      "orders_location_number_key",
    );
  });

  it("rejects modifier groups with min > max, bad timezones and foreign keys to nothing", async () => {
    await rejectsWithPg(
      t.db.insertInto("modifier_groups").values({ brand_id: DEMO_BRAND.id, slug: "bad-group", name: "Bad", min_selections: 3, max_selections: 2 }).execute(),
      CHECK,
      "modifier_groups_min_max_check",
    );
    await rejectsWithPg(t.db.updateTable("locations").set({ timezone: "America/Gotham" }).where("id", "=", DEMO_LOCATIONS.denver.id).execute(), CHECK, "locations_timezone_iana");
    await rejectsWithPg(t.db.updateTable("locations").set({ timezone: "EST" }).where("id", "=", DEMO_LOCATIONS.denver.id).execute(), CHECK, "locations_timezone_iana");
    await rejectsWithPg(t.db.insertInto("orders").values(voiceDraft({ location_id: randomUUID() })).execute(), FK, "orders_location_id_fkey");
  });

  it("rejects a special whose variation belongs to another product", async () => {
    const margheritaMedium = await t.db
      .selectFrom("variations")
      .innerJoin("products", "products.id", "variations.product_id")
      .select("variations.id")
      .where("products.slug", "=", "margherita-pizza")
      .where("variations.slug", "=", "medium")
      .executeTakeFirstOrThrow();
    await rejectsWithPg(
      t.db
        .insertInto("specials")
        .values({
          brand_id: DEMO_BRAND.id,
          slug: "mismatched",
          name: "Mismatched",
          description: "x",
          days_of_week: [1],
          product_id: DEMO_MENU.largePepperoni.productId,
          variation_id: margheritaMedium.id,
          special_price_cents: 100,
        })
        .execute(),
      FK,
      "specials_variation_fkey",
    );
  });

  it("rejects opening hours that are half specified", async () => {
    await rejectsWithPg(
      t.db.insertInto("location_hours").values({ location_id: DEMO_LOCATIONS.denver.id, weekday: 2, opens_at: "09:00", closes_at: null }).execute(),
      CHECK,
      "location_hours_interval_check",
    );
    await rejectsWithPg(
      t.db.insertInto("location_hours").values({ location_id: DEMO_LOCATIONS.denver.id, weekday: 8 as never, opens_at: "09:00", closes_at: "10:00" }).execute(),
      CHECK,
      "location_hours_weekday_check",
    );
  });

  it("keeps updated_at current on change", async () => {
    const before = await t.db.selectFrom("customers").select("updated_at").where("id", "=", DEMO_CUSTOMERS.priya.id).executeTakeFirstOrThrow();
    await t.db.updateTable("customers").set({ rewards_points: 301 }).where("id", "=", DEMO_CUSTOMERS.priya.id).execute();
    const after = await t.db.selectFrom("customers").select("updated_at").where("id", "=", DEMO_CUSTOMERS.priya.id).executeTakeFirstOrThrow();
    assert.ok(after.updated_at > before.updated_at);
  });
});
