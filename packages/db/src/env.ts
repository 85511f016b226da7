/** Default URL for local work (docs/DEVELOPING.md). */
export const DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/orderline";

/** DATABASE_URL from the environment, or the local default. */
export const databaseUrlFromEnv = (env: NodeJS.ProcessEnv = process.env): string => {
  const url = env["DATABASE_URL"]?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
};
