import { describe, expect, it } from "vitest";
import { personaGuard } from "../../shared/chat/prompt.ts";
import { arrangeConversation, configure, send, STYLE_GUIDE, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { createUser } from "../support/stack.ts";

const { sim } = useChatHarness();

describe("chat: conversation context", () => {
  it("the second and third turns send the earlier exchanges, oldest first, then the new message", async () => {
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready", style_description: STYLE_GUIDE, entity_name: "Ada Byron" });
    const first = await send(alice, modelId, { message: "What inspired you?" });
    const { conversationId } = first.json;
    const second = await send(alice, modelId, { message: "And after that?", conversationId });
    await send(alice, modelId, { message: "Last question", conversationId });

    const system = { role: "system", content: `${STYLE_GUIDE}\n\n${personaGuard("Ada Byron")}` };
    expect(sim.chatRequests[1].messages).toEqual([
      system,
      { role: "user", content: "What inspired you?" },
      { role: "assistant", content: first.json.response },
      { role: "user", content: "And after that?" },
    ]);
    expect(sim.chatRequests[2].messages).toEqual([
      system,
      { role: "user", content: "What inspired you?" },
      { role: "assistant", content: first.json.response },
      { role: "user", content: "And after that?" },
      { role: "assistant", content: second.json.response },
      { role: "user", content: "Last question" },
    ]);
  });

  it("a long history is trimmed to CHAT_HISTORY_TOKEN_BUDGET, keeping the newest exchanges", async () => {
    // Each exchange costs 14 + 24 = 38 estimated tokens: a budget of 100 keeps two.
    configure({ CHAT_HISTORY_TOKEN_BUDGET: "100" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const history = Array.from({ length: 10 }, (_, i) => ({
      user: `question ${String(i).padStart(2, "0")} `.padEnd(40, "?"),
      assistant: `answer ${String(i).padStart(2, "0")} `.padEnd(80, "!"),
    }));
    const conversationId = await arrangeConversation(alice, modelId, history);

    const { json } = await send(alice, modelId, { message: "Newest", conversationId });

    expect(json.messageOrder).toBe(11);
    expect((sim.chatRequests[0].messages as unknown[]).slice(1)).toEqual([
      { role: "user", content: history[8].user },
      { role: "assistant", content: history[8].assistant },
      { role: "user", content: history[9].user },
      { role: "assistant", content: history[9].assistant },
      { role: "user", content: "Newest" },
    ]);
  });

  it("however large the budget, at most the 50 newest exchanges are loaded", async () => {
    configure({ CHAT_HISTORY_TOKEN_BUDGET: "1000000" });
    const alice = await createUser("alice");
    const modelId = await insertModel(alice.id, { status: "ready" });
    const history = Array.from({ length: 60 }, (_, i) => ({ user: `q${i}`, assistant: `a${i}` }));
    const conversationId = await arrangeConversation(alice, modelId, history);

    const { json } = await send(alice, modelId, { message: "Newest", conversationId });

    expect(json.messageOrder).toBe(61);
    const sent = (sim.chatRequests[0].messages as { content: string }[]).slice(1, -1).map((message) => message.content);
    expect(sent).toEqual(history.slice(10).flatMap((exchange) => [exchange.user, exchange.assistant]));
  });
});
