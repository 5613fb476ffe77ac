import { useCallback, useEffect, useState } from "react";
import type { CreateReaderPersonaInput, Model, ReaderPersona } from "../../../sdk/index.ts";
import { api } from "../services.ts";

/** Who the reader may be in their chats, adding one, and the characters of `bookId` they may play. */
export function useReaderPersonas(bookId: string) {
  const [personas, setPersonas] = useState<ReaderPersona[]>([]);
  const [characters, setCharacters] = useState<Model[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Only a convenience for "play as": without it, a persona is a name and a description.
    api.listModels({ bookId, type: "character", limit: 50 }).then((list) => setCharacters(list.models), () => setCharacters([]));
  }, [bookId]);

  const load = useCallback(async () => {
    try {
      setPersonas(await api.listReaderPersonas());
    } catch (caught) {
      setError(`Could not load who you may be: ${(caught as Error).message}`);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const create = useCallback(async (input: CreateReaderPersonaInput): Promise<ReaderPersona | null> => {
    setError(null);
    try {
      const persona = await api.createReaderPersona(input);
      // A new default takes the flag from the old one, as the server did.
      setPersonas((shown) => [...shown.map((item) => (persona.isDefault ? { ...item, isDefault: false } : item)), persona]);
      return persona;
    } catch (caught) {
      setError((caught as Error).message);
      return null;
    }
  }, []);

  return { personas, characters, error, create };
}
