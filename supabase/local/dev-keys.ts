import { jwtVerify, SignJWT } from "jose";

// Also imported by the Node test suites, so read the environment either way.
const setting = (name: string): string | undefined =>
  (globalThis as { Deno?: { env: { get(n: string): string | undefined } } }).Deno?.env.get(name) ??
    (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[name];

/**
 * Development credentials of the local stack. They are public defaults (the JWT secret is the one
 * the Supabase CLI uses locally) and must never be used for a hosted project; set
 * STORYVOICE_JWT_SECRET / STORYVOICE_SECRET_KEY to override them.
 */
export const LOCAL_JWT_SECRET = setting("STORYVOICE_JWT_SECRET") ??
  "super-secret-jwt-token-with-at-least-32-characters-long";
export const LOCAL_JWT_KID = "storyvoice-local-hs256";
export const LOCAL_SECRET_KEY = setting("STORYVOICE_SECRET_KEY") ?? "sb_secret_storyvoice_local_development";
export const LOCAL_ISSUER = "http://127.0.0.1:54321/auth/v1";

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The HS256 signing key as a JWK set, the way @supabase/server reads SUPABASE_JWKS. */
export function localJwks(): string {
  return JSON.stringify({
    keys: [{
      kty: "oct",
      alg: "HS256",
      kid: LOCAL_JWT_KID,
      k: base64Url(new TextEncoder().encode(LOCAL_JWT_SECRET)),
    }],
  });
}

/** Signs a token for the local stack; users get `role: authenticated`. */
export async function signLocalToken(
  claims: {
    sub?: string;
    role: "authenticated" | "anon" | "service_role";
    email?: string;
    /** As Supabase Auth puts `auth.users.raw_app_meta_data` in the token (`role: "admin"` for admins). */
    app_metadata?: Record<string, unknown>;
  },
  expiresIn = "24h",
): Promise<string> {
  const jwt = new SignJWT({ ...claims, aud: claims.role === "authenticated" ? "authenticated" : undefined })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: LOCAL_JWT_KID })
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  return await jwt.sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
}

/** Signing secret of the local openai-webhook endpoint (Standard Webhooks format). */
export const LOCAL_WEBHOOK_SECRET = setting("STORYVOICE_WEBHOOK_SECRET") ??
  `whsec_${btoa("storyvoice-local-webhook-secret")}`;

/** Verifies a token signed by signLocalToken; null when it is not one (or has expired). */
export async function verifyLocalToken(token: string): Promise<Record<string, unknown> & { sub?: string; role?: string } | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(LOCAL_JWT_SECRET), { issuer: LOCAL_ISSUER });
    return payload as Record<string, unknown> & { sub?: string; role?: string };
  } catch {
    return null;
  }
}
