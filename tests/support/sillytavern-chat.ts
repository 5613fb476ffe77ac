import { readFileSync } from "node:fs";
import { unzipSync, strFromU8 } from "fflate";

/**
 * How SillyTavern reads a chat file, re-stated from its source (github.com/SillyTavern/SillyTavern
 * at ba6f7b7a98cf7a5eaf4f0e81da9779a9a668ced4): importing a `.jsonl` (`src/endpoints/chats.js`,
 * POST /import) parses line 0 and refuses the file unless it has `user_name` or `name`; loading
 * (POST /get) parses every line, dropping those that are not JSON; the client (`public/script.js`
 * `getChat`) takes element 0 as the header (`create_date`, `chat_metadata ?? {}`) and shifts it off,
 * so every other line is a message, shown by its `name`, `is_user`, `mes` and `send_date`.
 */
export function readAsSillyTavern(data: string) {
  const lines = data.split("\n");
  const header = JSON.parse(lines[0]);
  if (!(header.user_name !== undefined || header.name !== undefined)) throw new Error("Incorrect chat format .jsonl");
  const loaded = lines.map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  }).filter((value) => value);
  const chat = loaded.slice(1);
  for (const [index, message] of chat.entries()) {
    // Anything else here would be shown as a broken message (a second header line among them).
    if (typeof message.name !== "string" || typeof message.is_user !== "boolean" || typeof message.mes !== "string") {
      throw new Error(`message ${index + 1} is not a message: ${JSON.stringify(message).slice(0, 80)}`);
    }
  }
  return { createDate: loaded[0].create_date, chatMetadata: loaded[0].chat_metadata ?? {}, chat };
}

/** The files of a zip, by name, as text. */
export function unzipText(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

/** A chat file of tests/fixtures/transcripts. */
export function sillyTavernFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/transcripts/${name}`, import.meta.url), "utf8");
}
