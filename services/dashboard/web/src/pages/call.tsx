import { Link } from "wouter";
import { useApi } from "../api.ts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { formatCents, formatLocalTime, formatMicros, formatSeconds, locationName, words } from "../format.ts";
import { timezoneOf, useSession } from "../session.tsx";
import type { CallDetail, CallOrder, TimelineEntry } from "../types.ts";

const ROLE_NAMES = { caller: "Caller", assistant: "Assistant", system: "System", staff: "Staff" } as const;

function sentimentWord(score: number): string {
  return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
}

/** Turn by turn: what was said (redacted), the tool calls with arguments, result and latency, notable events. */
function Timeline({ entries, timezone }: { entries: TimelineEntry[]; timezone: string | undefined }) {
  if (entries.length === 0) return <p className="empty">No transcript was stored for this call.</p>;
  return (
    <ol className="timeline" aria-label="Transcript">
      {entries.map((e, i) => {
        const at = e.at ? formatLocalTime(e.at, timezone, { date: false, seconds: true }) : "";
        if (e.kind === "turn") {
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is fixed once stored
            <li key={i} className={`turn role-${e.role}`}>
              <span className="who">{ROLE_NAMES[e.role]}</span> <time>{at}</time>
              <p>{e.text}</p>
              {e.sentiment !== null && (
                <span className={`badge sentiment-${sentimentWord(e.sentiment)}`}>
                  sentiment {e.sentiment > 0 ? "+" : ""}
                  {e.sentiment} ({sentimentWord(e.sentiment)})
                </span>
              )}
            </li>
          );
        }
        if (e.kind === "tool") {
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is fixed once stored
            <li key={i} className={`tool ${e.ok ? "ok" : "failed"}`} aria-label={`Tool call ${e.name}`}>
              <span className="who">Tool call</span> <code className="tool-name">{e.name}</code> <time>{at}</time>
              <dl>
                <dt>Arguments</dt>
                <dd>
                  <code>{JSON.stringify(e.arguments)}</code>
                </dd>
                <dt>Result</dt>
                <dd>{e.result ?? "—"}</dd>
                <dt>Latency</dt>
                <dd>{e.latencyMs === null ? "—" : `${e.latencyMs} ms`}</dd>
              </dl>
            </li>
          );
        }
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is fixed once stored
          <li key={i} className="event">
            <span className="who">Event</span> <strong>{words(e.type)}</strong> <time>{at}</time>
            {Object.keys(e.data).length > 0 && <code className="event-data">{JSON.stringify(e.data)}</code>}
          </li>
        );
      })}
    </ol>
  );
}

function Order({ order }: { order: CallOrder }) {
  return (
    <section className="order" aria-label={`Order #${order.orderNumber}`}>
      <h3>
        Order #{order.orderNumber} <span className={`badge state-${order.state}`}>{words(order.state)}</span>
      </h3>
      <p>
        {words(order.orderType)} for {order.customerName ?? "—"} ({order.customerPhone ?? "no number"})
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Qty</th>
            <th scope="col">Price</th>
            <th scope="col">Line total</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: order lines have no id of their own here
            <tr key={i}>
              <td>
                {l.name}
                {l.size ? ` (${l.size})` : ""}
              </td>
              <td>{l.quantity}</td>
              <td>{formatCents(l.unitPriceCents)}</td>
              <td>{formatCents(l.lineTotalCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Subtotal {formatCents(order.subtotalCents)} · discount {formatCents(order.discountCents)} · tax {formatCents(order.taxCents)} · delivery{" "}
        {formatCents(order.deliveryFeeCents)} · <strong>total {formatCents(order.totalCents)}</strong>
      </p>
    </section>
  );
}

/** One call: summary, cost, escalation and callback, the order(s), the transcript with tool calls inline. */
export function CallPage({ id }: { id: string }) {
  const { user } = useSession();
  const { data: call, error, reload } = useApi<CallDetail>(`/api/calls/${encodeURIComponent(id)}`);
  if (error) {
    return (
      <>
        <h1>Call</h1>
        <ErrorNotice message={error} retry={reload} />
        <Link href="/calls">Back to the calls</Link>
      </>
    );
  }
  if (!call) return <p aria-busy="true">Loading the call…</p>;
  const tz = timezoneOf(user, call.locationId);
  return (
    <>
      <p>
        <Link href="/calls">← Calls</Link>
      </p>
      <h1>
        Call from {call.from} — {formatLocalTime(call.startedAt, tz)}
      </h1>
      <dl className="facts">
        <dt>Location</dt>
        <dd>{locationName(user.locations, call.locationId)}</dd>
        <dt>Outcome</dt>
        <dd>
          <span className={`badge outcome-${call.outcome}`}>{words(call.outcome)}</span> {call.endReason ? `(${words(call.endReason)})` : ""}
        </dd>
        <dt>Duration</dt>
        <dd>{formatSeconds(call.durationSeconds)}</dd>
        <dt>Transfer reason</dt>
        <dd>{words(call.transferReason)}</dd>
        <dt>Engines</dt>
        <dd>{call.engines.map(words).join(", ") || "—"}</dd>
        <dt>Cost</dt>
        <dd>
          {formatMicros(call.cost.totalMicros)} (telephony {formatMicros(call.cost.telephonyMicros)}, AI {formatMicros(call.cost.aiMicros)})
        </dd>
        <dt>Call SID</dt>
        <dd>
          <code>{call.callSid}</code>
        </dd>
        {call.survey && (
          <>
            <dt>Survey</dt>
            <dd>{call.survey.score === null ? words(call.survey.state) : `${call.survey.score} / 5`}</dd>
          </>
        )}
      </dl>
      {call.escalation && (
        <section aria-label="Escalation" className="note">
          <h2>Handed to staff: {words(call.escalation.reason)}</h2>
          <p>{call.escalation.summary ?? call.escalation.detail ?? ""}</p>
        </section>
      )}
      {call.callback && (
        <section aria-label="Callback request" className="note">
          <h2>Callback request ({words(call.callback.state)})</h2>
          <p>{call.callback.summary ?? ""}</p>
        </section>
      )}
      <h2>Orders</h2>
      {call.orders.length === 0 ? <p className="empty">No order was placed on this call.</p> : call.orders.map((o) => <Order key={o.id} order={o} />)}
      <h2>Transcript</h2>
      <Timeline entries={call.timeline} timezone={tz} />
    </>
  );
}
