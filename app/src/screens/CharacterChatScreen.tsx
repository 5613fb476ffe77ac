import { useEffect, useRef, useState } from "react";
import { StoryvoiceError } from "../../../sdk/index.ts";
import { BannerFold } from "../components/BannerFold.tsx";
import { BookTextPanel } from "../components/BookTextPanel.tsx";
import { CardExport } from "../components/CardExport.tsx";
import { ChatComposer } from "../components/ChatComposer.tsx";
import { ChatHeader } from "../components/ChatHeader.tsx";
import { ChatProblemNotice } from "../components/ChatProblemNotice.tsx";
import { ConversationList } from "../components/ConversationList.tsx";
import { AvatarContent } from "../components/AvatarContent.tsx";
import { MemoriesPanel } from "../components/MemoriesPanel.tsx";
import { MessageBubble } from "../components/MessageBubble.tsx";
import { ReplyAudio } from "../components/ReplyAudio.tsx";
import { ReplyMemoryTools } from "../components/ReplyMemoryTools.tsx";
import { WhoIAmPicker } from "../components/WhoIAmPicker.tsx";
import { useMemories } from "../hooks/useMemories.ts";
import { ModelMenu, ModelMenuButton } from "../components/ModelMenu.tsx";
import { OwnerControls } from "../components/OwnerControls.tsx";
import { ReplyActions } from "../components/ReplyActions.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { StopSpeaking } from "../components/StopSpeaking.tsx";
import { TrainingBanner } from "../components/TrainingBanner.tsx";
import { TranscriptExport } from "../components/TranscriptExport.tsx";
import { TranscriptImport } from "../components/TranscriptImport.tsx";
import { bookTitle } from "../format.ts";
import { type ChatMessage, useChat } from "../hooks/useChat.ts";
import { useConversationAddress } from "../hooks/useConversationAddress.ts";
import { useModelStatus } from "../hooks/useModelStatus.ts";
import { useOverlay } from "../hooks/useOverlay.ts";
import { useReplyActions } from "../hooks/useReplyActions.ts";
import { useReplySpeech } from "../hooks/useReplySpeech.ts";
import { useVoiceChat } from "../hooks/useVoiceChat.ts";
import { useTranscripts } from "../hooks/useTranscripts.ts";
import { hrefFor } from "../router.ts";

/** Chat with one model: streaming replies, its training banner, earlier conversations. */
export function CharacterChatScreen({ modelId, userId, conversationId }: { modelId: string; userId: string; conversationId?: string }) {
  const { status, error, setModel } = useModelStatus(modelId);
  const [readerPersonaId, setReaderPersonaId] = useState<string | null | undefined>(undefined);
  const chat = useChat(modelId, readerPersonaId);
  const memory = useMemories(modelId);
  const replies = useReplyActions(chat);
  const transcripts = useTranscripts();
  const history = useOverlay();
  const menu = useOverlay();
  const address = useConversationAddress(chat, conversationId, (id) => hrefFor.chat(modelId, id));
  const end = useRef<HTMLDivElement>(null);
  const { options: speechOptions, speech, speechFor } = useReplySpeech(modelId);
  const voice = useVoiceChat({ modelId, ...chat, speechOptions, audioRef: speech.audioRef });

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [chat.messages]);

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
  const openingText = chat.opening ?? model.greeting;
  const greeting: ChatMessage | null = openingText ? { id: "greeting", role: "assistant", text: openingText } : null;

  return (
    <div className={`chat-layout${history.open ? " history-open" : ""}`}>
      <ConversationList
        conversations={chat.history}
        loading={chat.historyLoading}
        current={chat.conversationId}
        open={history.open}
        onClose={() => history.close()}
        onOpen={(conversation) => history.close(() => chat.open(conversation))}
        onNew={() => history.close(chat.startNew)}
        tools={(
          <TranscriptImport
            busy={transcripts.importing}
            errors={transcripts.importErrors}
            onFile={async (file) => {
              const imported = await transcripts.importFile(modelId, file);
              if (imported) history.close(() => void chat.openById(imported));
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
        onRename={(conversation, title) => chat.rename(conversation.conversationId, title)}
      />
      <section className="chat" aria-labelledby="chat-title">
        <ChatHeader
          titleId="chat-title"
          title={model.entity_name}
          subtitle={bookTitle(model.book_info, model.book_id)}
          avatar={<AvatarContent model={model} />}
          showHistory={history.open}
          onToggleHistory={history.toggle}
          end={<ModelMenuButton overlay={menu} />}
        >
          <StatusBadge status={model.status} chatMode={model.chat_mode} />
          <a className="button ghost small read-along" href={hrefFor.read(model.id, chat.conversationId)} aria-label="Read along">
            <svg className="read-along-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
              <path d="M12 6c-2-1.5-5-2-8-1.5v13c3-.5 6 0 8 1.5 2-1.5 5-2 8-1.5v-13c-3-.5-6 0-8 1.5zM12 6v13" />
            </svg>
            <span className="read-along-label">Read along</span>
          </a>
        </ChatHeader>
        <BannerFold id={model.id} state={status.status} read={chat.messages.length > 0}>
          <TrainingBanner status={status} />
        </BannerFold>
        <ModelMenu overlay={menu} name={model.entity_name}>
          {model.created_by === userId && <OwnerControls model={model} onChange={setModel} voices={speechOptions} />}
          {model.created_by === userId && <a className="button ghost small" href={hrefFor.examples(model.id)}>Training examples</a>}
          <CardExport model={model} />
          <MemoriesPanel memory={memory} />
          <WhoIAmPicker bookId={model.book_id} modelId={model.id} chosen={readerPersonaId} onChoose={setReaderPersonaId} />
          {model.created_by === userId && (
            <BookTextPanel bookId={model.book_id} title={bookTitle(model.book_info, model.book_id)} />
          )}
        </ModelMenu>
        {chat.ratingError && <p className="form-error chat-notice" role="alert">{chat.ratingError}</p>}
        {address.lost && <p className="state-message chat-notice" role="status">That conversation was not found; this is a new one.</p>}
        <ReplyAudio speech={speech} />

        <div className="messages" role="log" aria-label="Messages" aria-live="polite" tabIndex={0}>
          {greeting && <MessageBubble message={greeting} speaker={model.entity_name} speech={speechFor(greeting)} />}
          {chat.messages.length === 0 && !address.restoring && (
            <div className="starters">
              {(model.starter_prompts ?? []).length > 0
                ? (
                  <>
                    <p className="muted">Start a conversation with {model.entity_name}:</p>
                    <ul>
                      {(model.starter_prompts ?? []).map((prompt) => (
                        <li key={prompt}>
                          <button type="button" className="starter" onClick={() => void chat.send(prompt)}>{prompt}</button>
                        </li>
                      ))}
                    </ul>
                  </>
                )
                : <EmptyChat name={model.entity_name} kind={model.type} />}
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
              tools={message.role === "assistant" && message.chatId && (
                <ReplyMemoryTools
                  used={message.memoriesUsed}
                  pinned={memory.memories.some((item) => item.sourceChatId === message.chatId)}
                  onPin={() => void memory.pin({ chatId: message.chatId! })}
                />
              )}
              onRetry={message.unsent ? chat.retry : undefined}
              actions={message.chatId && <ReplyActions message={message} messages={chat.messages} replies={replies} disabled={chat.sending} />}
            />
          ))}
          {chat.messages.at(-1)?.stopped && <p className="muted stopped-note">You stopped this reply.</p>}
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
        {voice.error && <p className="voice-notice" role="alert">{voice.error}</p>}
        {voice.speaking && <StopSpeaking onStop={voice.interrupt} />}
        <ChatComposer
          id="composer-input"
          label={`Message ${model.entity_name}`}
          placeholder="Message…"
          sending={chat.sending}
          blocked={address.restoring}
          onSend={(text) => void chat.send(text)}
          onStop={chat.stop}
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

/** A new model's empty chat: what to say first, when it has no starter prompts of its own. */
function EmptyChat({ name, kind }: { name: string; kind: "author" | "character" }) {
  return (
    <div className="empty-chat">
      <p className="empty-title">Say hello to {name}</p>
      <p className="muted">
        {kind === "author"
          ? `Ask ${name} how a book began, about a character, or what they were reading while writing it.`
          : `Ask ${name} about their life in the story, someone they know, or what they would do next.`}
      </p>
    </div>
  );
}
