import { describe, expect, it } from "vitest";
import { SSE_HEADERS, sseEvent, wantsEventStream } from "../../shared/chat/sse.ts";
import { joinedDeltas, parseEventStream } from "../support/sse.ts";

describe("sseEvent", () => {
  it("frames one event: its name, one data line of JSON, a blank line", () => {
    expect(sseEvent("delta", { text: "Hello" })).toBe('event: delta\ndata: {"text":"Hello"}\n\n');
  });

  it("keeps multi-line text on one data line, so no newline in the text can end the event early", () => {
    const framed = sseEvent("delta", { text: "first line\n\nsecond line\r\n" });
    expect(framed.split("\n")).toEqual(["event: delta", expect.stringMatching(/^data: /), "", ""]);
    expect(parseEventStream(framed)).toEqual([{ event: "delta", data: { text: "first line\n\nsecond line\r\n" } }]);
  });

  it("carries any JSON value intact, unicode included", () => {
    const done = { conversationId: "6f1c2e0a-1b2c-4d5e-8f90-0a1b2c3d4e5f", tokensUsed: 42, usingFallback: true, messageOrder: 3 };
    const text = { text: "Ça va? — «oui» 📚 \"quoted\" \\ backslash" };
    expect(parseEventStream(sseEvent("done", done) + sseEvent("delta", text))).toEqual([
      { event: "done", data: done },
      { event: "delta", data: text },
    ]);
  });

  it("concatenated events read back in order and their deltas join to the text", () => {
    const pieces = ["As Ada, ", "I would ", "say: yes."];
    const body = pieces.map((text) => sseEvent("delta", { text })).join("") + sseEvent("done", { tokensUsed: 9 });
    const events = parseEventStream(body);
    expect(events.map((event) => event.event)).toEqual(["delta", "delta", "delta", "done"]);
    expect(joinedDeltas(events)).toBe("As Ada, I would say: yes.");
  });
});

describe("SSE_HEADERS", () => {
  it("declare an event stream that caches and proxies must not buffer or transform", () => {
    expect(SSE_HEADERS["Content-Type"]).toMatch(/^text\/event-stream\b/);
    expect(SSE_HEADERS["Cache-Control"]).toContain("no-cache");
    expect(SSE_HEADERS["Cache-Control"]).toContain("no-transform");
    expect(SSE_HEADERS["X-Accel-Buffering"]).toBe("no");
  });
});

describe("wantsEventStream", () => {
  const withAccept = (accept?: string) =>
    new Request("http://localhost/fine-tune-chat/x", {
      method: "POST",
      headers: accept === undefined ? {} : { Accept: accept },
    });

  it("is true when the client accepts text/event-stream, alone or among other types", () => {
    expect(wantsEventStream(withAccept("text/event-stream"))).toBe(true);
    expect(wantsEventStream(withAccept("application/json, text/event-stream;q=0.9"))).toBe(true);
  });

  it("is false without an Accept header, or for JSON and wildcards", () => {
    expect(wantsEventStream(withAccept())).toBe(false);
    expect(wantsEventStream(withAccept("application/json"))).toBe(false);
    expect(wantsEventStream(withAccept("*/*"))).toBe(false);
    expect(wantsEventStream(withAccept("text/*"))).toBe(false);
  });
});

describe("parseEventStream (the tests' own reader)", () => {
  it("follows the EventSource rules: CRLF, comments, multi-line data, default event name", () => {
    const body = ": keep-alive\r\nevent: delta\r\ndata: {\"text\":\r\ndata: \"a\"}\r\n\r\ndata: {\"n\":1}\n\n";
    expect(parseEventStream(body)).toEqual([
      { event: "delta", data: { text: "a" } },
      { event: "message", data: { n: 1 } },
    ]);
  });
});
