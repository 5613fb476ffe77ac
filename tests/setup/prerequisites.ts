import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

// What the test run needs from the system, found before the stack starts: PostgreSQL server
// binaries (the stack's private cluster), pgTAP and pg_prove (the supabase/tests suites) and,
// optionally, pg_cron (so the schedule itself is tested; without it those checks are skipped); and
// Debian's Chromium, which the browser suites drive (Playwright's own download cannot work here).

/** Where the browser suites find Chromium (CHROMIUM_PATH overrides Debian's). */
export const chromiumPath = () => process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** What is on this machine. */
export interface SystemFindings {
  /** The PostgreSQL major version whose server binaries were found, or null. */
  postgresMajor: string | null;
  pgTap: boolean;
  pgProve: boolean;
  pgCron: boolean;
  chromium: boolean;
  isRoot: boolean;
  hasAptGet: boolean;
}

/** What to do about it. */
export type PrerequisitePlan =
  | { action: "proceed"; warning?: string }
  | { action: "install"; packages: string[] }
  | { action: "stop"; message: string };

const PREFERRED_MAJOR = "15";

/** The Debian packages that provide what is missing (pg_cron included: it is worth installing). */
export function missingPackages(found: SystemFindings): { required: string[]; optional: string[] } {
  const major = found.postgresMajor ?? PREFERRED_MAJOR;
  const required: string[] = [];
  if (!found.postgresMajor) required.push(`postgresql-${major}`);
  if (!found.pgTap) required.push(`postgresql-${major}-pgtap`);
  if (!found.pgProve) required.push("libtap-parser-sourcehandler-pgtap-perl");
  if (!found.chromium) required.push("chromium");
  const optional = found.pgCron ? [] : [`postgresql-${major}-cron`];
  return { required, optional };
}

/**
 * Decides from the findings: nothing to do, install what is missing (as root, with apt-get, when the
 * PostgreSQL server is there), or stop with one message naming the packages to install.
 */
export function planPrerequisites(found: SystemFindings): PrerequisitePlan {
  const { required, optional } = missingPackages(found);
  const canInstall = found.isRoot && found.hasAptGet && found.postgresMajor !== null;
  if (required.length === 0 && optional.length === 0) return { action: "proceed" };
  if (canInstall) return { action: "install", packages: [...required, ...optional] };
  if (required.length === 0) {
    return {
      action: "proceed",
      warning: `pg_cron is not installed, so the schedule checks are skipped (install ${optional.join(" ")} to run them).`,
    };
  }
  const why = !found.postgresMajor
    ? "no PostgreSQL server binaries were found (initdb, pg_ctl; or set PG_BIN_DIR)"
    : !found.isRoot
    ? "they cannot be installed automatically without root"
    : "apt-get is not available to install them";
  return { action: "stop", message: installMessage([...required, ...optional], why) };
}

function installMessage(packages: string[], why: string): string {
  return `npm test needs these Debian packages, and ${why}:\n\n` +
    `  sudo apt-get install -y --no-install-recommends ${packages.join(" ")}\n\n` +
    "Install them, then run npm test again.";
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** The server binaries as supabase/local/postgres.ts finds them: PG_BIN_DIR, else Debian's layout, 15 first. */
function findServerBinDir(): string | null {
  if (process.env.PG_BIN_DIR) return existsSync(join(process.env.PG_BIN_DIR, "initdb")) ? process.env.PG_BIN_DIR : null;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root) : [];
  const candidates = [PREFERRED_MAJOR, ...versions.filter((version) => version !== PREFERRED_MAJOR)];
  for (const version of candidates) {
    const dir = join(root, version, "bin");
    if (existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  return null;
}

function pgConfig(binDir: string, flag: string): string | null {
  try {
    return execFileSync(join(binDir, "pg_config"), [flag], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/** Looks at this machine. */
export function inspectSystem(): SystemFindings {
  const binDir = findServerBinDir();
  let postgresMajor: string | null = null;
  let pgTap = false;
  let pgCron = false;
  if (binDir) {
    const version = spawnSync(join(binDir, "postgres"), ["--version"], { encoding: "utf8" }).stdout ?? "";
    postgresMajor = /(\d+)(?:\.\d+)?/.exec(version)?.[1] ?? PREFERRED_MAJOR;
    const shareDir = pgConfig(binDir, "--sharedir") ?? `/usr/share/postgresql/${postgresMajor}`;
    const libDir = pgConfig(binDir, "--pkglibdir") ?? `/usr/lib/postgresql/${postgresMajor}/lib`;
    pgTap = existsSync(join(shareDir, "extension", "pgtap.control"));
    pgCron = existsSync(join(libDir, "pg_cron.so"));
  }
  return {
    postgresMajor,
    pgTap,
    pgProve: onPath("pg_prove"),
    pgCron,
    chromium: existsSync(chromiumPath()),
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath("apt-get"),
  };
}

/** Runs apt-get quietly; on failure, returns its output so the message can show it. */
function aptGet(args: string[]): string | null {
  const result = spawnSync("apt-get", args, {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: 600_000,
  });
  if (result.status === 0) return null;
  return `${result.error ?? ""}${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
}

/** Thrown to stop the run with one message (vitest shows it once, before any suite). */
export class MissingPrerequisites extends Error {
  override name = "MissingPrerequisites";
}

/**
 * Makes sure the system has what the integration suites need, installing it where it can
 * (root with apt-get), else stopping with one message that names the packages.
 */
export function ensurePrerequisites(log: (line: string) => void = (line) => console.log(line)): void {
  const plan = planPrerequisites(inspectSystem());
  if (plan.action === "stop") throw new MissingPrerequisites(plan.message);
  if (plan.action === "proceed") {
    if (plan.warning) log(plan.warning);
    return;
  }
  log(`Installing ${plan.packages.join(", ")} with apt-get (needed by npm test)...`);
  const failure = aptGet(["update", "-qq"]) ??
    aptGet(["install", "-y", "-qq", "--no-install-recommends", ...plan.packages]);
  if (failure) {
    throw new MissingPrerequisites(
      `${installMessage(plan.packages, "installing them with apt-get failed")}\n\napt-get said:\n${failure}`,
    );
  }
  const stillMissing = missingPackages(inspectSystem()).required;
  if (stillMissing.length > 0) {
    throw new MissingPrerequisites(installMessage(stillMissing, "they are still missing after apt-get install"));
  }
}
