import { type FormEvent, useState } from "react";
import { config, supabase } from "../services.ts";

type Mode = "sign-in" | "sign-up";

/** Email and password sign-in and sign-up with supabase-js Auth; a magic link where email is set up. */
export function SignInScreen() {
  const [mode, setMode] = useState<Mode>("sign-in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    const { data, error: failure } = mode === "sign-in"
      ? await supabase.auth.signInWithPassword({ email, password })
      : await supabase.auth.signUp({ email, password });
    setBusy(false);
    if (failure) setError(failure.message);
    else if (mode === "sign-up" && !data.session) setNotice("Check your email to confirm your address, then sign in.");
  }

  async function sendMagicLink() {
    setBusy(true);
    setError(null);
    const { error: failure } = await supabase.auth.signInWithOtp({ email, options: { emailRedirectTo: window.location.href } });
    setBusy(false);
    if (failure) setError(failure.message);
    else setNotice(`We sent a sign-in link to ${email}.`);
  }

  const title = mode === "sign-in" ? "Sign in" : "Create your account";
  return (
    <main className="auth-screen">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="brand-mark large" aria-hidden="true">S</span>
          <h1>Storyvoice</h1>
          <p className="muted">Talk with the authors and characters of the books you love.</p>
        </div>
        <form onSubmit={submit} aria-labelledby="auth-title" noValidate>
          <h2 id="auth-title">{title}</h2>
          <label className="field">
            <span>Email</span>
            <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              minLength={6}
              required
            />
          </label>
          {error && <p className="form-error" role="alert">{error}</p>}
          {notice && <p className="form-notice" role="status">{notice}</p>}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? "Please wait…" : mode === "sign-in" ? "Sign in" : "Sign up"}
          </button>
          {config.magicLink && mode === "sign-in" && (
            <button type="button" className="button ghost wide" disabled={busy || !email} onClick={() => void sendMagicLink()}>
              Email me a sign-in link
            </button>
          )}
        </form>
        <p className="auth-switch">
          {mode === "sign-in" ? "New here?" : "Already have an account?"}{" "}
          <button type="button" className="link-button" onClick={() => setMode(mode === "sign-in" ? "sign-up" : "sign-in")}>
            {mode === "sign-in" ? "Create an account" : "Sign in"}
          </button>
        </p>
      </div>
    </main>
  );
}
