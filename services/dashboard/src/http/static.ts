import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Request, type Response } from "express";

const FALLBACK = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OrderLine dashboard</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>OrderLine dashboard</h1>
<p>The API is running, but the web page has not been built (no <code>services/dashboard/web/dist</code>).</p>
<p>The API is described in <code>docs/DASHBOARD-API.md</code>; <a href="/api/auth/session">/api/auth/session</a> says whether you are signed in.</p>
</body></html>
`;

/** The web build (`dist`, single-page app: unknown paths get index.html) or, without one, a minimal page. */
export function webApp(distDir: string): express.Router {
  const router = express.Router();
  const index = join(distDir, "index.html");
  if (existsSync(index)) {
    router.use(express.static(distDir, { index: "index.html", maxAge: "1h", setHeaders: (res, path) => path.endsWith(".html") && res.setHeader("cache-control", "no-cache") }));
    router.get(/.*/, (_req: Request, res: Response) => res.setHeader("cache-control", "no-cache").sendFile(index));
  } else {
    router.get(/.*/, (_req: Request, res: Response) => res.status(200).type("html").setHeader("cache-control", "no-cache").send(FALLBACK));
  }
  return router;
}
