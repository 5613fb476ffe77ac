import { beforeAll, describe, expect, it } from "vitest";
import createAuthor from "../../functions/fine-tune-author/handler.ts";
import createCharacter from "../../functions/fine-tune-character/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import { TRAINING_PLANS } from "../../shared/training/generate-examples.ts";
import {
  author,
  backgroundSettled,
  bookId,
  call,
  character,
  countModels,
  quick,
  useCreateModelHarness,
} from "../support/create-model-harness.ts";
import { adminSql, type TestUser } from "../support/stack.ts";

// Creates that carry the reader's own examples: they are stored (source `user`), first in the
// training file, and generated ones fill the plan's count; the file the simulator received says so.

const { sim, createOwner, jobsFor } = useCreateModelHarness();

let reader: TestUser;
beforeAll(async () => {
  reader = await createOwner("create-examples");
});

const exchange = (question: string, answer: string) => ({
  messages: [{ role: "user", content: question }, { role: "assistant", content: answer }],
});

/** The messages of each line of the training file the model's job trained on, system prompt left off. */
function trainedConversations(modelId: string) {
  const [job] = jobsFor(modelId);
  const file = sim.files.get(job.training_file)!;
  return file.content.trim().split("\n").map((line) => JSON.parse(line).messages.slice(1));
}

describe("creating with the reader's own examples", () => {
  it("quick: keeps them first and tops up with generated examples to the plan's count", async () => {
    const own = [
      { topic: "The wreck", ...exchange("Why did the light go dark?", "Because I chose my daughter over the ships, once.") },
      exchange("Do you miss the mainland?", "Only the bread."),
      {
        messages: [
          { role: "user", content: "What is the first thing you do each dusk?" },
          { role: "assistant", content: "Trim the wick." },
          { role: "user", content: "And then?" },
          { role: "assistant", content: "Listen to the sea for a change in its voice." },
        ],
      },
    ];
    const { status, json } = await call(createQuick, "fine-tune-quick", {
      token: reader.token,
      body: { ...quick, bookId: bookId(), examples: own },
    });
    expect(status).toBe(202);
    await backgroundSettled(json.model.id);

    const stored = await adminSql()<{ source: string; topic: string | null; position: number }[]>`
      select source, topic, position from public.training_examples where model_id = ${json.model.id} order by position`;
    expect(stored.length).toBe(TRAINING_PLANS.quick.examples);
    expect(stored.slice(0, 3).map((row) => [row.source, row.topic, row.position]))
      .toEqual([["user", "The wreck", 0], ["user", null, 1], ["user", null, 2]]);
    expect(stored.slice(3).every((row) => row.source === "generated")).toBe(true);
    expect(stored.map((row) => row.position)).toEqual(stored.map((_, index) => index));

    const trained = trainedConversations(json.model.id);
    expect(trained.length).toBe(TRAINING_PLANS.quick.examples);
    expect(trained.slice(0, 3)).toEqual(own.map((example) => example.messages));
  });

  it("author and character take examples too; a full plan is topped up to its own count", async () => {
    const authored = await call(createAuthor, "fine-tune-author", {
      token: reader.token,
      body: { ...author, bookId: bookId(), examples: [exchange("Where did the book begin?", "With a lamp I saw from a ferry.")] },
    });
    expect(authored.status).toBe(202);
    const played = await call(createCharacter, "fine-tune-character", {
      token: reader.token,
      body: { ...character, bookId: bookId(), examples: [exchange("Were you afraid, rowing out?", "Only after.")] },
    });
    expect(played.status).toBe(202);
    for (const { json } of [authored, played]) {
      await backgroundSettled(json.model.id);
      const trained = trainedConversations(json.model.id);
      expect(trained.length).toBe(TRAINING_PLANS.full.examples);
    }
    expect(trainedConversations(authored.json.model.id)[0][1].content).toBe("With a lamp I saw from a ferry.");
    expect(trainedConversations(played.json.model.id)[0][0].content).toBe("Were you afraid, rowing out?");
  });

  it("a full plan's worth of examples trains on them alone", async () => {
    const own = Array.from({ length: TRAINING_PLANS.quick.examples }, (_, n) => exchange(`Question ${n}?`, `Answer number ${n}.`));
    const { json } = await call(createQuick, "fine-tune-quick", { token: reader.token, body: { ...quick, bookId: bookId(), examples: own } });
    await backgroundSettled(json.model.id);
    expect(trainedConversations(json.model.id)).toEqual(own.map((example) => example.messages));
    const [count] = await adminSql()<{ n: number }[]>`
      select count(*)::int as n from public.training_examples where model_id = ${json.model.id} and source = 'generated'`;
    expect(count.n).toBe(0);
  });

  it("refuses bad examples as a whole, with their paths, and writes nothing", async () => {
    const before = await countModels(reader.id);
    const cases: [unknown, (string | number)[]][] = [
      [[{ messages: [{ role: "user", content: "Only a question?" }] }], ["examples", 0, "messages"]],
      [[exchange("Fine?", "Fine."), { messages: [{ role: "system", content: "x" }, { role: "user", content: "y" }] }], ["examples", 1, "messages", 0, "role"]],
      [[{ ...exchange("q", "a"), extra: true }], ["examples", 0]],
      [Array.from({ length: 31 }, () => exchange("q", "a")), ["examples"]],
    ];
    for (const [examples, path] of cases) {
      const { status, json } = await call(createQuick, "fine-tune-quick", { token: reader.token, body: { ...quick, bookId: bookId(), examples } });
      expect(status).toBe(422);
      expect(json.error.details.map((issue: any) => issue.path)).toContainEqual(path);
    }
    const huge = await call(createQuick, "fine-tune-quick", {
      token: reader.token,
      body: { ...quick, bookId: bookId(), examples: Array.from({ length: 30 }, () => exchange("q".repeat(8000), "a".repeat(8000))) },
    });
    expect(huge.status).toBe(413);
    expect(await countModels(reader.id)).toBe(before);
  });
});
