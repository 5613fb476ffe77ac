import { describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import { chatRows, send, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { createUser } from "../support/stack.ts";

const { sim } = useChatHarness();

describe("chat: bad input", () => {
  const cases: [string, unknown, number, (string | number)[] | null][] = [
    ["an empty message", { message: "" }, 422, ["message"]],
    ["a blank message", { message: "   \n\t " }, 422, ["message"]],
    ["no message", {}, 422, ["message"]],
    ["a message of 4001 characters", { message: "x".repeat(4001) }, 422, ["message"]],
    ["a message with a NUL character", { message: "hello\u0000world" }, 422, ["message"]],
    ["a malformed conversationId", { message: "Hi", conversationId: "conversation-1" }, 422, ["conversationId"]],
    ["a temperature above 2", { message: "Hi", temperature: 2.5 }, 422, ["temperature"]],
    ["a negative temperature", { message: "Hi", temperature: -0.1 }, 422, ["temperature"]],
    ["maxTokens below 16", { message: "Hi", maxTokens: 8 }, 422, ["maxTokens"]],
    ["maxTokens above 2000", { message: "Hi", maxTokens: 2001 }, 422, ["maxTokens"]],
    ["a fractional maxTokens", { message: "Hi", maxTokens: 100.5 }, 422, ["maxTokens"]],
    ["stream as a string", { message: "Hi", stream: "yes" }, 422, ["stream"]],
    ["an unknown field", { message: "Hi", model: "gpt-5" }, 422, []],
    ["a body that is not JSON", '{"message": "Hi"', 400, null],
    ["a JSON array", '["Hi"]', 422, []],
    ["a body over 32 KB", { message: "x".repeat(40_000) }, 413, null],
  ];

  it.each(cases)("%s: %i and nothing stored or asked", async (_label, body, expectedStatus, issuePath) => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const { status, json } = await send(alice, modelId, body);

    expect(status).toBe(expectedStatus);
    expect(json.success).toBe(false);
    if (issuePath) {
      expect(json.error.code).toBe("validation_failed");
      expect(json.error.details.map((issue: { path: unknown[] }) => issue.path)).toContainEqual(issuePath);
    }
    expect(sim.chatRequests).toHaveLength(0);
    expect(await chatRows({ userId: alice.id })).toEqual([]);
  });

  it("400 for a malformed model id, 415 for a body that is not JSON by type", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });

    const badPath = await send(alice, "42", { message: "Hi" });
    expect(badPath.status).toBe(400);
    expect(badPath.json.error.details[0].path).toEqual(["modelId"]);

    const media = await send(alice, modelId, "message=Hi", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(media.status).toBe(415);
    expect(await chatRows({ userId: alice.id })).toEqual([]);
  });

  it("405 for GET", async () => {
    const alice = await createUser("alice");
    const response = await chat(new Request(`http://localhost/functions/v1/fine-tune-chat/${crypto.randomUUID()}`, {
      headers: { Authorization: `Bearer ${alice.token}` },
    }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
  });
});
