/**
 * What the simulator reads from a chat request's messages to answer plausibly: who it should speak
 * as, what the user last said, and how many items the user asked for.
 */

/** A chat message as requests carry it; `content` is a string or a list of parts. */
export interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

/** The text of a message, joining text parts when the content is a list. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (Array.isArray(message.content)) {
    return message.content
      .map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : ""))
      .join(" ");
  }
  return "";
}

function textsByRole(messages: ChatMessage[], roles: string[]): string[] {
  return messages.filter((message) => roles.includes(String(message.role))).map(messageText);
}

/**
 * "You are Jane Austen, the author of ..." -> "Jane Austen". Only a capitalised phrase counts, so
 * "You are a helpful assistant" is a role, not a persona.
 */
function nameAfterYouAre(text: string): string | null {
  const match = /\bYou are (?:now |playing |roleplaying as |speaking as )?([^,.;:()\n]+)/.exec(text);
  if (!match) return null;
  const name = match[1].split(/\s+(?:from|who|in|and)\s+/)[0].trim();
  if (!/^\p{Lu}/u.test(name) || name.length > 60) return null;
  return name;
}

/** A `"name": "..."` field in JSON the prompt embeds, or a `Name: ...` line. */
function nameField(text: string): string | null {
  const match = /"name"\s*:\s*"([^"]{1,60})"/.exec(text) ??
    /^\s*(?:Name|Character|Author)\s*:\s*(.{1,60})$/im.exec(text);
  return match ? match[1].trim() : null;
}

/** The persona the prompt asks the model to speak as, or `null` if it names none. */
export function personaName(messages: ChatMessage[]): string | null {
  const instructions = textsByRole(messages, ["system", "developer"]);
  const userTexts = textsByRole(messages, ["user"]);
  for (const text of instructions) {
    const name = nameAfterYouAre(text);
    if (name) return name;
  }
  for (const text of [...instructions, ...userTexts]) {
    const name = nameField(text);
    if (name) return name;
  }
  for (const text of userTexts) {
    const name = nameAfterYouAre(text);
    if (name) return name;
  }
  return null;
}

/** The last user message's text, or "" when there is none. */
export function lastUserText(messages: ChatMessage[]): string {
  return textsByRole(messages, ["user"]).at(-1) ?? "";
}

/** A count the user asked for: "exactly 12 ..." or "12 examples". */
export function requestedItemCount(text: string): number | null {
  const match = /\bexactly (\d{1,3})\b/i.exec(text) ??
    /\b(\d{1,3}) (?:\w+ )?(?:examples|conversations|items)\b/i.exec(text);
  if (!match) return null;
  const count = Number(match[1]);
  return count > 0 ? count : null;
}
