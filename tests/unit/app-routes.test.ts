import { describe, expect, it } from "vitest";
import { matchingConversations } from "../../app/src/components/ConversationList.tsx";
import { hrefFor, parseRoute } from "../../app/src/router.ts";

// The reader app's addresses (every conversation has one; AI Models keeps its filters in its own)
// and the history's search.

const model = "11111111-1111-4111-8111-111111111111";
const conversation = "22222222-2222-4222-8222-222222222222";

describe("the app's addresses", () => {
  it("give each conversation, one-to-one and read-along, an address that parses back", () => {
    expect(parseRoute(hrefFor.chat(model, conversation))).toEqual({ screen: "chat", modelId: model, conversationId: conversation });
    expect(parseRoute(hrefFor.chat(model))).toEqual({ screen: "chat", modelId: model, conversationId: undefined });
    expect(parseRoute(hrefFor.read(model, conversation))).toEqual({ screen: "read", modelId: model, conversationId: conversation });
    expect(parseRoute(`#/models/${model}/examples`)).toEqual({ screen: "examples", modelId: model });
  });

  it("keep AI Models' filters, and an empty address is AI Models unfiltered", () => {
    const href = hrefFor.modelsFiltered({ type: "character", bookId: "pride-and-prejudice", mine: true });
    expect(parseRoute(href)).toEqual({ screen: "models", filter: { type: "character", bookId: "pride-and-prejudice", mine: true } });
    expect(hrefFor.modelsFiltered({})).toBe("#/");
    for (const empty of ["", "#", "#/"]) expect(parseRoute(empty)).toEqual({ screen: "models", filter: {} });
    expect(parseRoute("#/?type=robot").screen).toBe("models");
  });

  it("say what an unknown address or an old chat link was, instead of showing AI Models", () => {
    expect(parseRoute(`#/chat/${model}`)).toEqual({ screen: "unknown", path: `/chat/${model}`, modelId: model });
    expect(parseRoute("#/nowhere")).toEqual({ screen: "unknown", path: "/nowhere", modelId: undefined });
    expect(parseRoute(`#/models/${model}/c/not-an-id`).screen).toBe("unknown");
  });
});

describe("the history's search", () => {
  const exchange = (user: string, assistant: string) => ({ chatId: model, user, assistant, timestamp: "2026-12-06T00:00:00Z", rating: null });
  const conversations = [
    { conversationId: "a", startedAt: "2026-12-06T00:00:00Z", title: "Childhood at Lambton", messages: [exchange("Where did you grow up?", "Derbyshire.")] },
    { conversationId: "b", startedAt: "2026-12-06T00:00:00Z", title: null, messages: [exchange("Who taught you to ride?", "My father, at Pemberley.")] },
  ];
  const found = (search: string) => matchingConversations(conversations, search).map((item) => item.conversationId);

  it("finds every word in a conversation's name or messages, case and accents aside", () => {
    expect(found("")).toEqual(["a", "b"]);
    expect(found("lambton")).toEqual(["a"]);
    expect(found("PEMBERLEY father")).toEqual(["b"]);
    expect(found("pémberley")).toEqual(["b"]);
    expect(found("pemberley lambton")).toEqual([]);
  });
});
