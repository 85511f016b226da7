import type { MenuIngredientStock, MenuItemStock, MenuStockResult } from "@orderline/contracts";
import { type FormEvent, useState } from "react";
import { api, apiPath, describeError, useApi } from "../api.ts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { formatLocalTime, words } from "../format.ts";
import { scopeLocations, useSession } from "../session.tsx";

interface MenuEvent {
  id: string;
  action: string;
  name: string;
  quantityBefore: number | null;
  quantityAfter: number | null;
  actor: string;
  note: string | null;
  at: string;
}

const REASONS: Record<string, string> = { sold_out: "sold out", ingredient_out_of_stock: "ingredient out", outside_serving_hours: "outside serving hours" };

/** 86 an item or an ingredient at one location and back, ingredient counts; each change reaches the next tool call of every live call. */
export function MenuPage() {
  const { user, scope } = useSession();
  const location = scope ? scopeLocations(user, scope)[0] : undefined;
  if (!location) {
    return (
      <>
        <h1>Menu control</h1>
        <p>Menu control works on one location at a time: pick one with the location picker above.</p>
      </>
    );
  }
  return <LocationMenu locationId={location.id} name={location.name} timezone={location.timezone} />;
}

function LocationMenu({ locationId, name, timezone }: { locationId: string; name: string; timezone: string }) {
  const stock = useApi<MenuStockResult>(apiPath("/api/menu/stock", { locationId }));
  const events = useApi<{ events: MenuEvent[] }>(apiPath("/api/menu/events", { locationId, limit: "20" }));
  const [error, setError] = useState<string>();

  /** A change through the API, then the lists read again (what callers get now). */
  const change = async (path: string, body: Record<string, unknown>) => {
    try {
      await api.post(path, { locationId, ...body });
      setError(undefined);
    } catch (err) {
      setError(describeError(err));
    }
    stock.reload();
    events.reload();
  };

  return (
    <>
      <h1>Menu control — {name}</h1>
      {error && <ErrorNotice message={`The change was not made. ${error}`} />}
      {stock.error && <ErrorNotice message={`The menu could not be loaded. ${stock.error}`} retry={stock.reload} />}
      {!stock.data && !stock.error && <p aria-busy="true">Loading the menu…</p>}
      {stock.data && (
        <>
          <Items items={stock.data.items} change={change} />
          <Ingredients ingredients={stock.data.ingredients} change={change} />
        </>
      )}
      <h2>Recent changes</h2>
      {events.data && events.data.events.length === 0 && <p className="empty">No changes yet.</p>}
      <ul className="changes">
        {events.data?.events.map((e) => (
          <li key={e.id}>
            <time>{formatLocalTime(e.at, timezone)}</time> {words(e.action)}: <strong>{e.name}</strong>
            {e.quantityAfter !== null || e.quantityBefore !== null ? ` (${e.quantityBefore ?? "not counted"} → ${e.quantityAfter ?? "not counted"})` : ""} by {e.actor}
            {e.note ? ` — ${e.note}` : ""}
          </li>
        ))}
      </ul>
    </>
  );
}

type Change = (path: string, body: Record<string, unknown>) => Promise<void>;

function Items({ items, change }: { items: MenuItemStock[]; change: Change }) {
  return (
    <table className="stock">
      <caption>Items</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Category</th>
          <th scope="col">Callers can order it</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.productId} className={i.available ? undefined : "off"}>
            <th scope="row">{i.name}</th>
            <td>{words(i.category)}</td>
            <td>
              {i.available ? "yes" : `no — ${REASONS[i.reason ?? ""] ?? words(i.reason)}`}
              {i.missingIngredients.length > 0 ? ` (${i.missingIngredients.join(", ")})` : ""}
              {i.note ? ` · ${i.note}` : ""}
            </td>
            <td>
              <button type="button" onClick={() => change(`/api/menu/items/${i.productId}/sold-out`, { soldOut: !i.soldOut })}>
                {i.soldOut ? `Put ${i.name} back on` : `86 ${i.name}`}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Ingredients({ ingredients, change }: { ingredients: MenuIngredientStock[]; change: Change }) {
  return (
    <table className="stock">
      <caption>Ingredients</caption>
      <thead>
        <tr>
          <th scope="col">Ingredient</th>
          <th scope="col">In stock</th>
          <th scope="col">Count</th>
          <th scope="col">Used by</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {ingredients.map((g) => (
          <tr key={g.ingredientId} className={g.available ? undefined : "off"}>
            <th scope="row">{g.name}</th>
            <td>{g.inStock ? (g.available ? "yes" : "counted out") : "no (86'd)"}</td>
            <td>
              <CountForm ingredient={g} change={change} />
            </td>
            <td>{g.usedBy.map((u) => u.name).join(", ") || "—"}</td>
            <td>
              <button type="button" onClick={() => change(`/api/menu/ingredients/${g.ingredientId}/in-stock`, { inStock: !g.inStock })}>
                {g.inStock ? `86 ${g.name}` : `${g.name} back in stock`}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The count on hand (empty = not counted here); submitted orders count it down. */
function CountForm({ ingredient: g, change }: { ingredient: MenuIngredientStock; change: Change }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const raw = String(new FormData(e.currentTarget).get("quantity") ?? "").trim();
    void change(`/api/menu/ingredients/${g.ingredientId}/count`, { quantity: raw === "" ? null : Number(raw) });
  };
  const id = `count-${g.ingredientId}`;
  return (
    <form className="count" onSubmit={submit} key={String(g.quantity)}>
      <label htmlFor={id} className="visually-hidden">
        Count of {g.name}
      </label>
      <input id={id} name="quantity" type="number" min={0} max={1_000_000} step={1} defaultValue={g.quantity ?? ""} placeholder="not counted" />
      <button type="submit" aria-label={`Set count of ${g.name}`}>
        Set
      </button>
    </form>
  );
}
