import { useEffect, useRef, useState } from "react";
import { StoryvoiceError } from "../../../sdk/index.ts";
import { BookTextPanel } from "../components/BookTextPanel.tsx";
import { CardExport } from "../components/CardExport.tsx";
import { ChatComposer } from "../components/ChatComposer.tsx";
import { ChatHeader } from "../components/ChatHeader.tsx";
import { ChatProblemNotice } from "../components/ChatProblemNotice.tsx";
import { ConversationList } from "../components/ConversationList.tsx";
import { MessageBubble, type ReplySpeech } from "../components/MessageBubble.tsx";
import { OwnerControls } from "../components/OwnerControls.tsx";
import { ReplyActions } from "../components/ReplyActions.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { TrainingBanner } from "../components/TrainingBanner.tsx";
import { TranscriptExport } from "../components/TranscriptExport.tsx";
import { TranscriptImport } from "../components/TranscriptImport.tsx";
import { bookTitle } from "../format.ts";
import { type ChatMessage, useChat } from "../hooks/useChat.ts";
import { useModelStatus } from "../hooks/useModelStatus.ts";
import { useReplyActions } from "../hooks/useReplyActions.ts";
import { useSpeech, useSpeechOptions } from "../hooks/useSpeech.ts";
import { useVoiceConversation } from "../hooks/useVoiceConversation.ts";
import { useTranscripts } from "../hooks/useTranscripts.ts";
import { hrefFor } from "../router.ts";

/** Chat with one model: streaming replies, its training banner, earlier conversations. */
export function CharacterChatScreen({ modelId, userId }: { modelId: string; userId: string }) {
  const { status, error, setModel } = useModelStatus(modelId);
  const chat = useChat(modelId);
  const replies = useReplyActions(chat);
  const transcripts = useTranscripts();
  const [showHistory, setShowHistory] = useState(false);
  const end = useRef<HTMLDivElement>(null);
  const speechOptions = useSpeechOptions();
  const speech = useSpeech(modelId);
  const voice = useVoiceConversation((heard) => void chat.send(heard));
  const { state: voiceState, listen, stop: stopVoice } = voice;

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [chat.messages]);

  // Voice conversation: once the reply to what was heard is written, read it aloud, then listen again.
  const lastReply = chat.messages.at(-1);
  useEffect(() => {
    if (voiceState !== "waiting" || chat.sending) return;
    if (chat.problem) {
      stopVoice();
      return;
    }
    if (!lastReply || lastReply.role !== "assistant" || lastReply.streaming) return;
    if (speechOptions?.configured) void speech.play(lastReply.id, { text: lastReply.text.slice(0, speechOptions.maxCharacters) }, listen);
    else listen();
  }, [voiceState, chat.sending, chat.problem, lastReply, speechOptions, speech.play, listen, stopVoice]);

  if (!status) {
    if (error) {
      const missing = error instanceof StoryvoiceError && error.status === 404;
      return (
        <div className="state-message error" role="alert">
          <p>{missing ? "This model does not exist, or it is not shared with you." : `Could not load the model: ${error.message}`}</p>
          <a className="button primary small" href={hrefFor.models}>Back to AI Models</a>
        </div>
      );
    }
    return <p className="state-message" role="status">Loading…</p>;
  }

  const model = status.model;
  /** The play button of a reply, where this deployment can speak. */
  const speechFor = (message: ChatMessage): ReplySpeech | undefined => {
    if (!speechOptions?.configured) return undefined;
    // The words as shown; a stored reply too long to send is read from the server by its id.
    const source = message.text.length > speechOptions.maxCharacters && message.chatId
      ? { chatId: message.chatId }
      : { text: message.text.slice(0, speechOptions.maxCharacters) };
    return {
      state: speech.playing === message.id ? "playing" : speech.loading === message.id ? "loading" : "idle",
      onPlay: () => void speech.play(message.id, source),
      onStop: speech.stop,
    };
  };
  const greeting: ChatMessage | null = model.greeting ? { id: "greeting", role: "assistant", text: model.greeting } : null;

  return (
    <div className={`chat-layout${showHistory ? " history-open" : ""}`}>
      <ConversationList
        conversations={chat.history}
        loading={chat.historyLoading}
        current={chat.conversationId}
        onOpen={(conversation) => { chat.open(conversation); setShowHistory(false); }}
        onNew={() => { chat.startNew(); setShowHistory(false); }}
        tools={(
          <TranscriptImport
            busy={transcripts.importing}
            errors={transcripts.importErrors}
            onFile={async (file) => {
              const imported = await transcripts.importFile(modelId, file);
              if (imported) { await chat.openById(imported); setShowHistory(false); }
            }}
          />
        )}
        actions={(conversation) => (
          <TranscriptExport
            describedBy={`conversation-${conversation.conversationId}`}
            busy={transcripts.exporting === conversation.conversationId}
            onExport={(format) => void transcripts.exportConversation(conversation.conversationId, format, model.entity_name)}
          />
        )}
        notice={transcripts.exportError}
      />
      <section className="chat" aria-labelledby="chat-title">
        <ChatHeader
          titleId="chat-title"
          title={model.entity_name}
          subtitle={bookTitle(model.book_info, model.book_id)}
          avatar={model.entity_name.slice(0, 1).toUpperCase()}
          showHistory={showHistory}
          onToggleHistory={() => setShowHistory((open) => !open)}
        >
          <StatusBadge status={model.status} />
          <a className="button ghost small read-along" href={hrefFor.read(model.id)} aria-label="Read along">
            Read<span className="read-along-label"> along</span>
          </a>
        </ChatHeader>
        <TrainingBanner status={status} />
        <div className="model-tools">
          {model.created_by === userId && <OwnerControls model={model} onChange={setModel} voices={speechOptions} />}
          {model.created_by === userId && <a className="button ghost small" href={hrefFor.examples(model.id)}>Training examples</a>}
          <CardExport model={model} />
          {model.created_by === userId && (
            <BookTextPanel bookId={model.book_id} title={bookTitle(model.book_info, model.book_id)} />
          )}
          {chat.ratingError && <p className="form-error" role="alert">{chat.ratingError}</p>}
        </div>
        <audio ref={speech.audioRef} onEnded={speech.onAudioEnded} onPause={speech.onAudioPaused} aria-label="Reply read aloud" />

        <div className="messages" role="log" aria-label="Messages" aria-live="polite" tabIndex={0}>
          {greeting && <MessageBubble message={greeting} speaker={model.entity_name} speech={speechFor(greeting)} />}
          {chat.messages.length === 0 && (
            <div className="starters">
              <p className="muted">Start a conversation with {model.entity_name}:</p>
              <ul>
                {(model.starter_prompts ?? []).map((prompt) => (
                  <li key={prompt}>
                    <button type="button" className="starter" onClick={() => void chat.send(prompt)}>{prompt}</button>
                  </li>
                ))}
              </ul>
              <p className="muted">
                Or talk with several of this book's personas at once:{" "}
                <a href={hrefFor.newGroup(model.book_id, [model.id])}>Add personas</a>
              </p>
            </div>
          )}
          {chat.messages.map((message) => (
            <MessageBubble
              key={message.id}
              message={message}
              speaker={model.entity_name}
              speech={speechFor(message)}
              onRate={(rating) => void chat.rate(message.id, rating)}
              actions={message.chatId && <ReplyActions message={message} messages={chat.messages} replies={replies} disabled={chat.sending} />}
            />
          ))}
          <div ref={end} aria-hidden="true" />
        </div>

        {chat.problem && (
          <ChatProblemNotice
            problem={chat.problem}
            who={model.entity_name}
            onRetry={chat.lastMessage ? () => void chat.send(chat.lastMessage!) : undefined}
          />
        )}

        <div className="voice-status" role="status">
          {voice.state === "listening" ? "Listening… speak now." : voice.state === "waiting" ? `${model.entity_name} is answering…` : ""}
        </div>
        {voice.notice && <p className="voice-notice" role="alert">{voice.notice}</p>}
        {speech.error && <p className="voice-notice" role="alert">{speech.error}</p>}
        <ChatComposer
          id="composer-input"
          label={`Message ${model.entity_name}`}
          placeholder={`Message ${model.entity_name}…`}
          sending={chat.sending}
          onSend={(text) => void chat.send(text)}
        >
          <button
            type="button"
            className={`button icon voice-toggle${voice.on ? " voice-on" : ""}`}
            aria-pressed={voice.on}
            onClick={() => (voice.on ? (voice.stop(), speech.stop()) : voice.start())}
          >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
              <rect x="9" y="3" width="6" height="11" rx="3" />
              <path d="M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8" />
            </svg>
            <span className="visually-hidden">Voice conversation</span>
          </button>
        </ChatComposer>
      </section>
    </div>
  );
}
