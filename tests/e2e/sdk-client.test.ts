import { describe, expect, it } from "vitest";
import { createStoryvoiceClient, StoryvoiceError } from "../../sdk/index.ts";
import { readAsSillyTavern, unzipText } from "../support/sillytavern-chat.ts";
import { createUser, stack } from "../support/stack.ts";

// The typed SDK against the running functions (and the local stack's Data API update), over fetch.
const projectUrl = () => stack().functionsUrl.replace(/\/functions\/v1$/, "");

async function signedInClient() {
  const user = await createUser("sdk");
  return { user, client: createStoryvoiceClient({ url: projectUrl(), auth: () => user.token }) };
}

const quick = (entityName: string) => ({
  type: "character" as const,
  entityName,
  description: "Sharp-tongued and loyal; the narrator's oldest friend.",
  bookId: `sdk-book-${crypto.randomUUID()}`,
  bookInfo: { title: "An SDK Story", author: "A. Writer", description: "A book written for the SDK suite." },
});

describe("the SDK", () => {
  it("creates a model, reads its status, and lists it", async () => {
    const { user, client } = await signedInClient();
    const created = await client.createQuick(quick("Ada"));
    expect(created.model).toMatchObject({ entity_name: "Ada", created_by: user.id, quick_tune: true });
    const status = await client.getStatus(created.model.id);
    expect(status.model.id).toBe(created.model.id);
    const list = await client.listModels({ type: "character", bookId: created.model.book_id });
    expect(list.models.map((model) => model.id)).toEqual([created.model.id]);
  });

  it("streams a reply as deltas ending with the stored totals, then lists the conversation", async () => {
    const { client } = await signedInClient();
    const { model } = await client.createQuick(quick("Bea"));
    const events = [];
    for await (const event of client.chatStream(model.id, { message: "Who are you?" })) events.push(event);
    const deltas = events.filter((event) => event.type === "delta");
    const done = events.at(-1);
    expect(deltas.length).toBeGreaterThan(1);
    expect(done).toMatchObject({ type: "done", usingFallback: true, messageOrder: 1 });
    const plain = await client.chat(model.id, { message: "And then?", conversationId: done!.type === "done" ? done!.conversationId : undefined });
    expect(plain.messageOrder).toBe(2);
    const { conversations } = await client.listConversations(model.id);
    expect(conversations[0].messages.map((exchange) => exchange.user)).toEqual(["Who are you?", "And then?"]);
  });

  it("stops a stream when its signal is aborted", async () => {
    const { client } = await signedInClient();
    const { model } = await client.createQuick(quick("Cal"));
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of client.chatStream(model.id, { message: "Tell me a long story." }, controller.signal)) {
        seen.push(event.type);
        controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow();
    expect(seen).toEqual(["delta"]);
  });

  it("reports API errors as one typed error: validation with its paths, auth, not found, conflict", async () => {
    const { client } = await signedInClient();
    const invalid = await client.createQuick({ ...quick("Dee"), entityName: "" }).catch((error) => error);
    expect(invalid).toBeInstanceOf(StoryvoiceError);
    expect(invalid).toMatchObject({ status: 422, code: "validation_failed", retryable: false });
    expect(invalid.fieldIssues.map((issue: { path: string[] }) => issue.path.join("."))).toContain("entityName");

    const anonymous = createStoryvoiceClient({ url: projectUrl() });
    await expect(anonymous.listModels()).rejects.toMatchObject({ status: 401, code: "unauthorized" });

    await expect(client.getStatus(crypto.randomUUID())).rejects.toMatchObject({ status: 404, code: "not_found" });

    const input = quick("Eve");
    const first = await client.createQuick(input);
    const again = await client.createQuick(input).catch((error) => error);
    expect(again).toMatchObject({ status: 409 });
    expect(again.model.id).toBe(first.model.id);
  });

  it("makes a model public through the Data API, and deletes it", async () => {
    const { client } = await signedInClient();
    const { model } = await client.createQuick(quick("Fay"));
    expect((await client.setVisibility(model.id, true)).is_public).toBe(true);
    const stranger = (await signedInClient()).client;
    expect((await stranger.getStatus(model.id)).model.is_public).toBe(true);
    await expect(stranger.setVisibility(model.id, false)).rejects.toMatchObject({ status: 406 });
    await expect(stranger.deleteModel(model.id)).rejects.toBeInstanceOf(StoryvoiceError);
    expect((await client.deleteModel(model.id)).success).toBe(true);
    await expect(client.getStatus(model.id)).rejects.toMatchObject({ status: 404 });
  });

  it("reports an unreachable server as a retryable network error", async () => {
    const client = createStoryvoiceClient({ url: "http://127.0.0.1:1", auth: () => "token" });
    await expect(client.listModels()).rejects.toMatchObject({ status: 0, code: "network_error", retryable: true });
  });

  it("shapes a persona's examples, holds a group chat and moves a transcript out and back in", async () => {
    const { client } = await signedInClient();
    const { model: first } = await client.createQuick(quick("Cleo"));
    const { model: second } = await client.createQuick({ ...quick("Dora"), bookId: first.book_id });

    const added = await client.addExamples(first.id, {
      topic: "friendship",
      messages: [{ role: "user", content: "Who is your oldest friend?" }, { role: "assistant", content: "Dora, of course." }],
    });
    const [example] = added.examples;
    expect(example).toMatchObject({ source: "user", topic: "friendship" });
    await client.editExample(first.id, example.id, { topic: "loyalty" });
    expect((await client.listExamples(first.id)).examples.find((item) => item.id === example.id)?.topic).toBe("loyalty");
    await client.deleteExample(first.id, example.id);

    const round = await client.groupChat({ modelIds: [first.id, second.id], message: "Cleo, Dora: who speaks first?", strategy: "list" });
    expect(round.replies.map((reply) => reply.modelId)).toEqual([first.id, second.id]);
    const groups = await client.listGroupConversations();
    expect(groups.conversations.map((conversation) => conversation.conversationId)).toContain(round.conversationId);

    const chat = await client.chat(first.id, { message: "And you?" });
    const exported = await client.exportTranscript({ conversationId: chat.conversationId });
    // The header, the persona's greeting the conversation opened with, the question, the reply.
    const lines = exported.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatchObject({ is_user: false });
    const imported = await client.importTranscript(first.id, exported);
    expect(imported).toMatchObject({ exchanges: 1, opening: true });
    expect(await client.exportTranscript({ conversationId: round.conversationId }, "md")).toContain("# Group conversation with");

    // By model, JSON lines come as a zip: one chat per file, each one SillyTavern reads whole.
    await expect(client.exportTranscript({ modelId: first.id })).rejects.toThrow(/exportModelChats/);
    const files = unzipText(new Uint8Array(await (await client.exportModelChats(first.id)).arrayBuffer()));
    expect(Object.keys(files)).toHaveLength(2); // the chat above and its imported copy
    // Each: the opening greeting, the question and the reply.
    for (const file of Object.values(files)) expect(readAsSillyTavern(file.trimEnd()).chat).toHaveLength(3);
  });

  it("rates an exchange and moves a persona out as a Character Card and back in", async () => {
    const { client } = await signedInClient();
    const { model } = await client.createQuick(quick("Edie"));
    const reply = await client.chat(model.id, { message: "Tell me a secret." });
    const [conversation] = (await client.listConversations(model.id)).conversations;
    expect(conversation.conversationId).toBe(reply.conversationId);
    const rated = await client.rateExchange(conversation.messages[0].chatId, "up");
    expect(rated).toMatchObject({ success: true });

    const card = await client.exportCard(model.id);
    expect(card.spec).toBe("chara_card_v3");
    const png = await client.exportCardPng(model.id);
    expect([...png.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    await client.deleteModel(model.id);
    const imported = await client.importCard({ card: card as unknown as Record<string, unknown> });
    expect(imported.model).toMatchObject({ entity_name: "Edie", type: "character" });
  });

  it("creates a book's cast under one batch, follows it, and sets chat sharing", async () => {
    const { user, client } = await signedInClient();
    const book = quick("Cast");
    const created = await client.createCast({
      bookId: book.bookId,
      bookInfo: book.bookInfo,
      quickTune: true,
      author: { name: "A. Writer" },
      characters: [{ name: "Rook", description: "The lighthouse cat." }, { name: "Wren", description: "The ferrywoman." }],
    });
    expect(created.batch.members.map((member) => [member.type, member.outcome, member.model?.created_by])).toEqual([
      ["author", "created", user.id], ["character", "created", user.id], ["character", "created", user.id],
    ]);
    const followed = await client.getCast(created.batchId);
    expect(followed.batch.members.map((member) => member.model?.id)).toEqual(created.batch.members.map((m) => m.model?.id));
    const refused = await client.createCast({ ...book, characters: [] } as never).catch((error) => error);
    expect(refused).toBeInstanceOf(StoryvoiceError);
    expect(refused.fieldIssues?.map((issue: { path: unknown }) => issue.path)).toContainEqual(["characters"]);

    expect((await client.getChatSharing()).shareRatedChats).toBe(false);
    expect((await client.setChatSharing(true)).shareRatedChats).toBe(true);
    expect((await client.getChatSharing()).shareRatedChats).toBe(true);
  });
});
