/**
 * A private PostgreSQL cluster for the local stack: created once in a data folder, started on a
 * loopback port, stopped on exit. initdb refuses to run as root, so as root the cluster belongs to
 * the `postgres` system user.
 */

export interface Cluster {
  url: string;
  /** True when this run created the cluster (so the seed should be applied). */
  created: boolean;
  stop(): Promise<void>;
}

const PREFERRED_MAJOR = "15";

async function run(command: string, args: string[], options: { quiet?: boolean } = {}) {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`${command} ${args.join(" ")} failed:\n${text}`);
  if (!options.quiet && text.trim()) console.log(text.trim());
  return text;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Finds the server binaries: PG_BIN_DIR, else the Debian layout, preferring PostgreSQL 15. */
export async function findBinDir(): Promise<string> {
  const configured = Deno.env.get("PG_BIN_DIR");
  if (configured) {
    if (await exists(`${configured}/initdb`)) return configured;
    throw new Error(`PG_BIN_DIR=${configured} has no initdb: point it at PostgreSQL's server binaries (Debian package postgresql-15)`);
  }
  const candidates = [`/usr/lib/postgresql/${PREFERRED_MAJOR}/bin`];
  try {
    for await (const entry of Deno.readDir("/usr/lib/postgresql")) {
      candidates.push(`/usr/lib/postgresql/${entry.name}/bin`);
    }
  } catch { /* not a Debian layout */ }
  for (const dir of candidates) if (await exists(`${dir}/initdb`)) return dir;
  throw new Error(
    "PostgreSQL server binaries (initdb, pg_ctl) not found. Install the Debian package postgresql-15\n" +
      "(sudo apt-get install -y postgresql-15), or set PG_BIN_DIR to their folder, or DATABASE_URL to a database.",
  );
}

/** pg_cron is loaded only where the package is installed, so the stack runs without it too. */
async function pgCronInstalled(binDir: string): Promise<boolean> {
  const libDir = (await run(`${binDir}/pg_config`, ["--pkglibdir"], { quiet: true }).catch(() => "")).trim();
  return libDir !== "" && await exists(`${libDir}/pg_cron.so`);
}

/** Runs a server binary, as the `postgres` system user when we are root. */
function asOwner(binary: string, args: string[], asRoot: boolean): [string, string[]] {
  return asRoot ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
}

async function ownerIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run("id", ["-u", "postgres"], { quiet: true })).trim());
  const gid = Number((await run("id", ["-g", "postgres"], { quiet: true })).trim());
  return { uid, gid };
}

/** Creates (first time) and starts the cluster in `dataDir` on `port`. */
export async function startCluster(dataDir: string, port: number): Promise<Cluster> {
  const binDir = await findBinDir();
  const asRoot = Deno.uid() === 0;
  const pgData = `${dataDir}/pgdata`;
  await Deno.mkdir(dataDir, { recursive: true });
  if (asRoot) {
    const { uid, gid } = await ownerIds();
    await Deno.chown(dataDir, uid, gid);
  }

  const created = !(await exists(`${pgData}/PG_VERSION`));
  if (created) {
    const [cmd, args] = asOwner(`${binDir}/initdb`, [
      "-D", pgData, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
    ], asRoot);
    await run(cmd, args, { quiet: true });
  }

  const cron = await pgCronInstalled(binDir);
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=''",
    "-c max_connections=200",
    "-c max_worker_processes=32",
    ...(cron
      ? ["-c shared_preload_libraries=pg_cron", "-c cron.database_name=postgres", "-c cron.use_background_workers=on"]
      : []),
  ].join(" ");
  const [cmd, args] = asOwner(`${binDir}/pg_ctl`, [
    "-D", pgData, "-o", settings, "-l", `${dataDir}/postgres.log`, "-w", "-t", "60", "start",
  ], asRoot);
  await run(cmd, args, { quiet: true });
  if (!cron) console.warn("pg_cron is not installed: the stack schedules the training sync itself.");

  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    created,
    async stop() {
      const [stopCmd, stopArgs] = asOwner(`${binDir}/pg_ctl`, ["-D", pgData, "-m", "fast", "-w", "stop"], asRoot);
      await run(stopCmd, stopArgs, { quiet: true }).catch((error) => console.error(String(error)));
    },
  };
}
