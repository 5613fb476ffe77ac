import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The reader app: static files in app/dist, deployable to any static host. VITE_SUPABASE_URL and
// VITE_SUPABASE_ANON_KEY (the project's URL and publishable key) are read at build time.
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "./",
  envDir: new URL("..", import.meta.url).pathname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
  },
});
