import { describe, expect, it } from "vitest";
import { record, RECORDED_LIMIT } from "../../supabase/local/recorded.ts";
import { client, useSimulatorHarness } from "../support/openai-simulator-harness.ts";

const { sim } = useSimulatorHarness();

describe("what the simulators record for tests", () => {
  it("keeps the newest entries, oldest first, up to the limit", () => {
    const list: number[] = [];
    for (let entry = 1; entry <= 7; entry++) record(list, entry, 3);
    expect(list).toEqual([5, 6, 7]);
  });

  it("keeps a bounded window of chat requests and served usage, however long the simulator runs", async () => {
    // A simulator that has already served its limit (filled directly: 1,000 real calls take 15 s).
    for (let index = 0; index < RECORDED_LIMIT; index++) {
      sim.chatRequests.push({ earlier: index });
      sim.servedUsage.push({ model: "earlier", promptTokens: 1, completionTokens: 1, stream: false });
    }
    for (const question of ["first", "second"]) {
      await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] });
    }
    expect(sim.chatRequests).toHaveLength(RECORDED_LIMIT);
    expect(sim.servedUsage).toHaveLength(RECORDED_LIMIT);
    expect(sim.chatRequests[0]).toEqual({ earlier: 2 });
    expect(sim.chatRequests.slice(-2).map((request) => request.messages)).toEqual([
      [{ role: "user", content: "first" }],
      [{ role: "user", content: "second" }],
    ]);
    expect(sim.servedUsage.at(-1)).toMatchObject({ model: "gpt-4o-mini", stream: false });
  });
});
