/**
 * DEV ONLY, never deployed: the part of Supabase Auth (GoTrue) that supabase-js needs for email and
 * password sign-up and sign-in, served by the local stack at /auth/v1 because no Auth server runs
 * here. Users are rows of the bootstrap's auth.users; passwords are PBKDF2 hashes in a local-only
 * table; refresh tokens live in memory (a restart signs everyone out). Access tokens are the same
 * JWTs `npm run token` signs, so the functions accept them as they accept Supabase's.
 */
import type postgres from "postgres";
import { signLocalToken, verifyLocalToken } from "./dev-keys.ts";

const ACCESS_TOKEN_SECONDS = 3600;
const PBKDF2_ITERATIONS = 50_000;
// Refresh tokens kept (oldest forgotten first: that session signs in again), so sign-ins do not grow the stack.
const MAX_REFRESH_TOKENS = 10_000;

interface AuthUser {
  id: string;
  email: string;
  created_at: string;
  updated_at: string;
  /** What the service set on the user (e.g. `role: "admin"`): in the JWT's app_metadata, as Supabase Auth puts it. */
  raw_app_meta_data: Record<string, unknown>;
}

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "authorization, apikey, content-type, x-client-info, x-supabase-api-version",
  "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
};

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: CORS });
}

/** An error in the shape auth-js reads (`error_code`, `msg`). */
function authError(status: number, errorCode: string, msg: string): Response {
  return json({ code: status, error_code: errorCode, msg }, status);
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function hashPassword(password: string, saltHex: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const salt = new Uint8Array(saltHex.match(/../g)!.map((pair) => parseInt(pair, 16)));
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: PBKDF2_ITERATIONS }, key, 256);
  return `pbkdf2$${PBKDF2_ITERATIONS}$${saltHex}$${hex(bits)}`;
}

function appMetadata(user: AuthUser) {
  return { provider: "email", providers: ["email"], ...user.raw_app_meta_data };
}

function userJson(user: AuthUser) {
  const created = new Date(user.created_at).toISOString();
  return {
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email: user.email,
    email_confirmed_at: created,
    confirmed_at: created,
    phone: "",
    last_sign_in_at: new Date().toISOString(),
    app_metadata: appMetadata(user),
    user_metadata: {},
    identities: [],
    created_at: created,
    updated_at: new Date(user.updated_at).toISOString(),
    is_anonymous: false,
  };
}

/** Serves /auth/v1/* of the local stack; answers null for any other path. */
export function createDevAuth(sql: postgres.Sql) {
  const refreshTokens = new Map<string, string>();
  let ready: Promise<unknown> | undefined;
  // Local-only credentials table, created on first use (never part of the migrations).
  const ensureTable = () =>
    ready ??= sql`
      create table if not exists auth.dev_passwords (
        user_id uuid primary key references auth.users (id) on delete cascade,
        password_hash text not null
      )`;

  async function session(user: AuthUser): Promise<Response> {
    const refreshToken = hex(crypto.getRandomValues(new Uint8Array(24)));
    refreshTokens.set(refreshToken, user.id);
    if (refreshTokens.size > MAX_REFRESH_TOKENS) refreshTokens.delete(refreshTokens.keys().next().value!);
    const accessToken = await signLocalToken(
      { sub: user.id, role: "authenticated", email: user.email, app_metadata: appMetadata(user) },
      `${ACCESS_TOKEN_SECONDS}s`,
    );
    return json({
      access_token: accessToken,
      token_type: "bearer",
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: Math.floor(Date.now() / 1000) + ACCESS_TOKEN_SECONDS,
      refresh_token: refreshToken,
      user: userJson(user),
    });
  }

  async function credentials(request: Request): Promise<{ email: string; password: string } | null> {
    const body = await request.json().catch(() => null) as { email?: unknown; password?: unknown } | null;
    if (typeof body?.email !== "string" || typeof body?.password !== "string") return null;
    return { email: body.email.trim().toLowerCase(), password: body.password };
  }

  async function signUp(request: Request): Promise<Response> {
    const given = await credentials(request);
    if (!given || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(given.email)) {
      return authError(400, "validation_failed", "An email address and a password are required.");
    }
    if (given.password.length < 6) return authError(422, "weak_password", "Password should be at least 6 characters.");
    await ensureTable();
    const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
    const hash = await hashPassword(given.password, salt);
    const created = await sql.begin(async (tx) => {
      const [user] = await tx<AuthUser[]>`
        insert into auth.users (email) values (${given.email})
        on conflict (email) do nothing
        returning id, email, created_at, updated_at, raw_app_meta_data`;
      if (user) {
        await tx`insert into auth.dev_passwords (user_id, password_hash) values (${user.id}, ${hash})`;
        return user;
      }
      // A user `npm run token` made has no password yet: the first sign-up sets it.
      const [tokenOnly] = await tx<AuthUser[]>`
        select u.id, u.email, u.created_at, u.updated_at, u.raw_app_meta_data from auth.users u
        where u.email = ${given.email}
          and not exists (select from auth.dev_passwords p where p.user_id = u.id)`;
      if (!tokenOnly) return null;
      await tx`insert into auth.dev_passwords (user_id, password_hash) values (${tokenOnly.id}, ${hash})`;
      return tokenOnly;
    });
    if (!created) return authError(422, "user_already_exists", "User already registered");
    return await session(created);
  }

  async function signInWithPassword(request: Request): Promise<Response> {
    const given = await credentials(request);
    if (!given) return authError(400, "validation_failed", "An email address and a password are required.");
    await ensureTable();
    const [row] = await sql<(AuthUser & { password_hash: string })[]>`
      select u.id, u.email, u.created_at, u.updated_at, u.raw_app_meta_data, p.password_hash
      from auth.users u join auth.dev_passwords p on p.user_id = u.id
      where u.email = ${given.email}`;
    const salt = row?.password_hash.split("$")[2];
    if (!row || !salt || (await hashPassword(given.password, salt)) !== row.password_hash) {
      return json({ error: "invalid_grant", error_description: "Invalid login credentials", error_code: "invalid_credentials" }, 400);
    }
    return await session(row);
  }

  async function refresh(request: Request): Promise<Response> {
    const body = await request.json().catch(() => null) as { refresh_token?: unknown } | null;
    const userId = typeof body?.refresh_token === "string" ? refreshTokens.get(body.refresh_token) : undefined;
    if (!userId) return authError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    refreshTokens.delete(body!.refresh_token as string);
    const [user] = await sql<AuthUser[]>`select id, email, created_at, updated_at, raw_app_meta_data from auth.users where id = ${userId}`;
    if (!user) return authError(403, "user_not_found", "User from sub claim in JWT does not exist");
    return await session(user);
  }

  async function currentUser(request: Request): Promise<Response> {
    const token = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
    const claims = token ? await verifyLocalToken(token) : null;
    if (!claims?.sub) return authError(401, "bad_jwt", "invalid JWT: unable to parse or verify signature");
    const [user] = await sql<AuthUser[]>`select id, email, created_at, updated_at, raw_app_meta_data from auth.users where id = ${claims.sub}`;
    if (!user) return authError(403, "user_not_found", "User from sub claim in JWT does not exist");
    return json(userJson(user));
  }

  return async function handleAuth(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/auth/v1/")) return null;
    const route = url.pathname.slice("/auth/v1".length);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
    if (request.method === "GET" && route === "/settings") {
      return json({ external: { email: true }, disable_signup: false, mailer_autoconfirm: true, phone_autoconfirm: false });
    }
    if (request.method === "POST" && route === "/signup") return await signUp(request);
    if (request.method === "POST" && route === "/token") {
      const grant = url.searchParams.get("grant_type");
      if (grant === "password") return await signInWithPassword(request);
      if (grant === "refresh_token") return await refresh(request);
      return authError(400, "unsupported_grant_type", `The local stack does not support grant_type=${grant}.`);
    }
    if (request.method === "GET" && route === "/user") return await currentUser(request);
    if (request.method === "POST" && route === "/logout") return new Response(null, { status: 204, headers: CORS });
    if (route === "/otp" || route === "/magiclink" || route === "/recover") {
      return authError(422, "email_provider_disabled", "The local stack sends no email: use a password.");
    }
    return authError(404, "not_found", "Not supported by the local stack's auth.");
  };
}
