import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@orderline/testing";

export const GATEWAY_DIR = join(REPO_ROOT, "services/telephony-gateway");

/**
 * The gateway's start command exactly as `pnpm start` (and the image) runs it — the package.json start script,
 * with its V8 and compile-cache settings — with this Node binary and `extraNodeArgs` (e.g. "--cpu-prof") added.
 * Run it with `sh -c "exec …"` in GATEWAY_DIR: the pid is the gateway's own.
 */
export function gatewayStartCommand(extraNodeArgs = ""): string {
  const start: string = JSON.parse(readFileSync(join(GATEWAY_DIR, "package.json"), "utf8")).scripts.start;
  if (!/(^|\s)node\s/.test(start)) throw new Error(`the gateway's start script does not run node: ${start}`);
  return start.replace(/(^|\s)node\s/, `$1${process.execPath} ${extraNodeArgs} `.replace(/\s+$/, " "));
}
