import { beforeEach, describe, expect, it } from "vitest";
import examples from "../../functions/fine-tune-examples/handler.ts";
import sharing from "../../functions/fine-tune-chat-sharing/handler.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, createUser, type TestUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";
import { callHandler as call } from "../support/handler-call.ts";

// GET/PUT /fine-tune-chat-sharing and POST /fine-tune-examples { fromRatedChats } with consented
// chats, in-process on the suite's own database: rated replies become `chat` examples only for
// the model's owner, only from chats they may read (their own) or that a reader consented to share
// with a PUBLIC model, and those arrive anonymised, with no user id.

useSuiteDatabase();
beforeEach(() => useStackEnvironment());

const share = (user: TestUser | undefined, body: unknown) => call(sharing, "fine-tune-chat-sharing", { method: "PUT", user, body });
const takeRated = (user: TestUser, modelId: string) =>
  call(examples, `fine-tune-examples/${modelId}`, { user, body: { fromRatedChats: true } });

/** A reader with a display name in their profile, as Supabase Auth keeps it. */
async function createNamedReader(label: string, fullName: string): Promise<TestUser> {
  const user = await createUser(label);
  await adminSql()`update auth.users set raw_user_meta_data = ${adminSql().json({ full_name: fullName })} where id = ${user.id}`;
  return user;
}

/** Stores one up-rated exchange of `user` with `modelId`; answers its id. */
async function upRated(user: TestUser, modelId: string, question: string, answer: string): Promise<string> {
  const [row] = await adminSql()<{ id: string }[]>`
    insert into public.fine_tuned_chats (model_id, user_id, conversation_id, user_message, ai_response, rating)
    values (${modelId}, ${user.id}, ${crypto.randomUUID()}, ${question}, ${answer}, 'up') returning id`;
  return row.id;
}

describe("fine-tune-chat-sharing", () => {
  it("is off until the reader turns it on, and only theirs", async () => {
    const reader = await createUser("sharer");
    const other = await createUser("other");
    expect(await call(sharing, "fine-tune-chat-sharing", { user: reader }))
      .toEqual({ status: 200, json: { success: true, shareRatedChats: false, updatedAt: null } });

    const on = await share(reader, { shareRatedChats: true });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ success: true, shareRatedChats: true });
    expect(on.json.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await call(sharing, "fine-tune-chat-sharing", { user: reader })).json.shareRatedChats).toBe(true);
    expect((await call(sharing, "fine-tune-chat-sharing", { user: other })).json.shareRatedChats).toBe(false);

    expect((await share(reader, { shareRatedChats: false })).json.shareRatedChats).toBe(false);
    const [row] = await adminSql()<{ n: number }[]>`select count(*)::int as n from public.chat_sharing_consents where user_id = ${reader.id}`;
    expect(row.n).toBe(1);
  });

  it("refuses a bad body (nothing written) and a missing token", async () => {
    const reader = await createUser("sharer");
    const bad = await share(reader, { shareRatedChats: "yes" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0].path).toEqual(["shareRatedChats"]);
    expect((await share(reader, {})).status).toBe(422);
    expect((await share(undefined, { shareRatedChats: true })).status).toBe(401);
    expect((await call(sharing, "fine-tune-chat-sharing")).status).toBe(401);
    const [row] = await adminSql()<{ n: number }[]>`select count(*)::int as n from public.chat_sharing_consents where user_id = ${reader.id}`;
    expect(row.n).toBe(0);
  });
});

describe("fine-tune-examples fromRatedChats with consented chats", () => {
  it("takes a consenting reader's up-rated exchanges with a public model, anonymised, for the owner only", async () => {
    const owner = await createUser("owner");
    const consenting = await createNamedReader("ada", "Ada Lovelace");
    const silent = await createUser("silent");
    const publicModel = await insertModel(owner.id, { entity_name: "Victor Frankenstein", is_public: true });
    const privateModel = await insertModel(owner.id, { entity_name: "Henry Clerval", is_public: false });
    await share(consenting, { shareRatedChats: true });

    const own = await upRated(owner, publicModel, "Why the north?", "The ice is honest.");
    const shared = await upRated(consenting, publicModel,
      `I'm Ada Lovelace, write to me at ${consenting.email} or call +44 20 7946 0958. What do you fear?`,
      "Only my own work, Ada.");
    await upRated(silent, publicModel, "Not shared", "Never taken");
    await upRated(consenting, privateModel, "Private model", "Never taken either");

    const byStranger = await takeRated(silent, publicModel);
    expect(byStranger.status).toBe(404);

    const taken = await takeRated(owner, publicModel);
    expect(taken.status).toBe(201);
    expect(taken.json.examples.map((e: any) => [e.source, e.chat_id, e.messages])).toEqual([
      ["chat", own, [{ role: "user", content: "Why the north?" }, { role: "assistant", content: "The ice is honest." }]],
      ["chat", shared, [
        { role: "user", content: "I'm [name], write to me at [email] or call [phone]. What do you fear?" },
        { role: "assistant", content: "Only my own work, [name]." },
      ]],
    ]);
    const stored = JSON.stringify((await call(examples, `fine-tune-examples/${publicModel}`, { user: owner })).json);
    for (const secret of [consenting.id, consenting.email, "Ada", "Lovelace", silent.id]) expect(stored).not.toContain(secret);
    // The owner still cannot read the reader's chat itself.
    const [visible] = await adminSql().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: owner.id, role: "authenticated" })}, true)`;
      return await tx<{ n: number }[]>`select count(*)::int as n from public.fine_tuned_chats where id = ${shared}`;
    });
    expect(visible.n).toBe(0);

    expect((await takeRated(owner, publicModel)).json.examples).toEqual([]);
    expect((await takeRated(owner, privateModel)).json.examples).toEqual([]);
  });

  it("takes nothing more once the reader withdraws consent, and keeps what was taken", async () => {
    const owner = await createUser("owner");
    const reader = await createUser("reader");
    const modelId = await insertModel(owner.id, { entity_name: "Elizabeth Lavenza", is_public: true });
    await share(reader, { shareRatedChats: true });
    await upRated(reader, modelId, "Geneva?", "Home.");
    expect((await takeRated(owner, modelId)).json.examples).toHaveLength(1);

    await share(reader, { shareRatedChats: false });
    await upRated(reader, modelId, "William?", "Poor boy.");
    expect((await takeRated(owner, modelId)).json.examples).toEqual([]);
    const listed = await call(examples, `fine-tune-examples/${modelId}`, { user: owner });
    expect(listed.json.examples.map((e: any) => e.messages[0].content)).toEqual(["Geneva?"]);
  });
});
