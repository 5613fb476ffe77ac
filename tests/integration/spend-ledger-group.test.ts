import { describe, expect, it } from "vitest";
import groupChat from "../../functions/fine-tune-group-chat/handler.ts";
import { useChatHarness } from "../support/chat-harness.ts";
import { groupChatRequest, sendGroup } from "../support/group-chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { readEventStream } from "../support/sse.ts";
import { adminSql, createUser } from "../support/stack.ts";

// Group rounds in the spend ledger: each reply the provider served is in the ledger once, on its
// persona, for the user who chatted; a round that fails before any reply leaves nothing.

const { sim } = useChatHarness();

describe("spend ledger: group chat", () => {
  it("records each reply of a plain and a streamed round on its persona, equal to what was served", async () => {
    const alice = await createUser("group-ledger");
    const names = ["Elinor Dashwood", "Marianne Dashwood"];
    const modelIds = [
      await insertModel(alice.id, { type: "character", entity_name: names[0], style_description: `You are ${names[0]}.` }),
      await insertModel(alice.id, { type: "character", entity_name: names[1], style_description: `You are ${names[1]}.` }),
    ];
    // The first speaker's provider fails: a 502, nothing stored, nothing priced.
    sim.inject({ method: "POST", path: "/v1/chat/completions", kind: "status", status: 500, times: 1 });
    expect((await sendGroup(alice, { modelIds, message: "Sense or sensibility?", strategy: "list" })).status).toBe(502);
    expect(sim.servedUsage).toHaveLength(0);

    expect((await sendGroup(alice, { modelIds, message: "Sense or sensibility?", strategy: "list" })).status).toBe(200);
    const streamed = await groupChat(groupChatRequest(alice, { modelIds, message: "And Willoughby?", strategy: "list", stream: true }));
    expect((await readEventStream(streamed)).at(-1)?.event).toBe("done");

    // Served in speaking order: persona 1, 2 (plain), 1, 2 (streamed).
    expect(sim.servedUsage).toHaveLength(4);
    const rows = await adminSql()<{ model_id: string; requests: number; input_tokens: string; output_tokens: string }[]>`
      select model_id, requests, input_tokens, output_tokens from private.spend_ledger
      where user_id = ${alice.id} and kind = 'chat'`;
    for (const [index, modelId] of modelIds.entries()) {
      const served = [sim.servedUsage[index], sim.servedUsage[index + 2]];
      expect(rows.find((row) => row.model_id === modelId)).toEqual({
        model_id: modelId,
        requests: 2,
        input_tokens: String(served[0].promptTokens + served[1].promptTokens),
        output_tokens: String(served[0].completionTokens + served[1].completionTokens),
      });
    }
  });
});
