import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { appShellServiceWorker } from "./pwa/vite-plugin.ts";

// The reader app: static files in app/dist, deployable to any static host. VITE_SUPABASE_URL and
// VITE_SUPABASE_ANON_KEY (the project's URL and publishable key) are read at build time. public/
// holds the web app manifest and icons; the plugin writes the app-shell service worker (sw.js).
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "./",
  envDir: new URL("..", import.meta.url).pathname,
  plugins: [react(), appShellServiceWorker()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
  },
});
