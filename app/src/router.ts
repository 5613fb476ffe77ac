import { useEffect, useState } from "react";

/** The app's screens, addressed by the URL's hash so any static host serves them. */
export type Route =
  | { screen: "models" }
  | { screen: "create" }
  | { screen: "chat"; modelId: string }
  | { screen: "demo" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const chat = path.match(/^\/models\/([0-9a-f-]{36})$/i);
  if (chat) return { screen: "chat", modelId: chat[1] };
  if (path === "/new") return { screen: "create" };
  if (path === "/demo") return { screen: "demo" };
  return { screen: "models" };
}

export const hrefFor = {
  models: "#/",
  create: "#/new",
  demo: "#/demo",
  chat: (modelId: string) => `#/models/${modelId}`,
};

export function navigate(href: string) {
  window.location.hash = href.replace(/^#/, "");
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
