import { readFile } from "node:fs/promises";
import { describeIssues } from "@orderline/contracts";
import { type Kysely, sql } from "kysely";
import { parseDocument } from "yaml";
import type { Database, TableName } from "../schema.ts";
import { seedUuid } from "../seed/ids.ts";
import { type OwnedScope, TABLE_KEYS, type WriteSummary, writeRows } from "../seed/upsert.ts";
import { ChainFile } from "./chain-file.ts";
import { buildChainRows, type IdKind } from "./chain-rows.ts";
import { keyOf } from "./references.ts";

/** A chain file that cannot be imported: one line per problem, each naming the field (`locations[1].hours.mon: …`). */
export class ChainFileError extends Error {
  override readonly name = "ChainFileError";
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Parses and validates a chain file's text (YAML, or JSON, which is YAML too). Throws `ChainFileError`. */
export function parseChainFile(text: string, source = "chain file"): ChainFile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ChainFileError(source, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`));
  const result = ChainFile.safeParse(doc.toJS());
  if (!result.success) throw new ChainFileError(source, describeIssues(result.error.issues, { indexes: "brackets", empty: "(file)" }).map((l) => `${l.path}: ${l.message}`));
  return result.data;
}

export async function readChainFile(path: string): Promise<ChainFile> {
  return parseChainFile(await readFile(path, "utf8"), path);
}


export type ImportSummary = WriteSummary & {
  brand: { id: string; slug: string; name: string };
  locations: { id: string; slug: string; name: string; numbers: string[] }[];
  /** Rows of the brand no longer in the file, now inactive (their history stays). */
  hidden: { locations: number; products: number; specials: number };
};

/** Existing ids of the brand's rows by natural key ("product:pepperoni-pizza", "variation:pepperoni-pizza/large"). */
async function existingIds(db: Kysely<Database>, brandSlug: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const brand = await db.selectFrom("brands").select("id").where("slug", "=", brandSlug).executeTakeFirst();
  if (!brand) return ids;
  ids.set(`brand:${brandSlug}`, brand.id);
  const bySlug = [
    ["location", "locations"],
    ["category", "categories"],
    ["product", "products"],
    ["ingredient", "ingredients"],
    ["group", "modifier_groups"],
    ["special", "specials"],
  ] as const;
  for (const [kind, table] of bySlug) {
    for (const r of await db.selectFrom(table).select(["id", "slug"]).where("brand_id", "=", brand.id).execute()) ids.set(`${kind}:${r.slug}`, r.id);
  }
  const variations = await db.selectFrom("variations as v").innerJoin("products as p", "p.id", "v.product_id").select(["v.id", "v.slug", "p.slug as parent"]).where("p.brand_id", "=", brand.id).execute();
  for (const r of variations) ids.set(`variation:${r.parent}/${r.slug}`, r.id);
  const modifiers = await db.selectFrom("modifiers as m").innerJoin("modifier_groups as g", "g.id", "m.modifier_group_id").select(["m.id", "m.slug", "g.slug as parent"]).where("g.brand_id", "=", brand.id).execute();
  for (const r of modifiers) ids.set(`modifier:${r.parent}/${r.slug}`, r.id);
  return ids;
}

/** A number the file routes here that the database routes to another brand's location: said before anything is written. */
async function numbersTakenElsewhere(db: Kysely<Database>, file: ChainFile, brandId: string): Promise<string[]> {
  const wanted = file.locations.flatMap((l, li) => [l.phone, ...l.numbers, ...(l.outboundNumber ? [l.outboundNumber] : [])].map((n) => [n, li] as const));
  if (wanted.length === 0) return [];
  const taken = await db
    .selectFrom("phone_numbers as n")
    .innerJoin("locations as l", "l.id", "n.location_id")
    .select(["n.e164", "l.slug"])
    .where("n.e164", "in", wanted.map(([n]) => n))
    .where("l.brand_id", "<>", brandId)
    .execute();
  return taken.map((t) => `locations[${wanted.find(([n]) => n === t.e164)![1]}]: ${t.e164} is already routed to location "${t.slug}" of another brand`);
}

/**
 * Writes the chain in one transaction. Idempotent: rows are found by natural key (brand slug, then each
 * location's, category's, item's, size's … slug) and keep their ids; unchanged rows are not touched, so a
 * second import of the same file changes nothing. Locations, items and specials of the brand that the file no
 * longer lists are made inactive, never deleted (orders and calls keep pointing at them). Sizes, modifiers,
 * hours, numbers and staff lines of what the file lists are exactly the file's.
 */
export async function importChain(db: Kysely<Database>, file: ChainFile): Promise<ImportSummary> {
  const brandSlug = keyOf(file.brand);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`orderline:import-chain:${brandSlug}`}))`.execute(trx);
    const existing = await existingIds(trx, brandSlug);
    const idOf = (kind: IdKind, key: string) => existing.get(`${kind}:${key}`) ?? seedUuid(`chain:${brandSlug}:${kind}:${key}`);
    const rows = buildChainRows(file, idOf);
    const brandId = rows.brands![0]!.id as string;
    const taken = await numbersTakenElsewhere(trx, file, brandId);
    if (taken.length > 0) throw new ChainFileError("chain file", taken);

    const ids = (t: TableName) => (rows[t] ?? []).map((r) => (r as { id: string }).id);
    const locationIds = ids("locations");
    const productIds = ids("products");
    const owned: OwnedScope[] = [
      { table: "location_hours", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "location_hour_exceptions", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "phone_numbers", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "location_staff_lines", column: "location_id", values: locationIds, keys: ["id"] },
      { table: "staff_line_hours", column: "staff_line_id", values: ids("location_staff_lines"), keys: ["id"] },
      { table: "variations", column: "product_id", values: productIds, keys: ["id"] },
      { table: "modifiers", column: "modifier_group_id", values: ids("modifier_groups"), keys: ["id"] },
      { table: "product_modifier_groups", column: "product_id", values: productIds, keys: ["product_id", "modifier_group_id"] },
      { table: "product_ingredients", column: "product_id", values: productIds, keys: ["product_id", "ingredient_id"] },
      { table: "location_variation_prices", column: "location_id", values: locationIds, keys: ["location_id", "variation_id"] },
    ];
    const written = await writeRows(trx, rows, TABLE_KEYS.filter(([t]) => rows[t] !== undefined), owned, (table, reason, cause) => new Error(`importing ${table} failed: ${reason}`, { cause }));

    const hide = async (table: "locations" | "products" | "specials", keep: string[]) => {
      let q = trx.updateTable(table).set({ active: false }).where("brand_id", "=", brandId).where("active", "=", true);
      if (keep.length > 0) q = q.where("id", "not in", keep);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    };
    const hidden = { locations: await hide("locations", locationIds), products: await hide("products", productIds), specials: await hide("specials", ids("specials")) };
    return {
      ...written,
      brand: { id: brandId, slug: brandSlug, name: file.brand.name },
      locations: file.locations.map((l, i) => ({ id: locationIds[i]!, slug: keyOf(l), name: l.name, numbers: [l.phone, ...l.numbers] })),
      hidden,
    };
  });
}
