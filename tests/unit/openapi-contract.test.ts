import { describe, expect, it } from "vitest";
import { assertDocumentedResponse } from "../support/openapi-contract.ts";

// The check every e2e call goes through (tests/support/http.ts): it must refuse what the
// document does not say, or the e2e suites prove nothing about the contract.
const base = "http://127.0.0.1:1/functions/v1";
const modelId = "9b2f6a52-6a8e-4c1e-9a57-3a8f1f3f2b10";
const json = (status: number, body: unknown) => ({
  status,
  headers: new Headers({ "content-type": "application/json; charset=utf-8" }),
  text: JSON.stringify(body),
});
const stream = (text: string) => ({ status: 200, headers: new Headers({ "content-type": "text/event-stream" }), text });
const notFound = { success: false, error: { code: "not_found", message: "No such model." } };

describe("assertDocumentedResponse", () => {
  it("accepts a documented status whose body matches", () => {
    expect(() => assertDocumentedResponse("GET", `${base}/fine-tune-status/${modelId}`, json(404, notFound))).not.toThrow();
    expect(() => assertDocumentedResponse("DELETE", `${base}/fine-tune-models`, json(405, { ...notFound, error: { code: "method_not_allowed", message: "Use GET." } })))
      .not.toThrow();
  });

  it("refuses an undocumented status", () => {
    expect(() => assertDocumentedResponse("GET", `${base}/fine-tune-models`, json(409, notFound))).toThrow(/does not document/);
  });

  it("refuses a body off its schema, naming where", () => {
    const extra = { ...notFound, stack: "at handler.ts:1" };
    expect(() => assertDocumentedResponse("GET", `${base}/fine-tune-status/${modelId}`, json(404, extra))).toThrow(/does not match/);
    expect(() => assertDocumentedResponse("DELETE", `${base}/fine-tune-delete/${modelId}`, json(200, { success: true })))
      .toThrow(/must have required property 'message'/);
  });

  it("refuses an unknown path", () => {
    expect(() => assertDocumentedResponse("GET", `${base}/fine-tune-nothing`, json(404, notFound))).toThrow(/no path/);
  });

  it("checks each event of a stream", () => {
    const url = `${base}/fine-tune-chat/${modelId}`;
    const done = { conversationId: modelId, tokensUsed: 3, usingFallback: true, chatId: modelId, messageOrder: 1, citations: [],
      memoriesUsed: [], readerPersonaId: null };
    const good = `event: delta\ndata: {"text":"Hi"}\n\nevent: done\ndata: ${JSON.stringify(done)}\n\n`;
    expect(() => assertDocumentedResponse("POST", url, stream(good))).not.toThrow();
    expect(() => assertDocumentedResponse("POST", url, stream(`event: delta\ndata: {"txt":"Hi"}\n\n`))).toThrow(/event delta/);
    expect(() => assertDocumentedResponse("POST", url, stream(`event: surprise\ndata: {}\n\n`))).toThrow(/event surprise/);
  });
});
