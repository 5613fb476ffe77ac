import { useEffect, useState } from "react";

/** The app's screens, addressed by the URL's hash so any static host serves them. */
export type Route =
  | { screen: "models" }
  | { screen: "create" }
  | { screen: "chat"; modelId: string }
  | { screen: "demo" }
  /** The reader's usage against their plan's quotas, with the last 30 days. */
  | { screen: "usage" }
  /** A group chat: a new one among a book's personas (some picked already), or an earlier one. */
  | { screen: "group"; bookId?: string; withModelIds: string[]; conversationId?: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const chat = path.match(/^\/models\/([0-9a-f-]{36})$/i);
  if (chat) return { screen: "chat", modelId: chat[1] };
  const group = path.match(/^\/group(?:\/([0-9a-f-]{36}))?(?:\?(.*))?$/i);
  if (group) {
    const query = new URLSearchParams(group[2] ?? "");
    return {
      screen: "group",
      conversationId: group[1],
      bookId: query.get("book") ?? undefined,
      withModelIds: query.getAll("with"),
    };
  }
  if (path === "/new") return { screen: "create" };
  if (path === "/demo") return { screen: "demo" };
  if (path === "/usage") return { screen: "usage" };
  return { screen: "models" };
}

export const hrefFor = {
  models: "#/",
  create: "#/new",
  demo: "#/demo",
  usage: "#/usage",
  chat: (modelId: string) => `#/models/${modelId}`,
  newGroup: (bookId: string, withModelIds: string[] = []) =>
    `#/group?${new URLSearchParams([["book", bookId], ...withModelIds.map((id) => ["with", id])])}`,
  group: (conversationId: string) => `#/group/${conversationId}`,
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
