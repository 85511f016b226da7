export { DEFAULT_MODEL_PRICES, mergeDotenv, OneboxEnv, parseOneboxEnv } from "./env.ts";
export { ensureLocalInfra, type LoadChoice, type PreparedDatabase, prepareDatabase } from "./prepare.ts";
export { hasDashboard, REPO_ROOT, type ServiceName, STOP_ORDER, serviceSpecs } from "./services.ts";
export { consoleInstructions, dashboardInstructions, type RoutedNumber, type WebhookUrls, webhookUrls } from "./urls.ts";
