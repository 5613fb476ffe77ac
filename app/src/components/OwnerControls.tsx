import { useState } from "react";
import type { Model, SpeechOptions } from "../../../sdk/index.ts";
import { navigate, hrefFor } from "../router.ts";
import { api } from "../services.ts";
import { VoicePicker } from "./VoicePicker.tsx";

/** What only the owner may do: share the model or make it private, choose its voice, and delete it. */
export function OwnerControls({ model, onChange, voices }: {
  model: Model;
  onChange: (model: Model) => void;
  /** The voices to choose from; no picker while unknown or where speech is off. */
  voices?: SpeechOptions | null;
}) {
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggleVisibility() {
    setSaving(true);
    setError(null);
    try {
      onChange(await api.setVisibility(model.id, !model.is_public));
    } catch (failure) {
      setError(`Could not change who can see it: ${(failure as Error).message}`);
    } finally {
      setSaving(false);
    }
  }

  async function chooseVoice(voice: string) {
    setSaving(true);
    setError(null);
    try {
      onChange(await api.setVoice(model.id, voice || null));
    } catch (failure) {
      setError(`Could not change the voice: ${(failure as Error).message}`);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setDeleting(true);
    setError(null);
    try {
      await api.deleteModel(model.id);
      navigate(hrefFor.models);
    } catch (failure) {
      setError(`Could not delete it: ${(failure as Error).message}`);
      setDeleting(false);
    }
  }

  return (
    <div className="owner-controls">
      <label className="switch">
        <input type="checkbox" role="switch" checked={model.is_public} disabled={saving} onChange={() => void toggleVisibility()} />
        <span>Public</span>
      </label>
      {voices?.configured && (
        <VoicePicker id={`voice-${model.id}`} options={voices} value={model.voice ?? ""} disabled={saving} onChange={(voice) => void chooseVoice(voice)} />
      )}
      {!confirming
        ? <button type="button" className="button danger-ghost small" onClick={() => setConfirming(true)}>Delete</button>
        : (
          <div className="confirm" role="group" aria-label={`Delete ${model.entity_name}?`}>
            <span>Delete {model.entity_name} and its chats?</span>
            <button type="button" className="button ghost small" onClick={() => setConfirming(false)} autoFocus>Cancel</button>
            <button type="button" className="button danger small" onClick={() => void remove()} disabled={deleting}>
              {deleting ? "Deleting…" : "Delete for good"}
            </button>
          </div>
        )}
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
