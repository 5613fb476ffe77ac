import type { UserAuth } from "./identity.ts";

/**
 * Bearer tokens already verified by this instance, so a client sending the same token request
 * after request pays the signature check (most of the auth step's time) once a minute rather than
 * every time. An entry lives until the token expires, at most `MAX_AGE_MS`: a signing key rotated
 * out stops being honoured within that minute. Bounded; the oldest entries go first.
 */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 1_000;

const verified = new Map<string, { auth: UserAuth; until: number }>();

/** The identity a still-valid cached verification of exactly this token gave, if any. */
export function cachedUserAuth(token: string, now = Date.now()): UserAuth | undefined {
  const entry = verified.get(token);
  if (!entry) return undefined;
  if (entry.until <= now) {
    verified.delete(token);
    return undefined;
  }
  return entry.auth;
}

/** Remembers a successful verification until the token's `exp` (seconds), at most a minute. */
export function rememberUserAuth(token: string, auth: UserAuth, now = Date.now()): void {
  const exp = typeof auth.claims.exp === "number" ? auth.claims.exp * 1000 : now;
  const until = Math.min(exp, now + MAX_AGE_MS);
  if (until <= now) return;
  if (verified.size >= MAX_ENTRIES) verified.delete(verified.keys().next().value!);
  verified.set(token, { auth, until });
}
