/**
 * DEV ONLY, never deployed: the one Data API call the reader app makes, where no PostgREST runs
 * locally. `PATCH /rest/v1/fine_tuned_models?id=eq.<id>` with columns a client may update, run as
 * PostgREST runs it (role `authenticated`, the token's claims), so RLS and the column grants
 * decide exactly as they do on a hosted project. The answer is the row as PostgREST shows it.
 */
import type postgres from "postgres";
import { verifyLocalToken } from "./dev-keys.ts";

const UPDATABLE = new Set(["is_public", "name", "description", "voice"]);
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "authorization, apikey, content-type, x-client-info, prefer, accept, accept-profile, content-profile",
  "Access-Control-Allow-Methods": "PATCH, OPTIONS",
};
const pgrstError = (status: number, code: string, message: string) =>
  Response.json({ code, message, details: null, hint: null }, { status, headers: CORS });

/** Serves /rest/v1/fine_tuned_models updates; answers null for any other path. */
export function createDevRest(sql: postgres.Sql) {
  return async function handleRest(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/rest/v1/")) return null;
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
    if (url.pathname !== "/rest/v1/fine_tuned_models" || request.method !== "PATCH") {
      return pgrstError(404, "PGRST125", "The local stack serves only updates of fine_tuned_models.");
    }
    const token = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
    const claims = token ? await verifyLocalToken(token) : null;
    if (!claims) return pgrstError(401, "PGRST301", "JWT could not be verified");
    const id = url.searchParams.get("id")?.match(/^eq\.([0-9a-f-]{36})$/i)?.[1];
    if (!id) return pgrstError(400, "PGRST100", "Filter by id=eq.<uuid>.");
    const body = await request.json().catch(() => null) as Record<string, unknown> | null;
    const columns = body ? Object.keys(body) : [];
    if (columns.length === 0 || columns.some((column) => !UPDATABLE.has(column))) {
      return pgrstError(400, "PGRST204", "Only is_public, name, description and voice can be updated.");
    }
    try {
      const rows = await sql.begin(async (tx) => {
        await tx`select set_config('role', ${String(claims.role)}, true),
                        set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
        return await tx<{ row: unknown }[]>`
          with updated as (
            update public.fine_tuned_models set ${tx(body!, ...columns)} where id = ${id} returning *
          )
          select to_jsonb(updated) as row from updated`;
      });
      const wantsObject = request.headers.get("accept")?.includes("vnd.pgrst.object") ?? false;
      if (wantsObject) {
        if (rows.length !== 1) return pgrstError(406, "PGRST116", "JSON object requested, multiple (or no) rows returned");
        return Response.json(rows[0].row, { headers: CORS });
      }
      return Response.json(rows.map((row) => row.row), { headers: CORS });
    } catch (error) {
      const code = (error as { code?: string }).code ?? "XX000";
      return pgrstError(code === "42501" ? 403 : 400, code, "The update was refused.");
    }
  };
}
