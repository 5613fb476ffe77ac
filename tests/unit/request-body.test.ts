import { describe, expect, it } from "vitest";
import { readLimitedText } from "../../shared/request-body.ts";

// The body is decoded as it arrives: a character split across two network chunks stays whole.

const streamed = (...chunks: Uint8Array[]) =>
  new Request("http://localhost/", {
    method: "POST",
    body: new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }),
    duplex: "half",
  } as RequestInit);

describe("readLimitedText", () => {
  it("keeps a UTF-8 character split between chunks, and refuses past the limit", async () => {
    const bytes = new TextEncoder().encode('{"name":"セラフィナ"}');
    expect(await readLimitedText(streamed(bytes.subarray(0, 11), bytes.subarray(11)), 100)).toBe('{"name":"セラフィナ"}');
    await expect(readLimitedText(streamed(bytes.subarray(0, 11), bytes.subarray(11)), 20)).rejects.toMatchObject({ status: 413 });
  });
});
