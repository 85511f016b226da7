import { useCallback, useEffect, useState } from "react";
import { api, apiPath } from "../api.ts";
import { formatCents, formatLocalTime, locationName, words } from "../format.ts";
import { timezoneOf, useSession } from "../session.tsx";
import type { BoardAnswer, BoardOrder, OrderEvent } from "../types.ts";

const READY_FROM = new Set(["submitted", "in_progress"]);
type Live = "connecting" | "live" | "reconnecting";
const LIVE_TEXT: Record<Live, string> = { connecting: "Connecting to live updates…", live: "Live: new orders and changes appear here", reconnecting: "Reconnecting to live updates…" };

/** Today's orders of the scope by state; the order service's events move them live (server-sent events). */
export function BoardPage() {
  const { user, scope } = useSession();
  const [board, setBoard] = useState<BoardAnswer>();
  const [error, setError] = useState<string>();
  const [live, setLive] = useState<Live>("connecting");

  const load = useCallback(() => {
    api.get<BoardAnswer>(apiPath("/api/orders/board", { locationId: scope })).then(
      (b) => {
        setBoard(b);
        setError(undefined);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [scope]);

  useEffect(() => {
    load();
    const source = new EventSource(apiPath("/api/orders/stream", { locationId: scope }));
    let opened = false;
    source.onopen = () => {
      setLive("live");
      // Events sent while disconnected are not replayed: read the board again after a reconnect.
      if (opened) load();
      opened = true;
    };
    source.onerror = () => setLive("reconnecting");
    source.addEventListener("order", (msg) => {
      const event = JSON.parse((msg as MessageEvent<string>).data) as OrderEvent;
      if (!event.order) return load();
      const order = event.order;
      setBoard((b) => {
        if (!b) return b;
        const today = b.days.some((d) => d.locationId === order.locationId && d.date === order.businessDate);
        const rest = b.orders.filter((o) => o.id !== order.id);
        return { ...b, orders: today ? [...rest, order].sort(bySubmitted) : rest };
      });
    });
    return () => source.close();
  }, [scope, load]);

  const markReady = async (order: BoardOrder) => {
    try {
      await api.post(`/api/orders/${order.id}/ready`);
      setBoard((b) => b && { ...b, orders: b.orders.map((o) => (o.id === order.id ? { ...o, state: "ready" } : o)) });
      setError(undefined);
    } catch (err) {
      setError(`Order #${order.orderNumber} could not be marked ready: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const showLocation = !scope && user.locations.length > 1;
  return (
    <>
      <h1>Order board</h1>
      <p role="status" className={`live live-${live}`}>
        {LIVE_TEXT[live]}
      </p>
      {error && <p role="alert">{error}</p>}
      {!board && !error && <p aria-busy="true">Loading orders…</p>}
      {board && (
        <div className="board">
          {board.states.map((state) => {
            const orders = board.orders.filter((o) => o.state === state);
            return (
              <section key={state} aria-labelledby={`col-${state}`} className={`column column-${state}`}>
                <h2 id={`col-${state}`}>
                  {words(state)} <span className="count">({orders.length})</span>
                </h2>
                <ul>
                  {orders.map((o) => (
                    <li key={o.id}>
                      <OrderCard order={o} timezone={timezoneOf(user, o.locationId)} location={showLocation ? locationName(user.locations, o.locationId) : undefined} onReady={markReady} />
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}

const bySubmitted = (a: BoardOrder, b: BoardOrder) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? "") || a.orderNumber - b.orderNumber;

function OrderCard({ order, timezone, location, onReady }: { order: BoardOrder; timezone: string | undefined; location: string | undefined; onReady: (o: BoardOrder) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <article className="card" aria-label={`Order #${order.orderNumber}`}>
      <h3>
        #{order.orderNumber} {order.customerName ?? ""}
      </h3>
      <p className="meta">
        {words(order.orderType)} · {words(order.channel)} · {formatCents(order.totalCents)}
        {location ? ` · ${location}` : ""}
      </p>
      <p className="meta">
        submitted {formatLocalTime(order.submittedAt, timezone, false)}
        {order.promisedAt ? ` · promised ${formatLocalTime(order.promisedAt, timezone, false)}` : ""}
        {order.readyAt ? ` · ready ${formatLocalTime(order.readyAt, timezone, false)}` : ""}
      </p>
      <ul className="lines">
        {order.lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: order lines have no id of their own here
          <li key={i}>
            {l.quantity} × {l.name}
            {l.size ? ` (${l.size})` : ""}
          </li>
        ))}
      </ul>
      {order.readyCallOutcome && <p className="meta">ready call: {words(order.readyCallOutcome)}</p>}
      {READY_FROM.has(order.state) && (
        <button
          type="button"
          disabled={busy}
          aria-label={`Mark order #${order.orderNumber} ready`}
          onClick={() => {
            setBusy(true);
            onReady(order).finally(() => setBusy(false));
          }}
        >
          Mark ready
        </button>
      )}
    </article>
  );
}
