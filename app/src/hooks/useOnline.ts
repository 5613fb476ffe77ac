import { useEffect, useRef, useSyncExternalStore } from "react";

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

/** Calls `retry` once when the network comes back while `waiting` (a message kept unsent offline). */
export function useRetryWhenOnline(waiting: boolean, retry: () => void) {
  const online = useOnline();
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && waiting) retry();
    wasOnline.current = online;
  }, [online, waiting, retry]);
}
