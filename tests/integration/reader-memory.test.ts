import { beforeEach, describe, expect, it } from "vitest";
import chat from "../../functions/fine-tune-chat/handler.ts";
import memories from "../../functions/fine-tune-memories/handler.ts";
import readerPersonas from "../../functions/fine-tune-reader-personas/handler.ts";
import { type ChatStreamEvent, createStoryvoiceClient, StoryvoiceError } from "../../sdk/index.ts";
import { configure, STYLE_GUIDE, useChatHarness } from "../support/chat-harness.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// Memory the reader can see and who they are, through the SDK against the real handlers in-process
// (the SDK's fetch dispatches by function name) on the suite's database and its own OpenAI simulator.

const { sim } = useChatHarness();
const handlers: Record<string, (request: Request) => Promise<Response>> = {
  "fine-tune-chat": chat,
  "fine-tune-memories": memories,
  "fine-tune-reader-personas": readerPersonas,
};

function clientOf(user: TestUser) {
  return createStoryvoiceClient({
    url: "http://localhost",
    auth: () => user.token,
    fetch: (input, init) => {
      const request = new Request(input, init);
      return handlers[new URL(request.url).pathname.split("/")[3]](request);
    },
  });
}

/** The harness's settings plus this file's own, each test starting from the defaults. */
function settings(overrides: Record<string, string> = {}) {
  configure({ MEMORY_MAX_CHARS: undefined, MEMORIES_PER_PERSONA: undefined, MEMORY_PROMPT_TOKEN_BUDGET: undefined, ...overrides });
}
beforeEach(() => settings());

async function refusal(promise: Promise<unknown>): Promise<StoryvoiceError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoryvoiceError);
  return error as StoryvoiceError;
}

/** The provider request of the turn whose user message is `message` (summary requests sit beside them). */
function promptOf(message: string) {
  const request = sim.chatRequests.findLast((body) => {
    const sent = body.messages as { role: string; content: string }[];
    return sent.at(-1)?.content === message;
  });
  return request!.messages as { role: string; content: string }[];
}

async function persona(ownerId: string, fields: Parameters<typeof insertModel>[1] = {}) {
  return await insertModel(ownerId, { status: "ready", style_description: STYLE_GUIDE, entity_name: "Ada Byron", ...fields });
}

describe("reader memory and who I am", () => {
  it("pins, edits and deletes memories within MEMORY_MAX_CHARS and MEMORIES_PER_PERSONA, with clear 4xx", async () => {
    settings({ MEMORY_MAX_CHARS: "60", MEMORIES_PER_PERSONA: "2" });
    const alice = await createUser("alice");
    const api = clientOf(alice);
    const modelId = await persona(alice.id);
    const reply = await api.chat(modelId, { message: "Tell me about the difference engine and its many wheels" });

    const typed = await api.pinMemory(modelId, { text: "My cat is called Babbage." });
    const pinned = await api.pinMemory(modelId, { chatId: reply.chatId });
    expect(pinned.sourceChatId).toBe(reply.chatId);
    expect(pinned.text.length).toBeLessThanOrEqual(60);
    expect(pinned.text.endsWith("…")).toBe(true);
    expect(reply.response.startsWith(pinned.text.slice(0, -1))).toBe(true);

    const third = await refusal(api.pinMemory(modelId, { text: "One too many" }));
    expect([third.status, third.code]).toEqual([409, "memory_limit_reached"]);
    const long = await refusal(api.editMemory(modelId, typed.id, "x".repeat(61)));
    expect([long.status, long.details]).toEqual([422, [{ path: ["text"], message: "At most 60 characters" }]]);

    const edited = await api.editMemory(modelId, typed.id, "My cat is called Ada.");
    const { memories: listed, limits } = await api.listMemories(modelId);
    expect(listed.map((memory) => memory.text)).toEqual(["My cat is called Ada.", pinned.text]);
    expect(limits).toMatchObject({ maxChars: 60, maxPerPersona: 2 });
    await api.deleteMemory(modelId, edited.id);
    expect((await api.listMemories(modelId)).memories.map((memory) => memory.id)).toEqual([pinned.id]);
  });

  it("memories are their reader's alone", async () => {
    const [alice, bob] = [await createUser("alice"), await createUser("bob")];
    const publicModel = await persona(alice.id, { is_public: true });
    const privateModel = await persona(alice.id, { entity_name: "Charles Babbage" });
    const memory = await clientOf(alice).pinMemory(publicModel, { text: "Alice's secret" });
    const theirs = clientOf(bob);

    expect((await theirs.listMemories(publicModel)).memories).toEqual([]);
    expect((await refusal(theirs.editMemory(publicModel, memory.id, "mine now"))).status).toBe(404);
    expect((await refusal(theirs.deleteMemory(publicModel, memory.id))).status).toBe(404);
    expect((await refusal(theirs.pinMemory(privateModel, { text: "sneaking in" }))).status).toBe(404);
    const aliceReply = await clientOf(alice).chat(publicModel, { message: "hello" });
    expect((await refusal(theirs.pinMemory(publicModel, { chatId: aliceReply.chatId }))).status).toBe(404);
    const bobReply = await theirs.chat(publicModel, { message: "Do you know a secret?" });
    expect(bobReply.memoriesUsed).toEqual([]);
    expect(promptOf("Do you know a secret?")[0].content).not.toContain("Alice's secret");
  });

  it("a turn is given the newest memories that fit MEMORY_PROMPT_TOKEN_BUDGET and names them, JSON and streamed", async () => {
    // Each memory costs its tokens (about 4 characters each) plus 2: a budget of 20 holds two of these.
    settings({ MEMORY_PROMPT_TOKEN_BUDGET: "20" });
    const alice = await createUser("alice");
    const api = clientOf(alice);
    const modelId = await persona(alice.id);
    const oldest = await api.pinMemory(modelId, { text: "I grew up in Kent." });
    const middle = await api.pinMemory(modelId, { text: "I play the harp." });
    const newest = await api.pinMemory(modelId, { text: "My dog is Biscuit." });

    const reply = await api.chat(modelId, { message: "What do you know of me?" });
    expect(reply.memoriesUsed).toEqual([
      { id: newest.id, text: newest.text },
      { id: middle.id, text: middle.text },
    ]);
    const system = promptOf("What do you know of me?")[0].content;
    expect(system).toContain("- My dog is Biscuit.\n- I play the harp.");
    expect(system).not.toContain(oldest.text);

    const events: ChatStreamEvent[] = [];
    for await (const event of api.chatStream(modelId, { message: "Again?", conversationId: reply.conversationId })) events.push(event);
    expect(events.find((event) => event.type === "done")).toMatchObject({ memoriesUsed: reply.memoriesUsed });
  });

  it("a fact from the first exchange survives 40 more beyond the history budget, through the rolling summary", async () => {
    settings({ CHAT_HISTORY_TOKEN_BUDGET: "300" });
    const alice = await createUser("alice");
    const api = clientOf(alice);
    const modelId = await persona(alice.id);
    const first = await api.chat(modelId, { message: "My sister is called Philippa and she keeps bees." });
    const { conversationId } = first;
    for (let i = 1; i <= 40; i++) await api.chat(modelId, { message: `Tell me more, part ${i}.`, conversationId });
    await waitFor(async () => {
      const [row] = await adminSql()`select covers_through from public.conversation_summaries where conversation_id = ${conversationId}`;
      return row && row.covers_through >= 30;
    }, { description: "the summary to catch up" });

    const question = "What is my sister called?";
    await api.chat(modelId, { message: question, conversationId });
    const sent = promptOf(question);
    expect(sent.slice(1).some((message) => message.content.includes("Philippa"))).toBe(false);
    expect(sent[0].content).toContain("Summary of the earlier part of this conversation");
    expect(sent[0].content).toContain("- The reader said: My sister is called Philippa and she keeps bees.");
  });

  it("who I am: the default persona, one chosen per conversation, and playing a character of the same book", async () => {
    const alice = await createUser("alice");
    const api = clientOf(alice);
    const modelId = await persona(alice.id, { book_id: "persuasion" });
    const anne = await insertModel(alice.id, { status: "ready", entity_name: "Anne Elliot", book_id: "persuasion", type: "character" });
    const emma = await insertModel(alice.id, { status: "ready", entity_name: "Emma Woodhouse", book_id: "emma", type: "character" });
    const captain = await api.createReaderPersona({ name: "Captain Wentworth", description: "A naval officer home from the sea.", isDefault: true });
    const playing = await api.createReaderPersona({ name: "Anne", playsModelId: anne });
    const elsewhere = await api.createReaderPersona({ name: "Emma", playsModelId: emma });

    const byDefault = await api.chat(modelId, { message: "Who am I?" });
    expect(byDefault.readerPersonaId).toBe(captain.id);
    expect(promptOf("Who am I?")[0].content).toContain("You are talking with Captain Wentworth. A naval officer home from the sea.");

    const chosen = await api.chat(modelId, { message: "And now?", readerPersonaId: playing.id });
    expect(promptOf("And now?")[0].content).toContain("You are talking with Anne, who is Anne Elliot of your own story");
    const kept = await api.chat(modelId, { message: "Still me?", conversationId: chosen.conversationId });
    expect(kept.readerPersonaId).toBe(playing.id);

    const otherBook = await refusal(api.chat(modelId, { message: "As Emma", conversationId: chosen.conversationId, readerPersonaId: elsewhere.id }));
    expect([otherBook.status, otherBook.code]).toEqual([422, "reader_persona_other_book"]);
    const bob = await createUser("bob");
    expect(await clientOf(bob).listReaderPersonas()).toEqual([]);
    const notTheirs = await refusal(clientOf(bob).chat(modelId, { message: "x", readerPersonaId: captain.id }));
    expect(notTheirs.status).toBe(404);
  });
});
