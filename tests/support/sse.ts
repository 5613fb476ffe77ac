/** One Server-Sent Event as a client sees it: its name (default "message") and its data, JSON-parsed. */
export interface ParsedEvent {
  event: string;
  data: any;
}

/**
 * Parses an event-stream body as the EventSource algorithm does (blank line ends an event, `data:`
 * lines join with "\n", `:` lines are comments, CRLF or LF), with each event's data read as JSON.
 */
export function parseEventStream(body: string): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  let name = "";
  let data: string[] = [];
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (data.length > 0) events.push({ event: name || "message", data: JSON.parse(data.join("\n")) });
      name = "";
      data = [];
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  return events;
}

/** Reads a whole event-stream response, failing after `timeoutMs`, and parses it. */
export async function readEventStream(response: Response, timeoutMs = 15_000): Promise<ParsedEvent[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`event stream not finished in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return parseEventStream(await Promise.race([response.text(), late]));
  } finally {
    clearTimeout(timer);
  }
}

/** The text of the `delta` events, joined: what the client showed the user. */
export function joinedDeltas(events: ParsedEvent[]): string {
  return events.filter((event) => event.event === "delta").map((event) => event.data.text).join("");
}
