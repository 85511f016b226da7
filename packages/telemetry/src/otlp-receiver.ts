import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** OTLP span kinds (opentelemetry-proto `Span.SpanKind`). */
const KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
export type ReceivedSpanKind = (typeof KINDS)[number];

/** One span as an OTLP/HTTP JSON export carried it, flattened with its resource's `service.name`. */
export type ReceivedSpan = {
  service: string;
  name: string;
  kind: ReceivedSpanKind;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  attributes: Record<string, string | number | boolean | unknown[]>;
  /** Status code: 0 unset, 1 ok, 2 error. */
  status: number;
};

export type OtlpReceiver = {
  /** Base URL to give a service as OTEL_EXPORTER_OTLP_ENDPOINT (spans arrive on /v1/traces). */
  url: string;
  /** Every span received so far, in arrival order. */
  readonly spans: readonly ReceivedSpan[];
  /** Exports that were not OTLP/HTTP JSON trace requests, with why (a test can assert there were none). */
  readonly rejected: readonly string[];
  close(): Promise<void>;
};

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number; arrayValue?: { values?: AnyValue[] } };
type KeyValue = { key: string; value?: AnyValue };
type OtlpSpan = {
  name: string;
  kind?: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: KeyValue[];
  status?: { code?: number };
};
type ExportRequest = {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
};

/**
 * A minimal OpenTelemetry collector for tests: accepts OTLP/HTTP JSON trace exports (`POST /v1/traces`, the
 * encoding of `@opentelemetry/exporter-trace-otlp-http`, gzip or not) from any number of processes and keeps
 * the spans in memory, so a test can find one call's spans across every service of the stack.
 */
export async function startOtlpReceiver(opts: { host?: string } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then(
      (body) => {
        const problem = accept(req, body, spans);
        if (problem) rejected.push(problem);
        res.writeHead(problem ? 400 : 200, { "content-type": "application/json" }).end(problem ? JSON.stringify({ message: problem }) : "{}");
      },
      (err: unknown) => {
        rejected.push(`unreadable body: ${String(err)}`);
        res.writeHead(400).end();
      },
    );
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    spans,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function accept(req: IncomingMessage, raw: Buffer, into: ReceivedSpan[]): string | undefined {
  if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/traces") return `${req.method} ${req.url} is not an OTLP trace export`;
  if (!req.headers["content-type"]?.startsWith("application/json")) return `content-type ${req.headers["content-type"]} is not OTLP/HTTP JSON`;
  let body: ExportRequest;
  try {
    body = JSON.parse((req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8")) as ExportRequest;
  } catch (err) {
    return `body is not JSON: ${String(err)}`;
  }
  for (const rs of body.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    const service = typeof resource["service.name"] === "string" ? resource["service.name"] : "(unknown)";
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        into.push({
          service,
          name: s.name,
          kind: KINDS[s.kind ?? 0] ?? "unspecified",
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          attributes: attributesOf(s.attributes),
          status: s.status?.code ?? 0,
        });
      }
    }
  }
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): ReceivedSpan["attributes"] {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
}

function anyValue(v: AnyValue | undefined): string | number | boolean | unknown[] {
  if (!v) return "";
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(anyValue);
  return "";
}
