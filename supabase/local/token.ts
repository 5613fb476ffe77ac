/**
 * `npm run token -- <email>` prints a JWT for that local user (created on first use);
 * `npm run token -- --service-role` prints the local service key. Local stack only.
 */
import postgres from "postgres";
import { LOCAL_SECRET_KEY, signLocalToken } from "./dev-keys.ts";

const [argument] = Deno.args;
if (!argument) {
  console.error("usage: npm run -s token -- <email> | --service-role");
  Deno.exit(2);
}

if (argument === "--service-role") {
  console.log(LOCAL_SECRET_KEY);
  Deno.exit(0);
}

const email = argument.trim().toLowerCase();
if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error(`not an email address: ${argument}`);
  Deno.exit(2);
}

const databaseUrl = Deno.env.get("DATABASE_URL") ??
  `postgresql://postgres:postgres@127.0.0.1:${Deno.env.get("STORYVOICE_DB_PORT") ?? "54322"}/postgres`;
const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
try {
  const [user] = await sql<{ id: string; raw_app_meta_data: Record<string, unknown> }[]>`
    insert into auth.users (email) values (${email})
    on conflict (email) do update set updated_at = now()
    returning id, raw_app_meta_data`;
  const appMetadata = { provider: "email", providers: ["email"], ...user.raw_app_meta_data };
  console.log(await signLocalToken({ sub: user.id, role: "authenticated", email, app_metadata: appMetadata }));
} catch (error) {
  console.error(`Could not reach the local database (is \`npm run dev\` running?): ${(error as Error).message}`);
  Deno.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
}
