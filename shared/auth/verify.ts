import type { JWTPayload } from "jose";
import { env } from "../env.ts";
import { forbidden, HttpError, unauthorized } from "../errors.ts";
import type { ServiceAuth, UserAuth } from "./identity.ts";
import { cachedUserAuth, rememberUserAuth } from "./verified-tokens.ts";

/**
 * The verifiers load on the first request, not at import: together they are most of a function's
 * cold start, and a preflight or a malformed request never needs them. Later requests reuse the
 * loaded modules.
 */
let serverModule: Promise<typeof import("@supabase/server/core")> | undefined;
let joseModule: Promise<typeof import("jose")> | undefined;
// Kept once loaded: import() of a loaded package still resolves it again on every call.
const supabaseServer = () => (serverModule ??= import("@supabase/server/core"));
const jose = () => (joseModule ??= import("jose"));

function supabaseServerEnv() {
  const settings = env();
  const secretKeys = settings.SUPABASE_SECRET_KEYS
    ? settings.SUPABASE_SECRET_KEYS
    : settings.SUPABASE_SECRET_KEY
    ? { default: settings.SUPABASE_SECRET_KEY }
    : {};
  // A hosted project publishes its signing keys at the Auth well-known endpoint.
  const jwks = settings.SUPABASE_JWKS
    ? settings.SUPABASE_JWKS as { keys: JsonWebKey[] }
    : settings.SUPABASE_JWKS_URL
    ? new URL(settings.SUPABASE_JWKS_URL)
    : settings.SUPABASE_URL
    ? new URL("/auth/v1/.well-known/jwks.json", settings.SUPABASE_URL)
    : null;
  return {
    url: settings.SUPABASE_URL ?? "http://127.0.0.1:54321",
    publishableKeys: {},
    secretKeys,
    jwks,
  };
}

/** Compares two secrets in time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ b[i];
  return difference === 0;
}

/** Legacy tokens (no `kid`) are HS256 with the project's JWT secret; @supabase/server needs a kid. */
async function verifyLegacyJwt(token: string): Promise<JWTPayload | null> {
  const secret = env().SUPABASE_JWT_SECRET;
  if (!secret) return null;
  try {
    const { jwtVerify } = await jose();
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
    });
    return payload;
  } catch {
    throw unauthorized("The bearer token is invalid or expired.");
  }
}

async function hasKid(token: string): Promise<boolean> {
  const { decodeProtectedHeader } = await jose();
  try {
    return Boolean(decodeProtectedHeader(token).kid);
  } catch {
    throw unauthorized("The bearer token is malformed.");
  }
}

/** Verifies the caller's Supabase Auth JWT and requires the `authenticated` role. */
export async function authenticateUser(request: Request): Promise<UserAuth> {
  const { extractCredentials, verifyCredentials } = await supabaseServer();
  const { token } = extractCredentials(request);
  if (!token) throw unauthorized();
  const cached = cachedUserAuth(token);
  if (cached) return cached;

  let claims: JWTPayload | null;
  if (!token.startsWith("sb_") && !(await hasKid(token))) {
    claims = await verifyLegacyJwt(token);
    if (!claims) throw unauthorized("The bearer token is invalid or expired.");
  } else {
    const { data, error } = await verifyCredentials({ token, apikey: null }, {
      auth: "user",
      env: supabaseServerEnv(),
    });
    if (error) {
      // A 500 here is our misconfiguration (no JWKS), not the caller's fault.
      if (error.status >= 500) throw new HttpError(500, "auth_misconfigured", "Authentication is not configured.");
      throw unauthorized("The bearer token is invalid or expired.");
    }
    claims = data.jwtClaims as JWTPayload;
  }

  if (typeof claims.sub !== "string" || claims.role !== "authenticated") {
    throw forbidden("A signed-in user's token is required.");
  }
  const auth: UserAuth = { kind: "user", userId: claims.sub, claims: claims as UserAuth["claims"] };
  rememberUserAuth(token, auth);
  return auth;
}

/** Accepts the service key (`apikey` header) or a legacy service-role JWT (bearer). */
/**
 * An admin: the service role (as `authenticateService` takes it), or a signed-in user whose JWT
 * carries `app_metadata.role = "admin"` (set only by the service: users cannot write their
 * app_metadata). Any other signed-in user is a 403.
 */
export async function authenticateAdmin(request: Request): Promise<UserAuth | ServiceAuth> {
  try {
    return await authenticateService(request);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
  }
  const user = await authenticateUser(request);
  const appMetadata = (user.claims as { app_metadata?: { role?: unknown } }).app_metadata;
  if (appMetadata?.role !== "admin") throw forbidden("This endpoint is for admins only.");
  return user;
}

export async function authenticateService(request: Request): Promise<ServiceAuth> {
  const { extractCredentials, verifyCredentials } = await supabaseServer();
  const { token, apikey } = extractCredentials(request);
  if (apikey) {
    const { error } = await verifyCredentials({ token: null, apikey }, {
      auth: "secret:*",
      env: supabaseServerEnv(),
    });
    if (!error) return { kind: "service" };
  }
  if (!token && !apikey) throw unauthorized();
  // The service-role key Supabase gives every function: what pg_net sends from Vault on a project
  // whose key is a legacy JWT, verifiable without the JWT secret.
  const serviceRoleKey = env().SUPABASE_SERVICE_ROLE_KEY;
  if (serviceRoleKey && [token, apikey].some((value) => value && sameSecret(value, serviceRoleKey))) {
    return { kind: "service" };
  }
  if (token && !token.startsWith("sb_") && !(await hasKid(token))) {
    const claims = await verifyLegacyJwt(token);
    if (claims?.role === "service_role") return { kind: "service" };
    if (claims) throw forbidden("This endpoint is for the service role only.");
  }
  if (token && !token.startsWith("sb_")) {
    const { data } = await verifyCredentials({ token, apikey: null }, {
      auth: "user",
      env: supabaseServerEnv(),
    });
    if (data) throw forbidden("This endpoint is for the service role only.");
  }
  throw unauthorized("A valid service key is required.");
}
