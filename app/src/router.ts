import { useEffect, useState } from "react";
import type { ModelType } from "../../sdk/index.ts";

/** The AI Models screen's filters, kept in its URL so Back and reload find them again. */
export interface ModelsFilter {
  type?: ModelType;
  bookId?: string;
  /** Only the reader's own models. */
  mine?: boolean;
}

/** The app's screens, addressed by the URL's hash so any static host serves them. */
export type Route =
  | { screen: "models"; filter: ModelsFilter }
  | { screen: "create" }
  /** One-to-one chat; a conversation id opens that conversation (a reload comes back to it). */
  | { screen: "chat"; modelId: string; conversationId?: string }
  /** The owner's training examples of one model. */
  | { screen: "examples"; modelId: string }
  /** A book's whole cast at once (for the book chosen on AI Models, if any). */
  | { screen: "cast"; bookId?: string }
  /** Reading the persona's book with its chat beside it (that conversation, when given). */
  | { screen: "read"; modelId: string; conversationId?: string }
  | { screen: "demo" }
  /** Admins only: the deployment's usage, spend and training analytics. */
  | { screen: "analytics" }
  /** The reader's usage against their plan's quotas, with the last 30 days. */
  | { screen: "usage" }
  /** A group chat: a new one among a book's personas (some picked already), or an earlier one. */
  | { screen: "group"; bookId?: string; withModelIds: string[]; conversationId?: string }
  /** An address the app does not know; `modelId` when it names a model the old way (`#/chat/<id>`). */
  | { screen: "unknown"; path: string; modelId?: string };

const UUID = "([0-9a-f-]{36})";

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const chat = path.match(new RegExp(`^/models/${UUID}(?:/c/${UUID})?$`, "i"));
  if (chat) return { screen: "chat", modelId: chat[1], conversationId: chat[2] };
  const examples = path.match(new RegExp(`^/models/${UUID}/examples$`, "i"));
  if (examples) return { screen: "examples", modelId: examples[1] };
  const cast = path.match(/^\/cast(?:\?(.*))?$/);
  if (cast) return { screen: "cast", bookId: new URLSearchParams(cast[1] ?? "").get("book") ?? undefined };
  const read = path.match(new RegExp(`^/read/${UUID}(?:/c/${UUID})?$`, "i"));
  if (read) return { screen: "read", modelId: read[1], conversationId: read[2] };
  const group = path.match(new RegExp(`^/group(?:/${UUID})?(?:\\?(.*))?$`, "i"));
  if (group) {
    const query = new URLSearchParams(group[2] ?? "");
    return {
      screen: "group",
      conversationId: group[1],
      bookId: query.get("book") ?? undefined,
      withModelIds: query.getAll("with"),
    };
  }
  const models = path.match(/^\/?(?:\?(.*))?$/);
  if (models) {
    const query = new URLSearchParams(models[1] ?? "");
    const type = query.get("type");
    return {
      screen: "models",
      filter: {
        type: type === "author" || type === "character" ? type : undefined,
        bookId: query.get("book") ?? undefined,
        mine: query.get("mine") === "1" || undefined,
      },
    };
  }
  if (path === "/new") return { screen: "create" };
  if (path === "/demo") return { screen: "demo" };
  if (path === "/analytics") return { screen: "analytics" };
  if (path === "/usage") return { screen: "usage" };
  const old = path.match(new RegExp(`^/chat/${UUID}$`, "i"));
  return { screen: "unknown", path, modelId: old?.[1] };
}

const withConversation = (base: string, conversationId?: string) => (conversationId ? `${base}/c/${conversationId}` : base);

export const hrefFor = {
  models: "#/",
  /** AI Models with its filters in the address. */
  modelsFiltered: (filter: ModelsFilter) => {
    const query = new URLSearchParams();
    if (filter.type) query.set("type", filter.type);
    if (filter.bookId) query.set("book", filter.bookId);
    if (filter.mine) query.set("mine", "1");
    const text = query.toString();
    return text ? `#/?${text}` : "#/";
  },
  create: "#/new",
  demo: "#/demo",
  analytics: "#/analytics",
  usage: "#/usage",
  chat: (modelId: string, conversationId?: string) => withConversation(`#/models/${modelId}`, conversationId),
  examples: (modelId: string) => `#/models/${modelId}/examples`,
  cast: (bookId?: string) => (bookId ? `#/cast?${new URLSearchParams([["book", bookId]])}` : "#/cast"),
  read: (modelId: string, conversationId?: string) => withConversation(`#/read/${modelId}`, conversationId),
  newGroup: (bookId: string, withModelIds: string[] = []) =>
    `#/group?${new URLSearchParams([["book", bookId], ...withModelIds.map((id) => ["with", id])])}`,
  group: (conversationId: string) => `#/group/${conversationId}`,
};

export function navigate(href: string) {
  window.location.hash = href.replace(/^#/, "");
}

/**
 * Puts an address in place of the current one without a new history entry or a hashchange (a
 * conversation that just got its id; a filter changed), so Back still leaves the screen.
 */
export function replaceAddress(href: string) {
  if (window.location.hash === href) return;
  window.history.replaceState(window.history.state, "", href);
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
