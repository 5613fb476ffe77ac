import { useEffect, useRef, useState } from "react";
import type { Citation } from "../../../sdk/index.ts";
import { BookUpload } from "../components/BookUpload.tsx";
import { ChatComposer } from "../components/ChatComposer.tsx";
import { ChatProblemNotice } from "../components/ChatProblemNotice.tsx";
import { CitationList } from "../components/CitationList.tsx";
import { MessageBubble } from "../components/MessageBubble.tsx";
import { ReplyAudio } from "../components/ReplyAudio.tsx";
import { bookTitle } from "../format.ts";
import { useBook } from "../hooks/useBook.ts";
import { useChat } from "../hooks/useChat.ts";
import { useConversationAddress } from "../hooks/useConversationAddress.ts";
import { useModelStatus } from "../hooks/useModelStatus.ts";
import { useReplySpeech } from "../hooks/useReplySpeech.ts";
import { hrefFor } from "../router.ts";

/** Percent of a chapter read once its passage `position` (from 1) of `count` is seen; rounded up. */
const percentAt = (position: number, count: number) => Math.min(100, Math.ceil((position / count) * 10_000) / 100);

/**
 * Reading with a persona: the open chapter's text, and the chat beside it (below it on a phone).
 * The reader's place is saved as they move on (next chapter, scrolling); chat draws only on
 * passages up to it, and each reply's citations open their passage here.
 */
export default function ReaderScreen({ modelId, conversationId }: { modelId: string; conversationId?: string }) {
  const { status, error: modelError } = useModelStatus(modelId);
  if (!status) {
    return modelError
      ? <div className="state-message error" role="alert"><p>Could not load this persona: {modelError.message}</p><a className="button primary small" href={hrefFor.models}>Back to AI Models</a></div>
      : <p className="state-message" role="status">Loading…</p>;
  }
  const model = status.model;
  return (
    <Reader modelId={modelId} conversationId={conversationId} bookId={model.book_id} title={bookTitle(model.book_info, model.book_id)} persona={model.entity_name} />
  );
}

function Reader({ modelId, conversationId, bookId, title, persona }: {
  modelId: string;
  conversationId?: string;
  bookId: string;
  title: string;
  persona: string;
}) {
  const book = useBook(bookId);
  const chat = useChat(modelId);
  const { speech, speechFor } = useReplySpeech(modelId);
  const address = useConversationAddress(chat, conversationId, (id) => hrefFor.read(modelId, id));
  const [highlight, setHighlight] = useState<number | null>(null);
  const [jumpTo, setJumpTo] = useState<number | null>(null);
  const text = useRef<HTMLElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const chapter = book.detail?.chapter;
  const chapters = book.detail?.book.chapters ?? [];

  // New messages scroll into view; the first render leaves the reader at the text.
  useEffect(() => {
    if (chat.messages.length > 0) end.current?.scrollIntoView?.({ block: "end" });
  }, [chat.messages]);

  const shownChapter = useRef<number | null>(null);

  // Opening a chapter is reaching it; every passage scrolled past moves the place on.
  useEffect(() => {
    if (!chapter) return;
    // Another chapter opened from the one shown starts at its top (unless a citation jumps within it).
    if (shownChapter.current !== null && shownChapter.current !== chapter.index && jumpTo === null) {
      document.getElementById("chapter-title")?.scrollIntoView?.({ block: "start" });
    }
    shownChapter.current = chapter.index;
    book.moveTo({ chapter: chapter.index, percent: 0 });
    const count = chapter.passages.length;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const position = Number((entry.target as HTMLElement).dataset.position);
        book.moveTo({ chapter: chapter.index, percent: percentAt(position, count) });
      }
    }, { threshold: 0.6 });
    text.current?.querySelectorAll("[data-position]").forEach((element) => observer.observe(element));
    return () => observer.disconnect();
    // The chapter object changes when a chapter opens; moveTo is stable per book.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chapter]);

  // A citation in another chapter opens it first, then its passage.
  useEffect(() => {
    if (jumpTo === null || !chapter) return;
    const target = document.getElementById(`passage-${jumpTo}`);
    if (!target) return;
    target.scrollIntoView?.({ block: "center" });
    target.focus({ preventScroll: true });
    setHighlight(jumpTo);
    setJumpTo(null);
  }, [jumpTo, chapter]);

  const openCitation = (citation: Citation) => {
    setJumpTo(citation.passageId);
    if (chapter?.index !== citation.chapter) void book.openChapter(citation.chapter);
  };

  // The persona answers from the place just reached: a place still waiting to be saved goes first.
  const send = (message: string) => void book.saveNow().then(() => chat.send(message));

  const index = chapter?.index ?? 0;
  const savedText = book.reached
    ? `Your place: chapter ${book.reached.chapter}${book.reached.percent === null ? "" : `, ${Math.floor(book.reached.percent)}%`}` +
      (book.saved === "saving" ? " (saving…)" : book.saved === "failed" ? " (not saved)" : "")
    : "";

  return (
    <div className="reader-layout">
      <section className="reader-text" ref={text} aria-labelledby="reader-title">
        <div className="reader-head">
          <a className="back-link" href={hrefFor.chat(modelId, chat.conversationId)} aria-label={`Back to the chat with ${persona}`}>←</a>
          <div className="chat-names">
            <h1 id="reader-title">{book.detail?.book.title ?? title}</h1>
            <p className="muted">Reading with {persona}</p>
          </div>
        </div>

        {book.loading && !book.detail && <p className="state-message" role="status">Loading the book…</p>}
        {book.error && <p className="state-message error" role="alert">Could not load the book: {book.error}</p>}
        {book.missing && (
          <div className="reader-empty">
            <p>There is no text of this book you can read yet. Upload yours, and {persona} will draw on it as you read, never past your place.</p>
            <BookUpload bookId={bookId} title={title} onUploaded={() => void book.reload()} />
          </div>
        )}

        {book.detail && chapter && (
          <>
            <div className="reader-controls">
              <div className="field chapter-select">
                <label htmlFor="reader-chapter">Chapter</label>
                <select id="reader-chapter" value={index} onChange={(event) => void book.openChapter(Number(event.target.value))}>
                  {chapters.map((entry) => <option key={entry.index} value={entry.index}>{entry.index}. {entry.title}</option>)}
                </select>
              </div>
              <p className="reader-place muted" role="status" aria-live="polite">{savedText}</p>
            </div>
            <article className="chapter-text" aria-labelledby="chapter-title" aria-busy={book.loading || undefined}>
              <h2 id="chapter-title">{chapter.title}</h2>
              {chapter.passages.map((passage) => (
                <div
                  key={passage.id}
                  id={`passage-${passage.id}`}
                  data-position={passage.position}
                  tabIndex={-1}
                  className={`passage${highlight === passage.id ? " highlight" : ""}`}
                >
                  {passage.text.split("\n\n").map((paragraph, i) => <p key={i}>{paragraph}</p>)}
                </div>
              ))}
            </article>
            <nav className="chapter-nav" aria-label="Chapters">
              <button type="button" className="button ghost" disabled={index <= 1 || book.loading} onClick={() => void book.openChapter(index - 1)}>
                Previous chapter
              </button>
              <button type="button" className="button primary" disabled={index >= chapters.length || book.loading} onClick={() => {
                book.moveTo({ chapter: index, percent: null });
                void book.openChapter(index + 1);
              }}>
                Next chapter
              </button>
            </nav>
            {book.detail.book.owned && (
              <details className="replace-text">
                <summary>Replace your text of this book</summary>
                <BookUpload bookId={bookId} title={title} replacing onUploaded={() => void book.reload()} />
              </details>
            )}
          </>
        )}
      </section>

      <section className="reader-chat" aria-labelledby="reader-chat-title">
        <h2 id="reader-chat-title" className="reader-chat-title">Talk with {persona}</h2>
        <p className="hint reader-chat-hint">{persona} knows the book only up to your place, and will not spoil what comes after.</p>
        {chat.ratingError && <p className="form-error" role="alert">{chat.ratingError}</p>}
        <ReplyAudio speech={speech} />
        <div className="messages" role="log" aria-label="Messages" aria-live="polite" tabIndex={0}>
          {address.lost && <p className="muted" role="status">That conversation was not found; this is a new one.</p>}
          {chat.messages.map((message) => (
            <div key={message.id} className="reader-message">
              <MessageBubble
                message={message}
                speaker={persona}
                speech={speechFor(message)}
                onRate={(rating) => void chat.rate(message.id, rating)}
                onRetry={message.unsent ? chat.retry : undefined}
              />
              {message.role === "assistant" && message.citations && (
                <CitationList citations={message.citations} onOpen={openCitation} />
              )}
            </div>
          ))}
          <div ref={end} aria-hidden="true" />
        </div>
        {chat.problem && (
          <ChatProblemNotice problem={chat.problem} who={persona} onRetry={chat.lastMessage ? () => void chat.send(chat.lastMessage!) : undefined} />
        )}
        <ChatComposer
          id="reader-composer"
          label={`Message ${persona}`}
          placeholder={`Ask ${persona} about what you have read…`}
          sending={chat.sending}
          blocked={address.restoring}
          onSend={send}
        />
      </section>
    </div>
  );
}
