import { useEffect, useMemo, useRef, useState } from "react";
import { StoryvoiceError } from "../../../sdk/index.ts";
import { ChatComposer } from "../components/ChatComposer.tsx";
import { ChatHeader } from "../components/ChatHeader.tsx";
import { ChatProblemNotice } from "../components/ChatProblemNotice.tsx";
import { GroupConversationList } from "../components/GroupConversationList.tsx";
import { MessageBubble } from "../components/MessageBubble.tsx";
import { GROUP_MAX, GROUP_MIN, PersonaPicker } from "../components/PersonaPicker.tsx";
import { ReplyAudio } from "../components/ReplyAudio.tsx";
import { StrategyPicker } from "../components/StrategyPicker.tsx";
import { TranscriptExport } from "../components/TranscriptExport.tsx";
import { bookTitle } from "../format.ts";
import { type GroupParticipant, type GroupStrategy, useGroupChat, useGroupConversations } from "../hooks/useGroupChat.ts";
import { useModels } from "../hooks/useModels.ts";
import { useOverlay } from "../hooks/useOverlay.ts";
import { useReplySpeech } from "../hooks/useReplySpeech.ts";
import { useTranscripts } from "../hooks/useTranscripts.ts";
import { hrefFor } from "../router.ts";

/**
 * A group chat with 2-6 personas of one book: pick who joins (a new conversation) or reopen an
 * earlier one, choose who answers, and read each reply under its speaker's name.
 */
export default function GroupChatScreen(props: { bookId?: string; withModelIds: string[]; conversationId?: string }) {
  const list = useGroupConversations();
  const chat = useGroupChat(props.conversationId, (stored, started) => {
    // The address now names the conversation, without reloading what is already shown.
    if (started) window.history.replaceState(null, "", hrefFor.group(stored));
    void list.reload();
  });
  const transcripts = useTranscripts();
  const isNew = !chat.conversationId;
  const book = useModels({ bookId: props.bookId, skip: !props.bookId || !isNew });
  const [picked, setPicked] = useState<string[]>(props.withModelIds);
  const [strategy, setStrategy] = useState<GroupStrategy>("natural");
  const [speaker, setSpeaker] = useState<string | undefined>(undefined);
  const history = useOverlay();
  const { speech, speechFor } = useReplySpeech();
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [chat.messages]);

  const pickedPersonas = useMemo<GroupParticipant[]>(() => picked.flatMap((id) => {
    const model = book.models.find((known) => known.id === id);
    return model ? [{ modelId: model.id, name: model.entity_name }] : [];
  }), [picked, book.models]);
  const participants = isNew ? pickedPersonas : chat.participants;
  const enough = participants.length >= GROUP_MIN && participants.length <= GROUP_MAX;
  const names = participants.map((participant) => participant.name).join(", ");
  const title = book.models[0] ? bookTitle(book.models[0].book_info, book.models[0].book_id) : undefined;

  /** Sends a message; false when it did not go (the composer gives the draft back). */
  const send = async (text: string) => {
    const sent = await chat.send(text, {
      modelIds: participants.map((participant) => participant.modelId),
      names: participants,
      strategy,
      speaker: speaker ?? participants[0]?.modelId,
    });
    return sent !== undefined;
  };

  if (chat.loadError) {
    const missing = chat.loadError instanceof StoryvoiceError && chat.loadError.status === 404;
    return (
      <div className="state-message error" role="alert">
        <p>{missing ? "This group chat does not exist, or it is not yours." : `Could not load the group chat: ${chat.loadError.message}`}</p>
        <a className="button primary small" href={hrefFor.models}>Back to AI Models</a>
      </div>
    );
  }

  return (
    <div className={`chat-layout${history.open ? " history-open" : ""}`}>
      <GroupConversationList
        conversations={list.conversations}
        loading={list.loading}
        current={chat.conversationId}
        open={history.open}
        onClose={() => history.close()}
        onFollow={(href) => history.close(() => window.location.assign(href))}
        newHref={props.bookId && !isNew ? hrefFor.newGroup(props.bookId) : undefined}
        actions={(conversation) => {
          const who = conversation.participants.map((participant) => participant.name).join(", ");
          return (
            <TranscriptExport
              describedBy={`conversation-${conversation.conversationId}`}
              busy={transcripts.exporting === conversation.conversationId}
              onExport={(format) => void transcripts.exportConversation(conversation.conversationId, format, who)}
            />
          );
        }}
        notice={transcripts.exportError}
      />
      <section className="chat group-chat" aria-labelledby="group-title">
        <ChatHeader
          titleId="group-title"
          title="Group chat"
          subtitle={names || title || "Pick who joins"}
          avatar={participants.length || "+"}
          avatarClassName="group-avatar"
          showHistory={history.open}
          onToggleHistory={history.toggle}
        />

        <div className="group-controls">
          {isNew && props.bookId && (
            book.loading
              ? <p className="muted" role="status">Loading the personas of this book…</p>
              : <PersonaPicker models={book.models} picked={picked} onChange={setPicked} />
          )}
          {isNew && !props.bookId && (
            <p className="muted">
              Choose a book on <a href={hrefFor.models}>AI Models</a> to start a group chat with its personas.
            </p>
          )}
          {participants.length > 0 && (
            <StrategyPicker
              strategy={strategy}
              onStrategy={setStrategy}
              participants={participants}
              speaker={speaker}
              onSpeaker={setSpeaker}
            />
          )}
        </div>

        {chat.ratingError && <p className="form-error chat-notice" role="alert">{chat.ratingError}</p>}
        <ReplyAudio speech={speech} />
        <div className="messages" role="log" aria-label="Messages" aria-live="polite" tabIndex={0} aria-busy={chat.loading || chat.sending}>
          {chat.loading && <p className="muted" role="status">Loading…</p>}
          {!chat.loading && chat.messages.length === 0 && (
            <p className="muted">{enough ? `Say something to ${names}.` : `Pick ${GROUP_MIN} to ${GROUP_MAX} personas, then say something.`}</p>
          )}
          {chat.messages.map((message) => (
            <MessageBubble
              key={message.id}
              message={message}
              speaker=""
              labelled
              speech={speechFor(message, message.modelId)}
              onRate={(rating) => void chat.rate(message.id, rating)}
              onRetry={message.unsent ? chat.retry : undefined}
            />
          ))}
          {chat.sending && (
            <div className="bubble-row from-them">
              <div className="bubble"><span className="typing" aria-label="Writing">•••</span></div>
            </div>
          )}
          <div ref={end} aria-hidden="true" />
        </div>

        {chat.problem && <ChatProblemNotice problem={chat.problem} who={names} onRetry={chat.retry} />}

        <ChatComposer
          id="group-composer"
          label="Message the group"
          placeholder={enough ? "Message the group…" : "Pick who joins first"}
          sending={chat.sending}
          blocked={!enough}
          onSend={send}
        />
      </section>
    </div>
  );
}
