import { beforeAll, describe, expect, it } from "vitest";
import createAuthor from "../../functions/fine-tune-author/handler.ts";
import createCharacter from "../../functions/fine-tune-character/handler.ts";
import createQuick from "../../functions/fine-tune-quick/handler.ts";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import {
  author,
  bookId,
  call,
  character,
  countModels,
  type Handler,
  quick,
  useCreateModelHarness,
} from "../support/create-model-harness.ts";
import type { TestUser } from "../support/stack.ts";

const { sim, createOwner } = useCreateModelHarness();

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await createOwner("create-alice");
  bob = await createOwner("create-bob");
});

describe("refused requests write nothing", () => {
  const longText = (length: number) => "x".repeat(length);
  const validAuthor = () => ({ ...author, bookId: bookId() });
  const validCharacter = () => ({ ...character, bookId: bookId() });
  const validQuick = () => ({ ...quick, bookId: bookId() });

  const validationCases: [string, Handler, string, () => unknown, (string | number)[][]][] = [
    ["an empty author body", createAuthor, "fine-tune-author", () => ({}), [["authorName"], ["bookId"], ["bookInfo"]]],
    ["a blank author name", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), authorName: "   " }), [["authorName"]]],
    ["an author name over 200 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), authorName: longText(201) }), [["authorName"]]],
    ["a book title over 300 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: { title: longText(301) } }), [["bookInfo", "title"]]],
    ["a genre over 100 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: { ...author.bookInfo, genre: longText(101) } }), [["bookInfo", "genre"]]],
    ["a book id over 200 characters", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookId: longText(201) }), [["bookId"]]],
    ["isPublic as a string", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), isPublic: "yes" }), [["isPublic"]]],
    ["bookInfo as a string", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: "Wrack Point" }), [["bookInfo"]]],
    ["a name as a number", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), authorName: 42 }), [["authorName"]]],
    ["an unknown field", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), status: "completed" }), [[]]],
    ["an unknown field in bookInfo", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), bookInfo: { ...author.bookInfo, isbn: "123" } }), [["bookInfo"]]],
    ["a base model that is not allowed", createAuthor, "fine-tune-author", () => ({ ...validAuthor(), baseModel: "gpt-3.5-turbo-0125" }), [["baseModel"]]],
    ["a JSON array body", createAuthor, "fine-tune-author", () => [author], [[]]],
    // Refused, never cut to fit: a pasted 5,000-character name or 21,000-character description.
    ["a pasted character name of 5,000 characters", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), characterName: longText(5000) }), [["characterName"]]],
    ["a pasted character description of 21,000 characters", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), characterDescription: longText(21_000) }), [["characterDescription"]]],
    ["a quick model name over 200 characters", createQuick, "fine-tune-quick", () => ({ ...validQuick(), entityName: longText(201) }), [["entityName"]]],
    ["a character without a description", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), characterDescription: "" }), [["characterDescription"]]],
    ["a character description over 4000 characters", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), characterDescription: longText(4001) }), [["characterDescription"]]],
    ["a character's book without an author", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), bookInfo: { title: "Wrack Point" } }), [["bookInfo", "author"]]],
    ["a character without a name", createCharacter, "fine-tune-character", () => { const { characterName: _, ...rest } = validCharacter(); return rest; }, [["characterName"]]],
    ["an entity id that is not a uuid", createCharacter, "fine-tune-character", () => ({ ...validCharacter(), entityId: "isla-corran" }), [["entityId"]]],
    ["an unknown quick type", createQuick, "fine-tune-quick", () => ({ ...validQuick(), type: "narrator" }), [["type"]]],
    ["a quick model without a type", createQuick, "fine-tune-quick", () => { const { type: _, ...rest } = validQuick(); return rest; }, [["type"]]],
    ["a quick model with an empty entity name", createQuick, "fine-tune-quick", () => ({ ...validQuick(), entityName: "" }), [["entityName"]]],
    ["a quick model without a book description", createQuick, "fine-tune-quick", () => ({ ...validQuick(), bookInfo: { title: "Wrack Point", author: "Maren Hale" } }), [["bookInfo", "description"]]],
  ];

  it.each(validationCases)("%s: 422 with the issue paths", async (_label, handler, name, body, paths) => {
    const before = await countModels(alice.id);

    const { status, json } = await call(handler, name, { token: alice.token, body: body() });

    expect(status).toBe(422);
    expect(json.success).toBe(false);
    expect(json.error.code).toBe("validation_failed");
    const issuePaths = (json.error.details as { path: (string | number)[] }[]).map((issue) => issue.path);
    expect(issuePaths.map((path) => JSON.stringify(path)).sort()).toEqual(paths.map((path) => JSON.stringify(path)).sort());
    expect(await countModels(alice.id)).toBe(before);
    expect(sim.chatRequests).toHaveLength(0);
  });

  it("names the unknown field in the issue", async () => {
    const { json } = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: { ...validAuthor(), created_by: bob.id },
    });
    expect(json.error.details).toEqual([{ path: [], message: expect.stringContaining("created_by") }]);
  });

  it("non-JSON: 400 invalid_json", async () => {
    const before = await countModels(alice.id);
    const { status, json } = await call(createAuthor, "fine-tune-author", { token: alice.token, body: '{"authorName": "Maren' });
    expect(status).toBe(400);
    expect(json.error.code).toBe("invalid_json");
    expect(await countModels(alice.id)).toBe(before);
  });

  it("a body that is not JSON by its content type: 415", async () => {
    const before = await countModels(alice.id);
    const { status, json } = await call(createAuthor, "fine-tune-author", {
      token: alice.token,
      body: "authorName=Maren",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(status).toBe(415);
    expect(json.error.code).toBe("unsupported_media_type");
    expect(await countModels(alice.id)).toBe(before);
  });

  it("a body over 256 KiB (a create may carry examples): 413", async () => {
    const before = await countModels(alice.id);
    const { status, json } = await call(createCharacter, "fine-tune-character", {
      token: alice.token,
      body: { ...validCharacter(), characterDescription: longText(300 * 1024) },
    });
    expect(status).toBe(413);
    expect(json.error.code).toBe("payload_too_large");
    expect(await countModels(alice.id)).toBe(before);
  });

  it.each([
    ["fine-tune-author", createAuthor],
    ["fine-tune-character", createCharacter],
    ["fine-tune-quick", createQuick],
  ] as const)("GET and DELETE on %s: 405 with Allow", async (name, handler) => {
    for (const method of ["GET", "DELETE"]) {
      const { status, headers, json } = await call(handler, name, { token: alice.token, method });
      expect(status).toBe(405);
      expect(headers.get("allow")).toBe("POST, OPTIONS");
      expect(json.error.code).toBe("method_not_allowed");
    }
  });

  it("no token: 401; a token that is not a signed-in user's: 403", async () => {
    const before = await countModels(alice.id);
    const missing = await call(createAuthor, "fine-tune-author", { body: validAuthor() });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("unauthorized");

    const anon = await signLocalToken({ sub: alice.id, role: "anon" });
    const anonymous = await call(createAuthor, "fine-tune-author", { token: anon, body: validAuthor() });
    expect(anonymous.status).toBe(403);
    expect(await countModels(alice.id)).toBe(before);
  });

  it("answers CORS preflight without touching anything", async () => {
    const response = await createQuick(new Request("http://127.0.0.1:54321/functions/v1/fine-tune-quick", {
      method: "OPTIONS",
      headers: { Origin: "https://reader.example", "Access-Control-Request-Method": "POST" },
    }));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
  });
});
