/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_SUPABASE_URL?: string;
  readonly VITE_SUPABASE_ANON_KEY?: string;
  /** "true" where the project sends email: offers magic-link sign-in. */
  readonly VITE_AUTH_MAGIC_LINK?: string;
}
