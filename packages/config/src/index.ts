export { ConfigError, type ConfigIssue } from "./config-error.ts";
export * from "./fields.ts";
export { EX_CONFIG, loadConfigOrExit } from "./load.ts";
export { type Env, parseEnv } from "./parse-env.ts";
