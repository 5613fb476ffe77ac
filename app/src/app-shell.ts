/**
 * Registers the app-shell service worker (sw.js, written by the production build) so the app can
 * be installed and opens offline. Not in development: the dev server serves no worker.
 */
export function registerAppShell() {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  addEventListener("load", () => {
    navigator.serviceWorker.register("./sw.js").catch(() => {
      // Without it the app still works online; nothing for a reader to do.
    });
  });
}
