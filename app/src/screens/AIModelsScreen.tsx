import { type TouchEvent, useMemo, useRef, useState } from "react";
import type { ModelType } from "../../../sdk/index.ts";
import { ChatSharingSwitch } from "../components/ChatSharingSwitch.tsx";
import { ModelCard } from "../components/ModelCard.tsx";
import { bookTitle } from "../format.ts";
import { useModels } from "../hooks/useModels.ts";
import { hrefFor, type ModelsFilter, replaceAddress } from "../router.ts";

const PULL_TO_REFRESH_PX = 70;
const TYPES: { value: ModelType | undefined; label: string }[] = [
  { value: undefined, label: "All" },
  { value: "author", label: "Authors" },
  { value: "character", label: "Characters" },
];

/**
 * The AI Models screen: yours and the public ones (or yours only), filtered by kind and book. The
 * filters live in the address, so Back from a chat and a reload find them as they were.
 */
export function AIModelsScreen({ userId, filter: initial }: { userId: string; filter: ModelsFilter }) {
  const [filter, setFilter] = useState<ModelsFilter>(initial);
  const { type, bookId, mine } = filter;
  const change = (next: Partial<ModelsFilter>) => {
    const merged = { ...filter, ...next };
    setFilter(merged);
    replaceAddress(hrefFor.modelsFiltered(merged));
  };
  const { models, nextCursor, loading, loadingMore, error, reload, loadMore } = useModels(filter);
  const books = useRef(new Map<string, string>());
  for (const model of models) books.current.set(model.book_id, bookTitle(model.book_info, model.book_id));
  const bookOptions = useMemo(() => uniqueTitles(books.current, bookId), [models, bookId]);

  // Pull to refresh: a downward drag from the top of the page.
  const pullStart = useRef<number | null>(null);
  const [pull, setPull] = useState(0);
  const onTouchStart = (event: TouchEvent) => {
    pullStart.current = window.scrollY === 0 ? event.touches[0].clientY : null;
  };
  const onTouchMove = (event: TouchEvent) => {
    if (pullStart.current !== null) setPull(Math.max(0, Math.min(120, event.touches[0].clientY - pullStart.current)));
  };
  const onTouchEnd = () => {
    if (pull >= PULL_TO_REFRESH_PX) void reload();
    pullStart.current = null;
    setPull(0);
  };

  return (
    <section aria-labelledby="models-title" onTouchStart={onTouchStart} onTouchMove={onTouchMove} onTouchEnd={onTouchEnd}>
      <div className="pull-indicator" style={{ height: pull / 2 }} aria-hidden="true">
        {pull >= PULL_TO_REFRESH_PX ? "Release to refresh" : pull > 0 ? "Pull to refresh" : ""}
      </div>
      <div className="screen-title-row">
        <h1 id="models-title">AI Models</h1>
        <button type="button" className="button ghost small" onClick={() => void reload()} disabled={loading}>
          <span aria-hidden="true">↻</span> Refresh
        </button>
      </div>
      <div className="filters">
        <div className="segmented" role="group" aria-label="Show">
          {TYPES.map((option) => (
            <button
              key={option.label}
              type="button"
              aria-pressed={type === option.value}
              onClick={() => change({ type: option.value })}
            >
              {option.label}
            </button>
          ))}
        </div>
        <label className="field inline">
          <span>Book</span>
          <select value={bookId ?? ""} onChange={(event) => change({ bookId: event.target.value || undefined })}>
            <option value="">All books</option>
            {bookOptions.map(([id, title]) => <option key={id} value={id}>{title}</option>)}
          </select>
        </label>
        <label className="switch">
          <input type="checkbox" role="switch" checked={Boolean(mine)} onChange={(event) => change({ mine: event.target.checked || undefined })} />
          <span>Only mine</span>
        </label>
        {bookId && <a className="button ghost small" href={hrefFor.newGroup(bookId)}>Group chat</a>}
        {bookId && <a className="button ghost small" href={hrefFor.cast(bookId)}>Whole cast</a>}
      </div>

      <div aria-live="polite" aria-busy={loading}>
        {loading && models.length === 0 && <p className="state-message" role="status">Loading models…</p>}
        {error && (
          <div className="state-message error" role="alert">
            <p>Could not load the models: {error.message}</p>
            <button type="button" className="button primary small" onClick={() => void reload()}>Try again</button>
          </div>
        )}
        {!loading && !error && models.length === 0 && (
          <div className="empty-state">
            <p className="empty-title">{mine || type || bookId ? "No AI models match these filters" : "No AI models yet"}</p>
            <p className="muted">Create one that speaks as an author or a character from a book you are reading.</p>
            <a className="button primary" href={hrefFor.create}>Create an AI</a>
          </div>
        )}
      </div>

      {models.length > 0 && (
        <ul className="model-list" aria-label="Models">
          {models.map((model) => <ModelCard key={model.id} model={model} mine={model.created_by === userId} />)}
        </ul>
      )}
      {nextCursor && (
        <div className="load-more">
          <button type="button" className="button ghost" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      <ChatSharingSwitch />
      <p className="app-footer-links muted">
        Building a reading app? <a href={hrefFor.demo}>See the quick fine-tune button</a>
      </p>
      <a className="fab" href={hrefFor.create} aria-label="Create an AI model">
        <span aria-hidden="true">+</span>
      </a>
    </section>
  );
}

/**
 * One entry per book title (models of one book may carry different ids), sorted; the chosen id
 * stays its title's entry.
 */
function uniqueTitles(books: Map<string, string>, chosen?: string): [string, string][] {
  const byTitle = new Map<string, string>();
  for (const [id, title] of books) {
    const key = title.trim().toLowerCase();
    if (!byTitle.has(key) || id === chosen) byTitle.set(key, id);
  }
  return [...byTitle.values()].map((id) => [id, books.get(id)!] as [string, string]).sort((a, b) => a[1].localeCompare(b[1]));
}
