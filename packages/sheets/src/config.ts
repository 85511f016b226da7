import { formatIssues } from "@orderline/contracts";
import { google, type sheets_v4 } from "googleapis";
import { z } from "zod";

/** The scope the adapter asks for: read and write the sheets shared with the service account. */
export const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";

/** A Google Cloud service-account key file (the JSON downloaded from the console); only what signing needs. */
const ServiceAccountKey = z.object({
  type: z.literal("service_account", { error: 'must be "service_account" (a service-account key file)' }),
  client_email: z.email({ error: "must be the service account's e-mail address" }),
  private_key: z.string().includes("PRIVATE KEY", { error: "must be the PEM private key of the key file" }),
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
});

/** A fixed OAuth2 access token (tests and short scripts): sent as `Authorization: Bearer …`, never refreshed. */
const AccessToken = z.object({ accessToken: z.string().min(1, "must not be empty") });

/** The key file may come as text (an environment variable holding the JSON). */
const Credentials = z.preprocess((value, ctx) => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    ctx.issues.push({ code: "custom", input: value, message: "is not JSON (expected the service-account key file's contents)" });
    return z.NEVER;
  }
}, z.union([ServiceAccountKey, AccessToken], { error: "must be a service-account key (JSON) or { accessToken }" }));

export const SheetConfigSchema = z.strictObject({
  /** The OrderLine location whose orders the sheet holds (its menu and country are used). */
  locationId: z.uuid({ error: "must be the location's id (a UUID)" }),
  /** The id in the sheet's URL: https://docs.google.com/spreadsheets/d/<spreadsheetId>/edit. */
  spreadsheetId: z.string().regex(/^[A-Za-z0-9_-]{10,}$/, "must be the id from the sheet's URL (letters, digits, - and _)"),
  /** The tab's title (default "Sheet1"). */
  sheetName: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").default("Sheet1"),
  credentials: Credentials,
  /** Where the API is (default Google's); an emulator sits at its host root (docs/PROTOCOLS.md §14). */
  rootUrl: z.url({ error: "must be a URL" }).optional(),
});

export type SheetConfig = z.output<typeof SheetConfigSchema>;
export type SheetConfigInput = z.input<typeof SheetConfigSchema>;

/** The sheet configuration is unusable; the message names every problem. */
export class SheetConfigError extends Error {
  override name = "SheetConfigError";
}

/** Validates one location's sheet configuration (throws SheetConfigError saying what is wrong). */
export function parseSheetConfig(input: unknown): SheetConfig {
  const r = SheetConfigSchema.safeParse(input);
  if (!r.success) throw new SheetConfigError(`invalid Google Sheets configuration: ${formatIssues(r.error.issues, "configuration")}`);
  return r.data;
}

/** The key of one tab in external references and the pending set: `<spreadsheet id>/<tab title>`. */
export function sheetIdOf(config: Pick<SheetConfig, "spreadsheetId" | "sheetName">): string {
  return `${config.spreadsheetId}/${config.sheetName}`;
}

/**
 * The official client for the configured sheet: a service account signs its own tokens (JWT), a fixed token is
 * sent as it is. The client's own retries are off: the adapter retries reads and writes alike (api.ts).
 */
export function sheetsClient(config: SheetConfig): sheets_v4.Sheets {
  const c = config.credentials;
  const auth =
    "accessToken" in c
      ? (() => {
          const oauth = new google.auth.OAuth2();
          oauth.setCredentials({ access_token: c.accessToken });
          return oauth;
        })()
      : new google.auth.JWT({ email: c.client_email, key: c.private_key, scopes: [SHEETS_SCOPE], ...(c.private_key_id ? { keyId: c.private_key_id } : {}) });
  return google.sheets({ version: "v4", auth, retry: false, ...(config.rootUrl ? { rootUrl: config.rootUrl } : {}) });
}
