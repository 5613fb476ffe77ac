import { useEffect, useState } from "react";
import type { Model } from "../../../sdk/index.ts";
import { api } from "../services.ts";

// One request per model per page load (the browser's cache keeps the bytes a day): every avatar of
// the same persona shares the object URL.
const pictures = new Map<string, Promise<string | null>>();

function pictureUrl(modelId: string): Promise<string | null> {
  let known = pictures.get(modelId);
  if (!known) {
    known = api.cardPicture(modelId).then((blob) => (blob ? URL.createObjectURL(blob) : null), () => null);
    pictures.set(modelId, known);
  }
  return known;
}

/** True when the model was made from a Character Card, the only kind that may have a picture. */
const fromCard = (model: Model) =>
  typeof model.book_info === "object" && model.book_info !== null && "card" in model.book_info;

/** The picture a persona's card brought, as an object URL, once loaded; null for any other persona. */
export function useCardPicture(model: Model): string | null {
  // Kept with its model's id, so another persona on the same screen never shows this one's picture.
  const [shown, setShown] = useState<{ modelId: string; url: string | null } | null>(null);
  const wanted = fromCard(model);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void pictureUrl(model.id).then((url) => { if (live) setShown({ modelId: model.id, url }); });
    return () => { live = false; };
  }, [model.id, wanted]);
  return wanted && shown?.modelId === model.id ? shown.url : null;
}
