import { describe, expect, it } from "vitest";
import type { UserAuth } from "../../shared/auth/identity.ts";
import { cachedUserAuth, rememberUserAuth } from "../../shared/auth/verified-tokens.ts";

function authExpiringAt(expSeconds: number): UserAuth {
  return { kind: "user", userId: crypto.randomUUID(), claims: { sub: "u", role: "authenticated", exp: expSeconds } };
}

describe("verified tokens", () => {
  const now = 1_800_000_000_000;

  it("answers a remembered token until a minute has passed", () => {
    const token = `token-${crypto.randomUUID()}`;
    const auth = authExpiringAt(now / 1000 + 3600);
    rememberUserAuth(token, auth, now);
    expect(cachedUserAuth(token, now + 59_000)).toBe(auth);
    expect(cachedUserAuth(token, now + 60_000)).toBeUndefined();
  });

  it("never outlives the token's own expiry", () => {
    const token = `token-${crypto.randomUUID()}`;
    rememberUserAuth(token, authExpiringAt(now / 1000 + 5), now);
    expect(cachedUserAuth(token, now + 4_999)).toBeDefined();
    expect(cachedUserAuth(token, now + 5_000)).toBeUndefined();
  });

  it("does not remember an expired token or one without an expiry", () => {
    const expired = `token-${crypto.randomUUID()}`;
    rememberUserAuth(expired, authExpiringAt(now / 1000 - 1), now);
    expect(cachedUserAuth(expired, now)).toBeUndefined();
    const noExp = `token-${crypto.randomUUID()}`;
    rememberUserAuth(noExp, { kind: "user", userId: "u", claims: { sub: "u", role: "authenticated" } }, now);
    expect(cachedUserAuth(noExp, now)).toBeUndefined();
  });

  it("answers only for exactly the same token", () => {
    const token = `token-${crypto.randomUUID()}`;
    rememberUserAuth(token, authExpiringAt(now / 1000 + 3600), now);
    expect(cachedUserAuth(`${token}x`, now)).toBeUndefined();
  });

  it("keeps at most a thousand entries, dropping the oldest", () => {
    const first = `token-${crypto.randomUUID()}`;
    rememberUserAuth(first, authExpiringAt(now / 1000 + 3600), now);
    for (let i = 0; i < 1_000; i++) rememberUserAuth(`filler-${i}-${crypto.randomUUID()}`, authExpiringAt(now / 1000 + 3600), now);
    expect(cachedUserAuth(first, now)).toBeUndefined();
  });
});
