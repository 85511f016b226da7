import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The dashboard's web page, built into web/dist which the service serves (single-page app). During `vite dev` the
 * API is proxied to the service on DASHBOARD_URL (same origin for the page, so its CSRF rules hold).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { "/api": { target: process.env["DASHBOARD_URL"] ?? "http://127.0.0.1:8070", changeOrigin: true } } },
  logLevel: "warn",
});
