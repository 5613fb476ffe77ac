import type { Model } from "../../../sdk/index.ts";
import { hrefFor } from "../router.ts";

/** A create answered 409: the live twin already exists, one tap away. */
export function ExistingModelNotice({ model }: { model: Pick<Model, "id" | "entity_name"> }) {
  return (
    <div className="notice" role="alert">
      <p>{model.entity_name} for this book already exists.</p>
      <a className="button primary small" href={hrefFor.chat(model.id)}>Open {model.entity_name}</a>
    </div>
  );
}
