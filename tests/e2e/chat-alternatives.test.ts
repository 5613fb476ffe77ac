import { afterAll, describe, expect, it } from "vitest";
import { createStoryvoiceClient, StoryvoiceError } from "../../sdk/index.ts";
import { insertModel } from "../support/models.ts";
import { assertDocumentedResponse } from "../support/openapi-contract.ts";
import { adminSql, closeAdminSql, createUser, stack, type TestUser } from "../support/stack.ts";

// Alternatives ("swipes"), edit, continue and rewind through the SDK against the served functions:
// every reply is kept and the exchange carries the chosen one; each new reply costs a chat turn and
// its spend; a rewind uncounts its exchanges; another reader can neither see nor act on them.

afterAll(closeAdminSql);

const projectUrl = () => stack().functionsUrl.replace(/\/functions\/v1$/, "");
/** Every answer the SDK gets is checked against openapi.json. */
const documentedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  assertDocumentedResponse(init?.method ?? "GET", url, { status: response.status, headers: response.headers, text: await response.clone().text() });
  return response;
};
const clientOf = (user?: TestUser) =>
  createStoryvoiceClient({ url: projectUrl(), auth: () => user?.token, fetch: documentedFetch });

/** The reader's chat turns today, their chat requests in the spend ledger, and the model's folded chat_count. */
async function tallies(user: TestUser, modelId: string) {
  const sql = adminSql();
  await sql`select private.fold_chat_tallies()`;
  const [row] = await sql<{ turns: number; requests: number; chats: number }[]>`
    select coalesce((select sum(used) from private.daily_chat_usage where user_id = ${user.id}), 0)::integer as turns,
           coalesce((select sum(requests) from private.spend_ledger where user_id = ${user.id} and kind = 'chat'), 0)::integer as requests,
           (select chat_count from private.fine_tuned_models where id = ${modelId}) as chats`;
  return row;
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (caught) => caught);
  expect(error).toBeInstanceOf(StoryvoiceError);
  return error as StoryvoiceError;
}

describe("chat alternatives, edit, continue and rewind", () => {
  it("keeps every reply, chooses one, edits and continues the last exchange, each at a chat's cost", async () => {
    const owner = await createUser("alt-owner");
    const reader = await createUser("alt-reader");
    const modelId = await insertModel(owner.id, { entity_name: "Elinor Dashwood", is_public: true });
    const client = clientOf(reader);

    const first = await client.chat(modelId, { message: "What do you think of Willoughby?" });
    const before = await tallies(reader, modelId);
    expect(before).toEqual({ turns: 1, requests: 1, chats: 1 });

    const again = await client.answerAgain(first.chatId, { action: "regenerate", hint: "Answer in one short sentence." });
    expect(again).toMatchObject({ chatId: first.chatId, position: 2, messageOrder: 1, message: "What do you think of Willoughby?" });
    const listed = await client.listAlternatives(first.chatId);
    expect(listed.alternatives.map((a) => [a.position, a.kind, a.hint, a.chosen])).toEqual([
      [1, "original", null, false],
      [2, "regenerate", "Answer in one short sentence.", true],
    ]);
    expect(listed.alternatives[0].response).toBe(first.response);

    // Choosing the original: history shows it, and a rating given to it comes back with it.
    await client.rateExchange(first.chatId, "down");
    const original = await client.chooseAlternative(first.chatId, listed.alternatives[0].alternativeId);
    expect(original).toMatchObject({ response: first.response, rating: null });
    const back = await client.chooseAlternative(first.chatId, listed.alternatives[1].alternativeId);
    expect(back).toMatchObject({ response: again.response, rating: "down" });

    const edited = await client.answerAgain(first.chatId, { action: "edit", message: "And Colonel Brandon?" });
    expect(edited).toMatchObject({ position: 3, message: "And Colonel Brandon?" });
    const continued = await client.answerAgain(first.chatId, { action: "continue" });
    expect(continued.position).toBe(4);
    expect(continued.response.startsWith(edited.response)).toBe(true);
    expect(continued.response.length).toBeGreaterThan(edited.response.length);

    const { conversations } = await client.listConversations(modelId);
    expect(conversations[0].messages.map((m) => [m.user, m.assistant])).toEqual([["And Colonel Brandon?", continued.response]]);
    // Three more generations: three turns and three ledger requests, still one chat.
    expect(await tallies(reader, modelId)).toEqual({ turns: 4, requests: 4, chats: 1 });

    const next = await client.chat(modelId, { message: "Thank you.", conversationId: first.conversationId });
    expect(next.messageOrder).toBe(2);
    const refused = await failure(client.answerAgain(first.chatId, { action: "regenerate" }));
    expect(refused.status).toBe(409);
    expect((await failure(client.chooseAlternative(first.chatId, listed.alternatives[0].alternativeId))).status).toBe(409);
    expect((await tallies(reader, modelId)).turns).toBe(5);
  });

  it("rewinds an exchange and all after it: they leave chat_count and history, spend and turns stay", async () => {
    const owner = await createUser("rewind-owner");
    const reader = await createUser("rewind-reader");
    const modelId = await insertModel(owner.id, { entity_name: "Marianne Dashwood", is_public: true });
    const client = clientOf(reader);
    const one = await client.chat(modelId, { message: "Do you love poetry?" });
    const two = await client.chat(modelId, { message: "Which poet?", conversationId: one.conversationId });
    await client.chat(modelId, { message: "Why?", conversationId: one.conversationId });
    expect((await failure(client.answerAgain(two.chatId, { action: "regenerate" }))).status).toBe(409);
    expect(await tallies(reader, modelId)).toEqual({ turns: 3, requests: 3, chats: 3 });

    expect(await client.rewindConversation(two.chatId)).toEqual({ success: true, removed: 2 });
    const { conversations } = await client.listConversations(modelId);
    expect(conversations[0].messages.map((m) => m.user)).toEqual(["Do you love poetry?"]);
    expect(await tallies(reader, modelId)).toEqual({ turns: 3, requests: 3, chats: 1 });

    // The conversation goes on from what is left.
    const again = await client.chat(modelId, { message: "Tell me of Cowper.", conversationId: one.conversationId });
    expect(again.messageOrder).toBe(2);
    expect((await failure(client.rewindConversation(two.chatId))).status).toBe(404);
  });

  it("another reader can neither see nor act on someone's replies; bad input is refused before any cost", async () => {
    const owner = await createUser("private-owner");
    const reader = await createUser("private-reader");
    const stranger = await createUser("private-stranger");
    const modelId = await insertModel(owner.id, { entity_name: "Lucy Steele", is_public: true });
    const mine = await clientOf(reader).chat(modelId, { message: "A secret?" });
    const regenerated = await clientOf(reader).answerAgain(mine.chatId, { action: "regenerate" });

    for (const client of [clientOf(stranger), clientOf(owner)]) {
      expect((await failure(client.listAlternatives(mine.chatId))).status).toBe(404);
      expect((await failure(client.answerAgain(mine.chatId, { action: "regenerate" }))).status).toBe(404);
      expect((await failure(client.chooseAlternative(mine.chatId, regenerated.alternativeId))).status).toBe(404);
      expect((await failure(client.rewindConversation(mine.chatId))).status).toBe(404);
    }
    expect((await tallies(stranger, modelId)).turns).toBe(0);

    const long = await failure(clientOf(reader).answerAgain(mine.chatId, { action: "regenerate", hint: "x".repeat(301) }));
    expect(long.status).toBe(422);
    expect((long.details as { path: string[] }[])[0].path).toEqual(["hint"]);
    const anonymous = clientOf();
    expect((await failure(anonymous.listAlternatives(mine.chatId))).status).toBe(401);
    expect((await clientOf(reader).listAlternatives(mine.chatId)).alternatives).toHaveLength(2);
    expect(await tallies(reader, modelId)).toMatchObject({ turns: 2, requests: 2, chats: 1 });
  });
});
