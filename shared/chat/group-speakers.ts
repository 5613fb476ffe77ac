import type { GroupStrategy } from "./group-schemas.ts";

/**
 * How likely a persona not named in the message is to speak up in the natural strategy
 * (SillyTavern's talkativeness; one value for all until personas carry their own).
 */
export const DEFAULT_TALKATIVENESS = 0.5;

interface Speaker {
  id: string;
  name: string;
}

/** Where the message names the persona (its full name, or its first name), or -1. */
function mentionAt(message: string, name: string): number {
  const lower = message.toLowerCase();
  const candidates = [name, name.split(/\s+/)[0]].filter((candidate) => candidate.length >= 2);
  let first = -1;
  for (const candidate of candidates) {
    const escaped = candidate.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, "u").exec(lower);
    if (match) {
      const at = match.index + match[1].length;
      if (first === -1 || at < first) first = at;
    }
  }
  return first;
}

/**
 * Who replies to a message, in order. `natural`: the personas the message names, in the order it
 * names them; then each other one with probability `talkativeness`; then, if nobody spoke, one at
 * random. `list`: every persona in order. `manual`: only `speaker`.
 */
export function chooseSpeakers<T extends Speaker>(input: {
  strategy: GroupStrategy;
  personas: T[];
  message: string;
  speaker?: string;
  talkativeness?: number;
  random?: () => number;
}): T[] {
  const { personas } = input;
  if (input.strategy === "list") return [...personas];
  if (input.strategy === "manual") return personas.filter((persona) => persona.id === input.speaker);

  const random = input.random ?? Math.random;
  const talkativeness = input.talkativeness ?? DEFAULT_TALKATIVENESS;
  const named = personas
    .map((persona) => ({ persona, at: mentionAt(input.message, persona.name) }))
    .filter(({ at }) => at !== -1)
    .sort((a, b) => a.at - b.at)
    .map(({ persona }) => persona);
  const others = personas.filter((persona) => !named.includes(persona) && random() < talkativeness);
  const speakers = [...named, ...others];
  if (speakers.length === 0) speakers.push(personas[Math.floor(random() * personas.length)]);
  return speakers;
}
