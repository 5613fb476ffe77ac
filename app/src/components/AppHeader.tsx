import { hrefFor } from "../router.ts";
import { supabase } from "../services.ts";

export function AppHeader({ email, isAdmin = false }: { email: string; isAdmin?: boolean }) {
  return (
    <header className="app-header">
      <a className="brand" href={hrefFor.models}>
        <span className="brand-mark" aria-hidden="true">S</span>
        <span>Storyvoice</span>
      </a>
      <div className="header-actions">
        <a className="header-link" href={hrefFor.usage}>Usage</a>
        {isAdmin && <a className="header-link" href={hrefFor.analytics}>Analytics</a>}
        <span className="header-email" title={email}>{email}</span>
        <button type="button" className="button ghost small" onClick={() => void supabase.auth.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
