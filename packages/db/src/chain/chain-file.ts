import { z } from "zod";
import { checkReferences } from "./references.ts";
import { DateText, IntervalText, Name, PartialWeekHours, Phone, Price, Slug, TaxRate, Timezone, WeekHours, Weekday } from "./fields.ts";

/**
 * The chain file (docs/OPERATIONS.md "Chain file"): a real chain's brand, locations and menu. Every `slug` is
 * the row's lasting identity (derived from `name` when left out), so a re-import updates rows in place.
 */

const Aliases = z.array(Name).default([]);
const Allergen = z.string().regex(/^[a-z][a-z -]*$/, "is not an allergen word (lowercase, e.g. \"milk\", \"tree nuts\")");

const Holiday = z
  .strictObject({ date: DateText, closed: z.literal(true).optional(), hours: IntervalText.optional(), reason: z.string().optional() })
  .refine((h) => (h.closed === true) !== (h.hours !== undefined), { error: 'needs either closed: true or hours: "11:00-16:00"' });

const StaffLine = z.strictObject({
  phone: Phone,
  label: Name.optional(),
  /** Texted callback requests. */
  sms: z.boolean().default(true),
  /** When this line answers (default: whenever the location is open). */
  hours: PartialWeekHours.optional(),
});

export const ChainLocation = z.strictObject({
  slug: Slug.optional(),
  name: Name,
  timezone: Timezone,
  address: z.strictObject({
    line1: Name,
    line2: z.string().optional(),
    city: Name,
    region: Name,
    postalCode: Name,
    country: z.string().regex(/^[A-Z]{2}$/, "is not a two-letter country code (e.g. \"US\")").default("US"),
  }),
  crossStreets: z.string().optional(),
  directions: z.string().optional(),
  parking: z.string().optional(),
  /** The number callers dial; routed to this location and said as its phone number. */
  phone: Phone,
  /** More Twilio numbers that ring this location. */
  numbers: z.array(Phone).default([]),
  /** Caller ID of order-ready calls and receipts (a Twilio number of the account). */
  outboundNumber: Phone.optional(),
  taxRate: TaxRate,
  hours: WeekHours,
  holidays: z.array(Holiday).default([]),
  /** Staff phones in the order they are tried on a transfer. */
  staffLines: z.array(StaffLine).default([]),
  delivery: z
    .strictObject({
      postalCodes: z.array(Name).min(1, "lists no postal code"),
      minimum: Price.default(0),
      fee: Price.default(0),
      extraMinutes: z.number().int().min(0).max(240).default(20),
    })
    .optional(),
  prepMinutes: z.number().int().min(1).max(240).default(20),
  greeting: z.string().optional(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "is not a language tag (e.g. \"en-US\")").default("en-US"),
  recordingNotice: z.boolean().default(true),
  maxConcurrentCalls: z.number().int().min(1).max(1000).default(5),
  /** Prices of this location that differ from the menu: "item" or "item/size" → price. */
  prices: z.record(z.string(), Price).default({}),
});

const Size = z.strictObject({ slug: Slug.optional(), name: Name, aliases: Aliases, price: Price, default: z.boolean().default(false) });

export const ChainItem = z
  .strictObject({
    slug: Slug.optional(),
    name: Name,
    description: z.string().optional(),
    aliases: Aliases,
    /** One price for an item with no sizes… */
    price: Price.optional(),
    /** …or its sizes (variations), each with its price. */
    sizes: z.array(Size).min(1, "lists no size").optional(),
    /** Ingredient slugs (their allergens become the item's). */
    ingredients: z.array(Slug).default([]),
    /** Allergens besides the ingredients' own. */
    allergens: z.array(Allergen).default([]),
    /** Modifier group slugs offered with this item, in order. */
    groups: z.array(Slug).default([]),
    /** Ingredients a caller may ask to leave off (or have extra of). */
    removable: z.array(z.union([Slug, z.strictObject({ ingredient: Slug, name: Name.optional(), extraPrice: Price.optional() })])).default([]),
    /** Only served in this window of the day, e.g. "11:00-15:00". */
    servingWindow: IntervalText.optional(),
  })
  .refine((i) => (i.price === undefined) !== (i.sizes === undefined), { error: "needs either price (one size) or sizes, not both and not neither" });

const Modifier = z.strictObject({
  slug: Slug.optional(),
  name: Name,
  aliases: Aliases,
  price: Price.default(0),
  /** Price of "extra …"; leave out when extra is not offered. */
  extraPrice: Price.optional(),
  ingredient: Slug.optional(),
  default: z.boolean().default(false),
});

const ModifierGroup = z
  .strictObject({ slug: Slug.optional(), name: Name, min: z.number().int().min(0).default(0), max: z.number().int().min(1), modifiers: z.array(Modifier).min(1, "lists no modifier") })
  .refine((g) => g.min <= g.max, { error: "min is more than max", path: ["min"] });

const Special = z
  .strictObject({
    slug: Slug.optional(),
    name: Name,
    description: Name,
    /** A location slug; left out = every location. */
    location: Slug.optional(),
    days: z.union([z.literal("every day"), z.array(Weekday).min(1, "lists no day")]),
    window: IntervalText.optional(),
    from: DateText.optional(),
    until: DateText.optional(),
    item: Slug,
    size: Slug.optional(),
    price: Price,
  })
  .refine((s) => !s.from || !s.until || s.from <= s.until, { error: "from is after until", path: ["until"] });

export const ChainFile = z
  .strictObject({
    brand: z.strictObject({ slug: Slug.optional(), name: Name }),
    locations: z.array(ChainLocation).min(1, "lists no location"),
    menu: z.strictObject({
      ingredients: z.array(z.strictObject({ slug: Slug.optional(), name: Name, allergens: z.array(Allergen).default([]) })).default([]),
      modifierGroups: z.array(ModifierGroup).default([]),
      categories: z.array(z.strictObject({ slug: Slug.optional(), name: Name, description: z.string().optional(), items: z.array(ChainItem).min(1, "lists no item") })).min(1, "lists no category"),
      specials: z.array(Special).default([]),
    }),
  })
  .superRefine(checkReferences);

export type ChainFile = z.output<typeof ChainFile>;
export type ChainLocation = z.output<typeof ChainLocation>;
export type ChainItem = z.output<typeof ChainItem>;
