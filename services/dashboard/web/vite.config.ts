import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The dashboard's web page, built into web/dist which the service serves (single-page app). During `vite dev` the
 * API is proxied to the service on DASHBOARD_URL (same origin for the page, so its CSRF rules hold).
 *
 * Chunks: the entry holds React, the router and the sign-in page; each page is its own chunk, loaded when first
 * opened (lazy routes in app.tsx), and so is the chart library (with components/charts.tsx, lazy in the overview);
 * the shared contracts (zod enums, money formatting) the pages use are one chunk, `contracts`.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Over this a chunk is worth splitting again (the entry is about 230 kB, mostly react-dom).
    chunkSizeWarningLimit: 250,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: "contracts", test: /[\\/](node_modules[\\/]zod|packages[\\/]contracts)[\\/]/ }] } },
    },
  },
  server: { proxy: { "/api": { target: process.env["DASHBOARD_URL"] ?? "http://127.0.0.1:8070", changeOrigin: true } } },
  logLevel: "warn",
});
