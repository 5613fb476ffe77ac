import { createClient } from "@supabase/supabase-js";
import { createStoryvoiceClient } from "../../sdk/index.ts";

/** The project this build talks to, set at build time (see app/README.md). */
export const config = {
  supabaseUrl: import.meta.env.VITE_SUPABASE_URL ?? "http://127.0.0.1:54321",
  anonKey: import.meta.env.VITE_SUPABASE_ANON_KEY ?? "",
  magicLink: import.meta.env.VITE_AUTH_MAGIC_LINK === "true",
};

/** The one supabase-js client (Auth) of the app. */
export const supabase = createClient(config.supabaseUrl, config.anonKey || "local-development", {
  auth: { persistSession: true, autoRefreshToken: true, storageKey: "storyvoice-auth" },
});

/** The one SDK instance; it sends the signed-in user's access token. */
export const api = createStoryvoiceClient({ url: config.supabaseUrl, key: config.anonKey || undefined, auth: supabase });
