export * from "./admin.ts";
export * from "./confirmation.ts";
export * from "./db.ts";
export * from "./env.ts";
export * from "./migrate.ts";
export * from "./notify.ts";
export * from "./schema.ts";
export * from "./seed/index.ts";
