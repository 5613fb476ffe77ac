import type { Model } from "../../../sdk/index.ts";
import { AvatarContent } from "./AvatarContent.tsx";

export const GROUP_MIN = 2;
export const GROUP_MAX = 6;

/** Pick the personas of a book who join a group chat: 2 to 6, in the order they will speak in turn. */
export function PersonaPicker({ models, picked, onChange }: { models: Model[]; picked: string[]; onChange: (picked: string[]) => void }) {
  const toggle = (id: string) =>
    onChange(picked.includes(id) ? picked.filter((known) => known !== id) : [...picked, id]);
  return (
    <fieldset className="persona-picker">
      <legend>Who joins <span className="muted">({GROUP_MIN} to {GROUP_MAX})</span></legend>
      {models.length === 0 && <p className="muted">No personas of this book yet.</p>}
      <ul>
        {models.map((model) => {
          const place = picked.indexOf(model.id);
          return (
            <li key={model.id}>
              <label className={`persona-option${place >= 0 ? " selected" : ""}`}>
                <input
                  type="checkbox"
                  checked={place >= 0}
                  disabled={place < 0 && picked.length >= GROUP_MAX}
                  onChange={() => toggle(model.id)}
                />
                <span className="avatar" aria-hidden="true"><AvatarContent model={model} /></span>
                <span className="persona-name">{model.entity_name}</span>
                {place >= 0 && <span className="persona-place muted" aria-hidden="true">{place + 1}</span>}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
