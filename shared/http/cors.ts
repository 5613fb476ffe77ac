import { env } from "../env.ts";

const ALLOWED_HEADERS = "authorization, x-client-info, apikey, content-type, accept, x-request-id";

/** CORS headers for a response to `request`; browsers call the functions from any app origin. */
export function corsHeaders(request: Request, methods: readonly string[]): Record<string, string> {
  const configured = env().CORS_ALLOWED_ORIGINS;
  const origin = request.headers.get("origin");
  let allowOrigin = "*";
  if (configured !== "*") {
    const allowed = configured.split(",").map((item) => item.trim());
    allowOrigin = origin && allowed.includes(origin) ? origin : allowed[0];
  }
  return {
    "Access-Control-Allow-Origin": allowOrigin,
    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
    "Access-Control-Allow-Methods": [...methods, "OPTIONS"].join(", "),
    "Access-Control-Expose-Headers": "x-request-id, retry-after, x-speech-voice, x-speech-characters",
    ...(allowOrigin === "*" ? {} : { Vary: "Origin" }),
  };
}
