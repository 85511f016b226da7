import { useCallback, useEffect, useState } from "react";
import { api, apiPath, describeError } from "../api.ts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { formatCents, formatLocalTime, locationName, words } from "../format.ts";
import { timezoneOf, useSession } from "../session.tsx";
import type { BoardAnswer, BoardOrder, OrderEvent } from "../types.ts";

const READY_FROM = new Set(["submitted", "in_progress"]);
/** A live stream the server refused or ended for good is opened again after this long (the board read first). */
const REOPEN_MS = 5_000;
type Live = "connecting" | "live" | "reconnecting";
const LIVE_TEXT: Record<Live, string> = { connecting: "Connecting to live updates…", live: "Live: new orders and changes appear here", reconnecting: "Reconnecting to live updates…" };

/** Today's orders of the scope by state; the order service's events move them live (server-sent events). */
export function BoardPage() {
  const { user, scope } = useSession();
  const [board, setBoard] = useState<BoardAnswer>();
  const [error, setError] = useState<string>();
  const [live, setLive] = useState<Live>("connecting");
  /** Bumped to open the live stream again after the browser gave up on it. */
  const [attempt, setAttempt] = useState(0);

  const load = useCallback(() => {
    api.get<BoardAnswer>(apiPath("/api/orders/board", { locationId: scope })).then(
      (b) => {
        setBoard(b);
        setError(undefined);
      },
      (err: unknown) => setError(`The orders could not be loaded. ${describeError(err)}`),
    );
  }, [scope]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt opens the stream again
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
    let reopen: ReturnType<typeof setTimeout> | undefined;
    source.onerror = () => {
      setLive("reconnecting");
      // A dropped stream is retried by the browser itself; one answered with an error status (session over, no
      // access, server fault) is closed for good: read the board (a 401 there signs out) and open it again later.
      if (source.readyState === EventSource.CLOSED && reopen === undefined) {
        load();
        reopen = setTimeout(() => setAttempt((a) => a + 1), REOPEN_MS);
      }
    };
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
    return () => {
      clearTimeout(reopen);
      source.close();
    };
  }, [scope, load, attempt]);

  const markReady = async (order: BoardOrder) => {
    try {
      await api.post(`/api/orders/${order.id}/ready`);
      setBoard((b) => b && { ...b, orders: b.orders.map((o) => (o.id === order.id ? { ...o, state: "ready" } : o)) });
      setError(undefined);
    } catch (err) {
      setError(`Order #${order.orderNumber} could not be marked ready: ${describeError(err)}`);
    }
  };

  const showLocation = !scope && user.locations.length > 1;
  return (
    <>
      <h1>Order board</h1>
      <p role="status" className={`live live-${live}`}>
        {LIVE_TEXT[live]}
      </p>
      {error && <ErrorNotice message={error} retry={load} />}
      {!board && !error && <p aria-busy="true">Loading orders…</p>}
      {board?.orders.length === 0 && <p className="empty">No orders yet today.</p>}
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
        submitted {formatLocalTime(order.submittedAt, timezone, { date: false })}
        {order.promisedAt ? ` · promised ${formatLocalTime(order.promisedAt, timezone, { date: false })}` : ""}
        {order.readyAt ? ` · ready ${formatLocalTime(order.readyAt, timezone, { date: false })}` : ""}
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
