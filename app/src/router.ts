import { useEffect, useState } from "react";

/** The app's screens, addressed by the URL's hash so any static host serves them. */
export type Route =
  | { screen: "models" }
  | { screen: "create" }
  | { screen: "chat"; modelId: string }
  /** The owner's training examples of one model. */
  | { screen: "examples"; modelId: string }
  /** A book's whole cast at once (for the book chosen on AI Models, if any). */
  | { screen: "cast"; bookId?: string }
  /** Reading the persona's book with its chat beside it. */
  | { screen: "read"; modelId: string }
  | { screen: "demo" }
  /** Admins only: the deployment's usage, spend and training analytics. */
  | { screen: "analytics" }
  /** The reader's usage against their plan's quotas, with the last 30 days. */
  | { screen: "usage" }
  /** A group chat: a new one among a book's personas (some picked already), or an earlier one. */
  | { screen: "group"; bookId?: string; withModelIds: string[]; conversationId?: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const chat = path.match(/^\/models\/([0-9a-f-]{36})$/i);
  if (chat) return { screen: "chat", modelId: chat[1] };
  const examples = path.match(/^\/models\/([0-9a-f-]{36})\/examples$/i);
  if (examples) return { screen: "examples", modelId: examples[1] };
  const cast = path.match(/^\/cast(?:\?(.*))?$/);
  if (cast) return { screen: "cast", bookId: new URLSearchParams(cast[1] ?? "").get("book") ?? undefined };
  const read = path.match(/^\/read\/([0-9a-f-]{36})$/i);
  if (read) return { screen: "read", modelId: read[1] };
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
  if (path === "/analytics") return { screen: "analytics" };
  if (path === "/usage") return { screen: "usage" };
  return { screen: "models" };
}

export const hrefFor = {
  models: "#/",
  create: "#/new",
  demo: "#/demo",
  analytics: "#/analytics",
  usage: "#/usage",
  chat: (modelId: string) => `#/models/${modelId}`,
  examples: (modelId: string) => `#/models/${modelId}/examples`,
  cast: (bookId?: string) => (bookId ? `#/cast?${new URLSearchParams([["book", bookId]])}` : "#/cast"),
  read: (modelId: string) => `#/read/${modelId}`,
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
