import { seedCallSid, seedUuid } from "./ids.ts";

export const DEMO_BRAND = {
  id: seedUuid("brand:tonys-pizzeria"),
  slug: "tonys-pizzeria",
  name: "Tony's Pizzeria",
} as const;

export interface DemoLocation {
  key: "newYork" | "chicago" | "denver";
  id: string;
  slug: string;
  name: string;
  /** Routed number callers dial (E.164); also the location's public phone. */
  phone: string;
  /** Staff transfer number(s), first = preferred. */
  staffPhones: readonly string[];
  timezone: string;
  /** Tax rate in parts per million (88 750 = 8.875 %). */
  taxRatePpm: number;
  city: string;
  postalCode: string;
  deliveryPostalCodes: readonly string[];
  deliveryMinimumCents: number;
  deliveryFeeCents: number;
}

const location = (l: Omit<DemoLocation, "id">): DemoLocation => ({ ...l, id: seedUuid(`location:${l.slug}`) });

/** The three demo locations (two+ timezones), keyed for readable tests: `DEMO_LOCATIONS.newYork.id`. */
export const DEMO_LOCATIONS = {
  newYork: location({
    key: "newYork",
    slug: "tonys-midtown",
    name: "Tony's Pizzeria Midtown",
    phone: "+12125550100",
    staffPhones: ["+12125550101"],
    timezone: "America/New_York",
    taxRatePpm: 88_750,
    city: "New York",
    postalCode: "10019",
    deliveryPostalCodes: ["10019", "10018", "10036", "10020", "10022"],
    deliveryMinimumCents: 1500,
    deliveryFeeCents: 399,
  }),
  chicago: location({
    key: "chicago",
    slug: "tonys-river-north",
    name: "Tony's Pizzeria River North",
    phone: "+13125550100",
    staffPhones: ["+13125550101"],
    timezone: "America/Chicago",
    taxRatePpm: 107_500,
    city: "Chicago",
    postalCode: "60654",
    deliveryPostalCodes: ["60654", "60610", "60611"],
    deliveryMinimumCents: 2000,
    deliveryFeeCents: 499,
  }),
  denver: location({
    key: "denver",
    slug: "tonys-lodo",
    name: "Tony's Pizzeria LoDo",
    phone: "+13035550100",
    staffPhones: ["+13035550101", "+13035550102"],
    timezone: "America/Denver",
    taxRatePpm: 88_100,
    city: "Denver",
    postalCode: "80202",
    deliveryPostalCodes: ["80202", "80205", "80204", "80211"],
    deliveryMinimumCents: 1800,
    deliveryFeeCents: 350,
  }),
} as const satisfies Record<DemoLocation["key"], DemoLocation>;

export const DEMO_LOCATION_LIST: readonly DemoLocation[] = Object.values(DEMO_LOCATIONS);

/** Outbound caller ID (order-ready / confirmation calls) of the New York location. */
export const DEMO_OUTBOUND_PHONE = "+12125550190";

/** Facts about the seeded menu that tests and the demo rely on. */
export const DEMO_MENU = {
  /** The large pepperoni exists everywhere; New York overrides its price. */
  largePepperoni: {
    productId: seedUuid("product:pepperoni-pizza"),
    productSlug: "pepperoni-pizza",
    variationId: seedUuid("variation:pepperoni-pizza:large"),
    variationSlug: "large",
    basePriceCents: 2099,
    priceCentsByLocation: { newYork: 2299, chicago: 2099, denver: 2099 },
  },
  /** One product sold out per location (location_product_overrides.sold_out). */
  soldOutProductSlug: { newYork: "tiramisu", chicago: "lemonade", denver: "zeppole" },
  /** Mushrooms are out of stock in Chicago, which makes these products unavailable there. */
  outOfStock: {
    location: "chicago",
    ingredientSlug: "mushrooms",
    ingredientId: seedUuid("ingredient:mushrooms"),
    unavailableProductSlugs: ["mushroom-pizza", "garden-veggie-pizza", "supreme-pizza"],
  },
  /** Served 11:00–15:00 local only. */
  lunchOnlyProductSlug: "lunch-slice-combo",
  lunchWindow: { start: "11:00:00", end: "15:00:00" },
  /** Products with a single variation (no size to ask). */
  singleVariationProductSlugs: ["caesar-salad", "bottled-water", "tiramisu"],
} as const;

export const DEMO_CUSTOMERS = {
  maria: { id: seedUuid("customer:maria"), phone: "+12125550142", name: "Maria Gonzalez", rewardsPoints: 120 },
  james: { id: seedUuid("customer:james"), phone: "+13125550177", name: "James Carter", rewardsPoints: 45 },
  priya: { id: seedUuid("customer:priya"), phone: "+13035550123", name: "Priya Patel", rewardsPoints: 300 },
} as const;

/** Past (completed) orders of returning customers. */
export const DEMO_PAST_ORDERS = {
  mariaMidtown: {
    id: seedUuid("order:maria-midtown-1"),
    callSid: seedCallSid("maria-midtown-1"),
    locationKey: "newYork",
    customerKey: "maria",
  },
  jamesRiverNorth: {
    id: seedUuid("order:james-river-north-1"),
    callSid: seedCallSid("james-river-north-1"),
    locationKey: "chicago",
    customerKey: "james",
  },
} as const;

/**
 * Dashboard logins of the demo chain (documented in docs/DASHBOARD-API.md; demo only — never deploy these).
 * The manager sees every location; the staff member sees Midtown (New York) only.
 */
export const DEMO_DASHBOARD_USERS = {
  manager: {
    id: seedUuid("dashboard-user:manager"),
    email: "manager@tonys.example",
    password: "demo-manager-pass",
    displayName: "Demo Manager",
    role: "manager",
    locationKeys: [],
  },
  midtownStaff: {
    id: seedUuid("dashboard-user:midtown-staff"),
    email: "staff.midtown@tonys.example",
    password: "demo-staff-pass",
    displayName: "Midtown Staff",
    role: "staff",
    locationKeys: ["newYork"],
  },
} as const satisfies Record<string, { id: string; email: string; password: string; displayName: string; role: "manager" | "staff"; locationKeys: readonly DemoLocation["key"][] }>;
