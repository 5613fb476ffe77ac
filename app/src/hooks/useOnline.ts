import { useSyncExternalStore } from "react";

const subscribe = (changed: () => void) => {
  globalThis.addEventListener("online", changed);
  globalThis.addEventListener("offline", changed);
  return () => {
    globalThis.removeEventListener("online", changed);
    globalThis.removeEventListener("offline", changed);
  };
};

/** Whether the browser has a network: false while offline, updated as it comes and goes. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine, () => true);
}
