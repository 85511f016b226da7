import { createServer, type IncomingMessage, type Server } from "node:http";
import { closeServer, listenOnLoopback } from "./loopback-server.ts";
import { type WebSocket, WebSocketServer } from "ws";
import { id, type RealtimeEmulatorOptions, sleep, type Violation } from "./realtime-schemas.ts";
import { normalizeTurn, type ScriptTurnInput } from "./realtime-script.ts";
import { RealtimeSession } from "./realtime-session.ts";
import { Waiters } from "./waiters.ts";

export { guessByteFormat, modelAudio } from "./realtime-audio.ts";
export type { AudioFormat, RealtimeEmulatorOptions, Violation } from "./realtime-schemas.ts";
export { RealtimeSession } from "./realtime-session.ts";

/** The emulated OpenAI Realtime API (GA) at ws://127.0.0.1:PORT/v1/realtime. */
export class RealtimeEmulator {
  readonly sessions: RealtimeSession[] = [];
  /** Connection attempts refused at the HTTP upgrade or closed at once (beta header). */
  readonly rejected: { reason: string; status: number | undefined }[] = [];
  private readonly scripts: ScriptTurnInput[][] = [];
  private defaultScript: ScriptTurnInput[] = [];
  private readonly opts: RealtimeEmulatorOptions;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private base = "";
  private readonly waiters = new Waiters();
  private readonly emulatorViolations: Violation[] = [];
  /** Upgrades still to refuse with an outage answer (see `refuseConnections`). */
  private outage = 0;

  constructor(opts: RealtimeEmulatorOptions = {}) {
    this.opts = opts;
  }

  /** ws://127.0.0.1:PORT/v1/realtime — point the gateway's OPENAI_REALTIME_URL here. */
  get url(): string {
    if (!this.base) throw new Error("RealtimeEmulator is not started: `await startRealtimeEmulator()`");
    return `${this.base}/v1/realtime`;
  }

  /** Script for the next session that connects (queue them for reconnect tests). */
  script(turns: ScriptTurnInput[]): this {
    turns.forEach(normalizeTurn);
    this.scripts.push(turns);
    return this;
  }

  /** Script used when no queued script is left. */
  setDefaultScript(turns: ScriptTurnInput[]): this {
    turns.forEach(normalizeTurn);
    this.defaultScript = turns;
    return this;
  }

  /** All protocol violations, over every session. */
  get violations(): Violation[] {
    return [...this.emulatorViolations, ...this.sessions.flatMap((s) => s.violations)];
  }

  /** Fails (throws) with a readable list if the client broke the protocol anywhere. */
  assertNoViolations(): void {
    const v = this.violations;
    if (v.length > 0) throw new Error(`Realtime protocol violations (${v.length}):\n${v.map((x) => `  - [${x.kind}] ${x.message} (${x.sessionId})`).join("\n")}`);
  }

  /** Resolves with session number `index` (0-based) once it has connected. */
  async waitForSession(index = 0, timeoutMs = 10_000): Promise<RealtimeSession> {
    await this.waiters.until(
      () => this.sessions[index] !== undefined,
      timeoutMs,
      () => new Error(`no Realtime session #${index} within ${timeoutMs} ms (${this.sessions.length} so far)`),
    );
    return this.sessions[index]!;
  }

  /** An outage: the next `count` connection attempts get HTTP 503 at the upgrade (recorded in `rejected`). */
  refuseConnections(count: number): this {
    this.outage = count;
    return this;
  }

  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer((_req, res) => {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "the Realtime emulator only serves WebSocket /v1/realtime" } }));
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on("upgrade", (req, socket, head) => {
      const refuse = (status: number, message: string) => {
        this.rejected.push({ reason: message, status });
        const body = JSON.stringify({ error: { type: "invalid_request_error", code: null, message, param: null } });
        socket.end(`HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 404 ? "Not Found" : status === 503 ? "Service Unavailable" : "Bad Request"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      };
      const url = new URL(req.url ?? "/", "http://emulator");
      if (this.outage > 0) {
        this.outage--;
        return refuse(503, "The server is overloaded or not ready yet.");
      }
      if (url.pathname !== "/v1/realtime") return refuse(404, `no WebSocket endpoint at ${url.pathname} (use /v1/realtime)`);
      const auth = req.headers.authorization ?? "";
      const m = /^Bearer (.+)$/.exec(auth);
      if (!m) return refuse(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
      if (this.opts.apiKey !== undefined && m[1] !== this.opts.apiKey) return refuse(401, "Incorrect API key provided.");
      const model = url.searchParams.get("model");
      if (!model) return refuse(400, "Missing required parameter: 'model'.");
      wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, model));
    });
    this.server = server;
    this.wss = wss;
    this.base = (await listenOnLoopback(server, this.opts.port)).replace(/^http/, "ws");
    return this;
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, model: string): void {
    const beta = req.headers["openai-beta"];
    if (typeof beta === "string" && /realtime=v1/.test(beta)) {
      this.rejected.push({ reason: "OpenAI-Beta: realtime=v1", status: undefined });
      this.emulatorViolations.push({ sessionId: "(refused)", kind: "beta_header", message: "connected with `OpenAI-Beta: realtime=v1`: the beta API shape is switched off" });
      ws.send(
        JSON.stringify({
          type: "error",
          event_id: id("event_"),
          error: { type: "invalid_request_error", code: "beta_api_shape_disabled", message: "The beta Realtime API shape is no longer supported; remove the OpenAI-Beta: realtime=v1 header and use the GA interface.", param: null, event_id: null },
        }),
      );
      ws.close(4000, "beta_api_shape_disabled");
      return;
    }
    const script = this.scripts.shift() ?? this.defaultScript;
    const session = new RealtimeSession(ws, model, script, {
      pace: this.opts.pace ?? 1,
      chunkMs: this.opts.chunkMs ?? 20,
      noOutputNeeded: this.opts.noOutputNeeded ?? ["end_call"],
    });
    this.sessions.push(session);
    this.waiters.notify();
  }

  /** Closes every session (code 1001, going away) and the server. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.close(1001, "emulator shutting down");
    await Promise.all(this.sessions.map((s) => Promise.race([s.whenClosed(), sleep(1000)])));
    this.wss?.close();
    if (this.server) {
      await closeServer(this.server);
      this.server = undefined;
    }
  }
}

export async function startRealtimeEmulator(opts: RealtimeEmulatorOptions = {}): Promise<RealtimeEmulator> {
  return new RealtimeEmulator(opts).start();
}

