import type { JWTPayload } from "jose";

/** A signed-in end user; `claims` become `request.jwt.claims` so RLS sees the same identity. */
export interface UserAuth {
  kind: "user";
  userId: string;
  claims: JWTPayload & { sub: string; role?: string };
}

/** The trusted service path (cron sync, admin tooling): the service key or a service-role JWT. */
export interface ServiceAuth {
  kind: "service";
}
