import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

/** Files of app/public the shell needs offline besides the built ones. */
const PUBLIC_SHELL = ["manifest.webmanifest", "icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png"];

/**
 * Emits `sw.js`, the app-shell service worker, with the exact files of this build to keep (every
 * script, style and the HTML; source maps and Vite's manifest left out) and a version from their
 * names, so a new build replaces the old shell. Production builds only: the dev server has none.
 */
export function appShellServiceWorker(): Plugin {
  return {
    name: "storyvoice-app-shell-service-worker",
    apply: "build",
    // After Vite's own HTML step, so index.html is in the bundle.
    enforce: "post",
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((file) => !file.endsWith(".map") && !file.startsWith(".vite/"));
      const files = ["./", ...[...new Set([...built, "index.html", ...PUBLIC_SHELL])].sort().map((file) => `./${file}`)];
      const version = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 16);
      const template = readFileSync(new URL("./service-worker.js", import.meta.url), "utf8");
      this.emitFile({
        type: "asset",
        fileName: "sw.js",
        source: template.replace("__SHELL_VERSION__", version).replace("__SHELL_FILES__", JSON.stringify(files, null, 2)),
      });
    },
  };
}
