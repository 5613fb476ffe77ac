import { type ChangeEvent, useId, useState } from "react";
import type { TrainingExample } from "../../../sdk/index.ts";
import { ExampleForm } from "../components/ExampleForm.tsx";
import { TrainingBanner } from "../components/TrainingBanner.tsx";
import { isTraining, useModelStatus } from "../hooks/useModelStatus.ts";
import { useExamples } from "../hooks/useExamples.ts";
import { hrefFor } from "../router.ts";

const SOURCE_LABEL: Record<TrainingExample["source"], string> = {
  generated: "Generated",
  user: "Yours",
  chat: "From a chat",
};

/**
 * The owner's examples editor for one model (loaded on first use): the stored training
 * conversations with their source and topic, to add, edit, delete or import as JSONL, the
 * up-rated replies to take, and the retrain that trains on them.
 */
export default function ExamplesScreen({ modelId }: { modelId: string }) {
  const { status, refresh } = useModelStatus(modelId);
  const examples = useExamples(modelId);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const fileId = useId();
  const persona = status?.model.entity_name ?? "The persona";

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) void examples.importFile(file);
  };
  const retrain = async () => {
    if (await examples.retrain()) refresh();
  };
  const training = status ? isTraining(status.status) : false;

  return (
    <section aria-labelledby="examples-title" className="narrow examples-screen">
      <a className="back-link" href={hrefFor.chat(modelId)}>← Back to {persona}</a>
      <h1 id="examples-title">Training examples</h1>
      <p className="muted">
        What {persona} is trained on. Shape it, then retrain: chat keeps the current version until the new one is ready.
      </p>
      {status && <TrainingBanner status={status} />}

      <div className="examples-toolbar">
        <button type="button" className="button primary small" aria-expanded={adding} onClick={() => setAdding((open) => !open)}>
          Add example
        </button>
        <label htmlFor={fileId} className={`button ghost small file-button${examples.busy ? " busy" : ""}`}>Import JSONL</label>
        <input
          id={fileId}
          type="file"
          accept=".jsonl,application/x-ndjson,application/jsonl,text/plain"
          className="visually-hidden"
          aria-label="Import examples (OpenAI chat JSONL)"
          disabled={examples.busy}
          onChange={picked}
        />
        <button type="button" className="button ghost small" disabled={examples.busy} onClick={() => void examples.takeRatedReplies()}>
          Add up-rated replies
        </button>
        <button type="button" className="button ghost small" disabled={examples.busy || training} onClick={() => void retrain()}>
          {training ? "Training…" : "Retrain"}
        </button>
      </div>

      <div aria-live="polite" className="examples-status">
        {examples.notice && <p className="form-notice" role="status">{examples.notice}</p>}
        {examples.problems.length > 0 && (
          <div className="form-error import-errors" role="alert">
            <p>That did not work:</p>
            <ul>{examples.problems.map((line) => <li key={line}>{line}</li>)}</ul>
          </div>
        )}
      </div>

      {adding && (
        <div className="card form">
          <h2>New example</h2>
          <ExampleForm
            persona={persona}
            submitLabel="Save example"
            busy={examples.busy}
            onSubmit={async (draft) => {
              const saved = await examples.add(draft);
              if (saved) setAdding(false);
              return saved;
            }}
            onCancel={() => setAdding(false)}
          />
        </div>
      )}

      {examples.loading && examples.examples.length === 0 && <p className="state-message" role="status">Loading examples…</p>}
      {!examples.loading && examples.examples.length === 0 && (
        <p className="state-message">No examples yet: they are written while the model is created, or add your own.</p>
      )}
      <ol className="example-list" aria-label="Examples">
        {examples.examples.map((example, index) => {
          const label = `example-${example.id}`;
          return (
            <li key={example.id} className="card example-item" aria-labelledby={label}>
              <div className="example-head">
                <h2 id={label} className="example-title">
                  {index + 1}. {example.topic?.replaceAll("_", " ") ?? "No topic"}
                </h2>
                <span className={`badge source-${example.source}`}>{SOURCE_LABEL[example.source]}</span>
              </div>
              {editing === example.id
                ? (
                  <ExampleForm
                    initial={{ topic: example.topic, messages: example.messages }}
                    persona={persona}
                    submitLabel="Save changes"
                    busy={examples.busy}
                    onSubmit={async (draft) => {
                      const saved = await examples.edit(example.id, draft);
                      if (saved) setEditing(null);
                      return saved;
                    }}
                    onCancel={() => setEditing(null)}
                  />
                )
                : (
                  <>
                    <dl className="example-turns">
                      {example.messages.map((turn, at) => (
                        <div key={at} className={`turn turn-${turn.role}`}>
                          <dt>{turn.role === "user" ? "Reader" : persona}</dt>
                          <dd>{turn.content}</dd>
                        </div>
                      ))}
                    </dl>
                    <div className="form-actions">
                      <button type="button" className="button ghost small" aria-describedby={label} onClick={() => setEditing(example.id)}>
                        Edit
                      </button>
                      {confirmDelete === example.id
                        ? (
                          <>
                            <button type="button" className="button ghost small" onClick={() => setConfirmDelete(null)}>Keep it</button>
                            <button
                              type="button"
                              className="button danger small"
                              aria-describedby={label}
                              disabled={examples.busy}
                              onClick={() => void examples.remove(example.id).then(() => setConfirmDelete(null))}
                            >
                              Delete for good
                            </button>
                          </>
                        )
                        : (
                          <button type="button" className="button danger-ghost small" aria-describedby={label} onClick={() => setConfirmDelete(example.id)}>
                            Delete
                          </button>
                        )}
                    </div>
                  </>
                )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
