import postgres from "postgres";
import { inject } from "vitest";
import { LOCAL_JWT_SECRET, LOCAL_SECRET_KEY, localJwks, signLocalToken } from "../../supabase/local/dev-keys.ts";
import { resetEnv } from "../../shared/env.ts";

/** Where the suite's ephemeral stack listens (started once in tests/setup/global-stack.ts). */
export interface StackInfo {
  /** The stack's own database: what the functions server and the e2e suites use. */
  databaseUrl: string;
  /** The migrated database each integration suite clones (see useSuiteDatabase). */
  templateDatabase: string;
  functionsUrl: string;
  simulatorUrl: string;
  /** A folder for the whole run, removed at its end: what suites build once and share (the app). */
  scratchDir: string;
}

export function stack(): StackInfo {
  return inject("stack");
}

let suiteDatabaseUrl: string | undefined;

/** The database this suite works on: its own clone (useSuiteDatabase) or else the stack's. */
export function databaseUrl(): string {
  return suiteDatabaseUrl ?? stack().databaseUrl;
}

/** Points adminSql() and useStackEnvironment() at another database (undefined: the stack's). */
export function setSuiteDatabaseUrl(url: string | undefined) {
  suiteDatabaseUrl = url;
}

let admin: postgres.Sql | undefined;

/** A superuser connection for arranging and inspecting data (never what the code under test uses). */
export function adminSql(): postgres.Sql {
  admin ??= postgres(databaseUrl(), { max: 4, onnotice: () => {} });
  return admin;
}

export async function closeAdminSql() {
  await admin?.end({ timeout: 5 });
  admin = undefined;
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** Creates a fresh user (unique email) and signs a token for it, as `npm run token` does. */
export async function createUser(label = "user"): Promise<TestUser> {
  const email = `${label}-${crypto.randomUUID()}@example.test`;
  const [row] = await adminSql()<{ id: string }[]>`insert into auth.users (email) values (${email}) returning id`;
  return { id: row.id, email, token: await signLocalToken({ sub: row.id, role: "authenticated", email }) };
}

/** Creates a fresh admin: `app_metadata.role = "admin"` on the user and in its token, as Supabase Auth puts it. */
export async function createAdmin(label = "admin"): Promise<TestUser> {
  const email = `${label}-${crypto.randomUUID()}@example.test`;
  const [row] = await adminSql()<{ id: string }[]>`
    insert into auth.users (email, raw_app_meta_data) values (${email}, '{"role": "admin"}') returning id`;
  const token = await signLocalToken({ sub: row.id, role: "authenticated", email, app_metadata: { role: "admin" } });
  return { id: row.id, email, token };
}

/**
 * Deletes a suite's users, and with them everything of theirs. Work the stack still has under way
 * on their models (creation, the sync) may take its locks in another order than the cascade, and
 * Postgres then ends one of the two as a deadlock (40P01): the delete is tried again, as an admin would.
 */
export async function deleteUsers(...users: TestUser[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminSql()`delete from auth.users where id = any(${users.map((user) => user.id)}::uuid[])`;
      return;
    } catch (error) {
      if (attempt >= 5 || (error as { code?: string }).code !== "40P01") throw error;
    }
  }
}

export const serviceKey = LOCAL_SECRET_KEY;

/**
 * Points the in-process code (env module) at the stack, for tests that call handlers directly, and
 * at the suite's own database when it has one.
 * The OpenAI settings target the official URL; the test's msw server answers those requests.
 */
export function useStackEnvironment(overrides: Record<string, string | undefined> = {}) {
  Object.assign(process.env, {
    SUPABASE_DB_URL: databaseUrl(),
    SUPABASE_URL: "http://127.0.0.1:54321",
    SUPABASE_JWT_SECRET: LOCAL_JWT_SECRET,
    SUPABASE_JWKS: localJwks(),
    SUPABASE_SECRET_KEY: LOCAL_SECRET_KEY,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: "https://api.openai.com/v1",
    OPENAI_MAX_RETRIES: "0",
    // Suites about other things create many models per user; the quota suites set their own.
    MODEL_CREATE_DAILY_QUOTA: "1000",
    TRAININGS_IN_FLIGHT_PER_USER: "1000",
    TRAINING_MAX_ACTIVE_JOBS: "1000",
  });
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnv();
}
