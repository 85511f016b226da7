import { useCallback, useEffect, useState } from "react";
import type { Session } from "./types.ts";

/** An API failure as the service words it: `{ error: { code, message } }` with its HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The session's CSRF token: sent as X-CSRF-Token on every state-changing request. */
let csrfToken = "";
/** Called when the API says the session is gone (expired, logged out elsewhere). */
let onSignedOut: (why: "expired") => void = () => {};

export function setApiSession(session: Session | null, signedOut: (why: "expired") => void): void {
  csrfToken = session?.csrfToken ?? "";
  onSignedOut = signedOut;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: "same-origin", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, "unreachable", "the dashboard could not be reached; check the connection and try again");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, "bad_answer", `the dashboard answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    if (res.status === 401 && !path.startsWith("/api/auth/")) onSignedOut("expired");
    throw new ApiError(res.status, err?.code ?? "error", err?.message ?? `the dashboard answered ${res.status}`);
  }
  return parsed as T;
}

/**
 * A failure as a person reads it: what the API said, with what it means for them (no access, a fault on the
 * server's side that a retry may cure).
 */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 403) return `You do not have access to this: ${err.message}.`;
  if (err.status >= 500) return `The dashboard could not answer (${err.status === 503 ? "a service is unavailable" : `error ${err.status}`}): ${err.message}. Try again in a moment.`;
  return err.message.charAt(0).toUpperCase() + err.message.slice(1) + (/[.!?]$/.test(err.message) ? "" : ".");
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body: unknown = {}) => request<T>("POST", path, body),
};

/** `/api/x?a=1&b=2` from the parameters that have a value. */
export function apiPath(path: string, params: Record<string, string | undefined | null | false>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs `path` (again whenever it changes); the last answer stays shown while the next one loads, but not beside a
 * failure to load another path (another location's figures under this one's heading).
 */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; dataPath?: string; error?: string; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick asks for the same path again
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path).then(
      (data) => live && setState({ data, dataPath: path, loading: false }),
      (err: unknown) => live && setState((s) => ({ ...(s.dataPath === path ? s : {}), error: describeError(err), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
