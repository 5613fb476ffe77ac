import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import { waitFor } from "../../support/wait.ts";

const repoRoot = new URL("../../../", import.meta.url).pathname;

/** Builds the reader app for production, pointed at `supabaseUrl`, into a fresh folder. */
export function buildApp(env: { supabaseUrl: string; anonKey: string }): string {
  const outDir = mkdtempSync(join(tmpdir(), "storyvoice-app-"));
  const result = spawnSync(process.execPath, [join(repoRoot, "node_modules/vite/bin/vite.js"), "build", "--config", "app/vite.config.ts", "--outDir", outDir, "--logLevel", "warn"], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "production", VITE_SUPABASE_URL: env.supabaseUrl, VITE_SUPABASE_ANON_KEY: env.anonKey, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}${result.stderr}`);
  return outDir;
}

/**
 * The app built once for the whole run into `dir` (which must not exist yet): the first suite to ask
 * builds it, the others wait for that build instead of making their own (each takes a core for ~20 s).
 */
export async function sharedAppBuild(dir: string, env: () => Promise<{ supabaseUrl: string; anonKey: string }>): Promise<string> {
  const failed = `${dir}.failed`;
  try {
    mkdirSync(`${dir}.building`);
  } catch {
    const outcome = await waitFor(() => existsSync(failed) ? { error: readFileSync(failed, "utf8") } : existsSync(join(dir, "index.html")) && { dir }, {
      timeoutMs: 240_000,
      intervalMs: 200,
      description: "the app's build by another suite",
    });
    if ("error" in outcome) throw new Error(outcome.error);
    return dir;
  }
  try {
    // Built aside and moved in whole, so a waiting suite never serves a half-written folder.
    renameSync(buildApp(await env()), dir);
  } catch (error) {
    writeFileSync(failed, error instanceof Error ? error.message : String(error));
    throw error;
  }
  return dir;
}

/** The JavaScript the first screen loads (entry module and its preloads), gzipped, in bytes. */
export function initialJavaScriptGzipBytes(outDir: string): { bytes: number; files: string[] } {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((match) => match[1].replace(/^\.\//, ""));
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length, 0);
  return { bytes, files };
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

/** Serves a built app from `dir` on a free loopback port, as any static host would. */
export async function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, "index.html");
    response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
