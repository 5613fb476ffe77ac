import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callFunction } from "../support/http.ts";
import { insertModel } from "../support/models.ts";
import { adminSql, closeAdminSql, createUser, type TestUser } from "../support/stack.ts";

// A model in every answer is its row as the Data API shows it to that caller. The Data API is
// PostgREST: a request's transaction with role `authenticated`, the token's claims, and the row
// rendered to JSON by Postgres. Here that is done by hand, next to the functions' own answers.
async function dataApiRow(user: TestUser, modelId: string): Promise<Record<string, unknown> | undefined> {
  return await adminSql().begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
                    set_config('request.jwt.claims', ${JSON.stringify({ sub: user.id, role: "authenticated" })}, true)`;
    const [row] = await tx<{ model: Record<string, unknown> }[]>`
      select row_to_json(m) as model from public.fine_tuned_models m where m.id = ${modelId}`;
    return row?.model;
  });
}

/** What another user must never see of an owner's model. */
const OWNER_ONLY = ["openai_job_id", "openai_model_id", "training_file_id", "training_tokens", "estimated_cost_usd", "error"];

describe("the model shape, through the functions and through the Data API", () => {
  let owner: TestUser;
  let reader: TestUser;
  let modelId: string;
  const book = `shape-${crypto.randomUUID()}`;

  beforeAll(async () => {
    owner = await createUser("shape-owner");
    reader = await createUser("shape-reader");
    modelId = await insertModel(owner.id, {
      book_id: book,
      is_public: true,
      status: "completed",
      openai_job_id: "ftjob-owner-only",
      openai_model_id: "ft:gpt-4.1-mini-2025-04-14:owner-org:shape:AbCd1234",
      error: "an owner-only note",
    });
    await adminSql()`
      update public.training_runs
      set provider_file_id = 'file-owner-only', trained_tokens = 19638, estimated_cost_usd = 0.0982,
          summary = ${{ examples: 24, topics: ["a", "b", "c", "d", "e"], epochs: 3, baseModel: "gpt-4.1-mini-2025-04-14" } as never}
      where model_id = ${modelId}`;
  });
  afterAll(closeAdminSql);

  it("answers the owner with exactly the row the Data API shows them", async () => {
    const status = await callFunction(`fine-tune-status/${modelId}`, { token: owner.token });
    const list = await callFunction(`fine-tune-models?bookId=${book}`, { token: owner.token });
    const row = await dataApiRow(owner, modelId);
    expect(status.json.model).toEqual(row);
    expect(list.json.models).toEqual([row]);
    expect(row).toMatchObject({
      openai_job_id: "ftjob-owner-only",
      training_file_id: "file-owner-only",
      chat_mode: "fine-tuned",
      training_data_summary: "24 examples on 5 topics, 3 epochs, base gpt-4.1-mini-2025-04-14, about 19,600 training tokens",
    });
  });

  it("shows another user the public model's persona and usage, never its owner's provider ids or errors", async () => {
    const status = await callFunction(`fine-tune-status/${modelId}`, { token: reader.token });
    const list = await callFunction(`fine-tune-models?bookId=${book}`, { token: reader.token });
    const row = await dataApiRow(reader, modelId);
    expect(status.json.model).toEqual(row);
    expect(list.json.models).toEqual([row]);
    for (const column of OWNER_ONLY) expect(row![column], column).toBeNull();
    expect(row).toMatchObject({ is_public: true, chat_mode: "fine-tuned", chat_count: 0, style_description: expect.any(String) });
    // Nor the training run behind it.
    expect(status.json.progress).toBeNull();
    expect(JSON.stringify(status.json)).not.toMatch(/owner-only|ftjob-|file-/);
  });

  it("has the seed's names on every key, in snake_case, with ISO timestamps", async () => {
    const { json } = await callFunction(`fine-tune-status/${modelId}`, { token: owner.token });
    for (const key of Object.keys(json.model)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(json.model.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/);
  });
});
