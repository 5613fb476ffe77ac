import { useOnline } from "../hooks/useOnline.ts";

/**
 * A thin line under the header while the device has no network: the app shell still works
 * (installed or not), answers wait until the network is back.
 */
export function OfflineNotice() {
  const online = useOnline();
  return (
    <div className="offline-notice" role="status" aria-live="polite">
      {!online && <p>You are offline</p>}
    </div>
  );
}
