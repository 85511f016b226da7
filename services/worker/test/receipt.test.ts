import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EVENT_SUBJECTS, type OrderStatusEvent, QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_BRAND, DEMO_LOCATIONS } from "@orderline/db";
import { connectNats, type NatsConnection } from "@orderline/nats";
import { Queue } from "bullmq";
import { insertOrder } from "./support/orders.ts";
import { eventually, startWorkerStack, type WorkerStack } from "./support/worker-stack.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("receipt SMS after a voice order is submitted", () => {
  let stack: WorkerStack;
  let nc: NatsConnection;
  let queue: Queue;
  before(async () => {
    stack = await startWorkerStack();
    nc = await connectNats({ url: stack.kit.natsUrl, name: "receipt-test" });
    queue = new Queue(QUEUES.smsReceipt, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
    await stack.db.db.updateTable("locations").set({ pay_online_url_template: "https://pay.tonys.example/o/{orderId}" }).where("id", "=", NY.id).execute();
  });
  after(async () => {
    await queue?.close();
    await nc?.close();
    await stack?.close();
  });

  const submitted = (orderId: string, orderNumber: number) => {
    const event: OrderStatusEvent = { orderId, locationId: NY.id, orderNumber, from: "draft", to: "submitted", at: new Date().toISOString(), actor: "order-service" };
    nc.publish(EVENT_SUBJECTS.orderStatus(NY.id, "submitted", stack.kit.natsSubjectPrefix), JSON.stringify(event));
  };
  const jobDone = (orderId: string) => eventually(`the receipt job of ${orderId} to be done`, async () => {
    const j = await queue.getJob(`receipt-${orderId}`);
    return j === undefined || (await j.getState()) === "completed";
  });

  test("one text with number, items, total, pickup time and the pay-online link, however often the event comes", async () => {
    const phone = "+14155550131";
    const order = await insertOrder(stack.db, { locationId: NY.id, phone, state: "submitted", orderNumber: 52 });
    submitted(order.id, 52);
    const msg = await eventually("the receipt SMS", async () => stack.cloud.messages.find((m) => m.to === phone));
    // promised_at 23:45 UTC = 6:45 PM in New York.
    assert.equal(
      msg.body,
      [
        "Tony's Pizzeria Midtown: order #52 received.",
        "1 x Large Pepperoni Pizza $18.99",
        "Total $20.68 incl. tax",
        "Pickup at 6:45 PM",
        `Pay online: https://pay.tonys.example/o/${order.id}`,
        "Reply STOP to opt out.",
      ].join("\n"),
    );
    assert.equal(msg.from, "+12125550190", "sent from the location's outbound number");
    await jobDone(order.id);
    submitted(order.id, 52);
    submitted(order.id, 52);
    await eventually("the repeated events' jobs to be done", async () => {
      const rows = await stack.db.db.selectFrom("order_notifications").select(["state", "provider_sid"]).where("order_id", "=", order.id).execute();
      return rows.length === 1 && rows[0]!.state === "sent" && rows[0]!.provider_sid === msg.sid ? rows : undefined;
    });
    await jobDone(order.id);
    assert.equal(stack.cloud.messages.filter((m) => m.to === phone).length, 1);
  });

  test("an opted-out customer gets no text", async () => {
    const phone = "+14155550132";
    await stack.db.db.insertInto("customers").values({ brand_id: DEMO_BRAND.id, phone, sms_opt_out: true }).execute();
    const order = await insertOrder(stack.db, { locationId: NY.id, phone, state: "submitted" });
    submitted(order.id, order.orderNumber);
    await eventually("the receipt job to run", async () =>
      stack.worker
        .logs()
        .split("\n")
        .some((l) => l.includes(order.id) && l.includes('"outcome":"opted out"')),
    );
    assert.equal(stack.cloud.messages.filter((m) => m.to === phone).length, 0);
    const rows = await stack.db.db.selectFrom("order_notifications").select("id").where("order_id", "=", order.id).execute();
    assert.equal(rows.length, 0);
  });
});
