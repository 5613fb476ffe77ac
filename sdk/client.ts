import type { components, operations } from "./openapi.ts";
import { readChatStream, type ChatStreamEvent } from "./chat-stream.ts";
import { readerMethods } from "./reader.ts";
import { errorFromResponse, StoryvoiceError } from "./errors.ts";
import { type JsonBody, pathUrl, type QueryOf as Query, type SuccessJson, type TypedCall } from "./paths.ts";

type Schemas = components["schemas"];

/** A model: its row of `public.fine_tuned_models` as the Data API shows it to the caller. */
export type Model = Schemas["Model"];
export type ModelType = Model["type"];
export type ModelStatusName = Model["status"];
export type ModelList = Schemas["ModelList"];
export type ModelStatus = Schemas["ModelStatus"];
export type CreatedModel = Schemas["CreatedModel"];
export type QuickCreatedModel = Schemas["QuickCreatedModel"];
export type ChatReply = Schemas["ChatReply"];
export type Conversation = Schemas["Conversation"];
export type ChatExchange = Schemas["ChatExchange"];
export type ConversationList = Schemas["ConversationList"];
export type CreateAuthorInput = JsonBody<operations["fineTuneAuthor"]>;
export type CreateCharacterInput = JsonBody<operations["fineTuneCharacter"]>;
export type CreateQuickInput = JsonBody<operations["fineTuneQuick"]>;
export type ChatInput = Omit<JsonBody<operations["fineTuneChat"]>, "stream">;
export type ListModelsQuery = Query<operations["fineTuneModels"]>;
export type ListConversationsQuery = Query<operations["getFineTuneConversations"]>;
export type ConversationTitle = Schemas["ConversationTitle"];
export type TrainingExampleList = Schemas["TrainingExampleList"];
export type TrainingExample = Schemas["TrainingExample"];
export type AddExamplesInput = JsonBody<operations["postFineTuneExamples"]>;
export type EditExampleInput = JsonBody<operations["patchFineTuneExamples"]>;
export type RetrainInput = JsonBody<operations["fineTuneRetrain"]>;
export type GroupChatInput = Omit<JsonBody<operations["fineTuneGroupChat"]>, "stream">;
export type GroupChatReply = Schemas["GroupChatReply"];
export type ListGroupConversationsQuery = Query<operations["fineTuneGroupConversations"]>;
export type TranscriptFormat = NonNullable<Query<operations["getFineTuneTranscript"]>["format"]>;
export type ImportedTranscript = Schemas["ImportedTranscript"];
export type UsageAnalytics = Schemas["UsageAnalytics"];
export type RatingInput = JsonBody<operations["fineTuneChatRating"]>;
export type CardImportInput = JsonBody<operations["fineTuneCardImport"]>;
export type CreateCastInput = JsonBody<operations["postFineTuneCast"]>;
export type CastCreated = Schemas["CastCreated"];
export type CastBatch = Schemas["CastBatch"];
export type CastMember = Schemas["CastMember"];
export type ChatSharing = Schemas["ChatSharing"];
export type SpeechOptions = Schemas["SpeechOptions"];
export type SpeakInput = JsonBody<operations["postFineTuneSpeech"]>;
export type Usage = Schemas["Usage"];
export type UsageDay = Schemas["UsageDay"];
export type UsageQuery = Query<operations["fineTuneUsage"]>;
export type Book = Schemas["Book"];
export type BookDetail = Schemas["BookDetail"];
export type Citation = Schemas["Citation"];
export type ReadingPosition = Schemas["ReadingPosition"];
export type ReadingProgress = Schemas["ReadingProgress"];
export type UploadBookInput = JsonBody<operations["putFineTuneBook"]>;
export type ModelDeleted = Schemas["ModelDeleted"];
export type GroupConversations = SuccessJson<operations["fineTuneGroupConversations"]>;
export type ChatRated = SuccessJson<operations["fineTuneChatRating"]>;
/** 202 of a card import: the created model (the endpoint's 200 is the preview). */
export type CardImported = Schemas["CreatedModel"];
export type CardPreview = Schemas["CardPreview"];
export type CardPreviewInput = Pick<CardImportInput, "card" | "png" | "type" | "bookId" | "bookInfo">;
export type NewReplyInput = JsonBody<operations["postFineTuneChatAlternatives"]>;
export type NewReply = Schemas["NewReply"];
export type ChatAlternative = Schemas["ChatAlternative"];
export type ChatAlternativeList = Schemas["ChatAlternativeList"];
export type ChatAlternativeChosen = Schemas["ChatAlternativeChosen"];
export type ConversationRewound = Schemas["ConversationRewound"];
export type CardExport = SuccessJson<operations["fineTuneCard"]>;

/** Anything that can hand out the current access token: a supabase-js client or a function. */
export type TokenSource =
  | { auth: { getSession(): Promise<{ data: { session: { access_token: string } | null } }> } }
  | (() => string | null | undefined | Promise<string | null | undefined>);

export interface StoryvoiceClientOptions {
  /** The project URL (`https://<ref>.supabase.co`, locally `http://127.0.0.1:54321`). */
  url: string;
  /** The publishable (anon) key, sent as `apikey` (the Data API needs it; functions accept it). */
  key?: string;
  /** Where the signed-in user's access token comes from. */
  auth?: TokenSource;
  /** Another fetch (tests, React Native polyfills); the global one by default. */
  fetch?: typeof fetch;
}

export type StoryvoiceClient = ReturnType<typeof createStoryvoiceClient>;

/**
 * The typed client of every Storyvoice endpoint, over fetch only (browsers, Node, Deno, React
 * Native). Every method resolves with the documented body or throws a StoryvoiceError.
 */
export function createStoryvoiceClient(options: StoryvoiceClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  const functionsUrl = `${base}/functions/v1`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function token(): Promise<string | undefined> {
    const source = options.auth;
    if (!source) return undefined;
    if (typeof source === "function") return (await source()) ?? undefined;
    const { data } = await source.auth.getSession();
    return data.session?.access_token;
  }

  async function send(
    url: string,
    init: { method: string; body?: unknown; accept?: string; signal?: AbortSignal; headers?: Record<string, string> },
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: init.accept ?? "application/json", ...init.headers };
    const bearer = await token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.key) headers.apikey = options.key;
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(url, {
        method: init.method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new StoryvoiceError({
        status: 0,
        code: "network_error",
        message: "The server could not be reached.",
        retryable: true,
      });
    }
    if (!response.ok) {
      throw errorFromResponse(response.status, await response.text(), response.headers.get("x-request-id") ?? undefined);
    }
    return response;
  }

  /** One JSON request, typed by its path and method from the generated `paths`. */
  const call: TypedCall = async (method, path, ...[parts]) => {
    const url = pathUrl(functionsUrl, path, parts?.params as Record<string, string> | undefined, parts?.query as Record<string, unknown> | undefined);
    const response = await send(url.href, { method: method.toUpperCase(), body: parts?.body, signal: parts?.signal });
    return await response.json();
  };

  const id = (value: string) => encodeURIComponent(value);

  /**
   * Words (`{ text }`) or one of your replies (`{ chatId }`) read aloud in the persona's voice,
   * as a stream of audio bytes as the server makes them (`format`: `mp3`, default, or `wav`).
   */
  async function speakStream(modelId: string, input: SpeakInput, signal?: AbortSignal) {
    const response = await send(pathUrl(functionsUrl, "/fine-tune-speech/{modelId}", { modelId }).href, {
      method: "POST",
      body: input,
      accept: input.format === "wav" ? "audio/wav" : "audio/mpeg",
      signal,
    });
    if (!response.body) throw new StoryvoiceError({ status: 200, code: "unexpected_response", message: "No audio." });
    return {
      stream: response.body,
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      voice: response.headers.get("x-speech-voice"),
    };
  }

  return {
    ...readerMethods(call),
    /** Your models and the public ones, newest first; pass `nextCursor` back for the next page. */
    listModels: (query: ListModelsQuery = {}, signal?: AbortSignal): Promise<ModelList> =>
      call("get", "/fine-tune-models", { query, signal }),
    /** A model's status, row and (for its owner) the training job's progress. */
    getStatus: (modelId: string, signal?: AbortSignal): Promise<ModelStatus> =>
      call("get", "/fine-tune-status/{modelId}", { params: { modelId }, signal }),
    /** Your usage against your plan: models today, trainings in flight, chat messages today, the last 30 UTC days. */
    getUsage: (query: UsageQuery = {}, signal?: AbortSignal): Promise<Usage> => call("get", "/fine-tune-usage", { query, signal }),
    createAuthor: (input: CreateAuthorInput): Promise<CreatedModel> => call("post", "/fine-tune-author", { body: input }),
    createCharacter: (input: CreateCharacterInput): Promise<CreatedModel> => call("post", "/fine-tune-character", { body: input }),
    createQuick: (input: CreateQuickInput): Promise<QuickCreatedModel> => call("post", "/fine-tune-quick", { body: input }),
    /** Owner only: cancels training, deletes the provider's model and the chats. */
    deleteModel: (modelId: string): Promise<ModelDeleted> =>
      call("delete", "/fine-tune-delete/{modelId}", { params: { modelId } }),
    /** One exchange, answered once it is stored. */
    chat: (modelId: string, input: ChatInput, signal?: AbortSignal): Promise<ChatReply> =>
      call("post", "/fine-tune-chat/{modelId}", { params: { modelId }, body: { ...input, stream: false }, signal }),
    /**
     * One exchange, streamed: `delta` events as the model writes, then `done` with the totals once
     * it is stored. Abort the signal (or stop iterating) to stop it; nothing half-written is kept.
     */
    async *chatStream(modelId: string, input: ChatInput, signal?: AbortSignal): AsyncGenerator<ChatStreamEvent> {
      const response = await send(pathUrl(functionsUrl, "/fine-tune-chat/{modelId}", { modelId }).href, {
        method: "POST",
        body: { ...input, stream: true },
        accept: "text/event-stream",
        signal,
      });
      if (!response.body) throw new StoryvoiceError({ status: 200, code: "unexpected_response", message: "No stream." });
      yield* readChatStream(response.body, signal);
    },
    /** Your conversations with a model, newest first. */
    listConversations: (modelId: string, query: ListConversationsQuery = {}, signal?: AbortSignal): Promise<ConversationList> =>
      call("get", "/fine-tune-conversations/{modelId}", { params: { modelId }, query, signal }),
    /** Names (or renames) one of your conversations with a model; only you see the name. */
    nameConversation: (modelId: string, conversationId: string, title: string): Promise<ConversationTitle> =>
      call("put", "/fine-tune-conversations/{modelId}", { params: { modelId }, body: { conversationId, title } }),
    /** Owner only: a model's training examples, in training-file order. */
    listExamples: (modelId: string, signal?: AbortSignal): Promise<TrainingExampleList> =>
      call("get", "/fine-tune-examples/{modelId}", { params: { modelId }, signal }),
    /** Owner only: adds one example (`{ topic?, messages }`) or imports OpenAI chat JSONL (`{ jsonl }`). */
    addExamples: (modelId: string, input: AddExamplesInput): Promise<Schemas["TrainingExamplesAdded"]> =>
      call("post", "/fine-tune-examples/{modelId}", { params: { modelId }, body: input }),
    editExample: (modelId: string, exampleId: string, input: EditExampleInput): Promise<Schemas["TrainingExampleEdited"]> =>
      call("patch", "/fine-tune-examples/{modelId}/{exampleId}", { params: { modelId, exampleId }, body: input }),
    deleteExample: (modelId: string, exampleId: string): Promise<Schemas["TrainingExampleDeleted"]> =>
      call("delete", "/fine-tune-examples/{modelId}/{exampleId}", { params: { modelId, exampleId } }),
    /** Owner only: a new training run from the stored examples; chat stays on the current fine-tune meanwhile. */
    retrain: (modelId: string, input: RetrainInput = {}): Promise<Schemas["RetrainStarted"]> =>
      call("post", "/fine-tune-retrain/{modelId}", { params: { modelId }, body: input }),
    /** One round of a group chat: the personas answer in turn, every reply stored before this resolves. */
    groupChat: (input: GroupChatInput, signal?: AbortSignal): Promise<GroupChatReply> =>
      call("post", "/fine-tune-group-chat", { body: { ...input, stream: false }, signal }),
    /** Your group conversations, newest first, or one of them (`{ conversationId }`) with its messages. */
    listGroupConversations: (query: ListGroupConversationsQuery = {}, signal?: AbortSignal): Promise<GroupConversations> =>
      call("get", "/fine-tune-group-conversations", { query, signal }),
    /**
     * A conversation (one-to-one or group) as a transcript file's text: JSON lines (`jsonl`, what
     * `importTranscript` takes back), plain text or Markdown. With `{ modelId }` instead of an id:
     * every one-to-one conversation with that model (for JSON lines, see `exportModelChats`).
     */
    async exportTranscript(
      of: { conversationId: string } | { modelId: string },
      format: TranscriptFormat = "jsonl",
      signal?: AbortSignal,
    ): Promise<string> {
      if (!("conversationId" in of) && format === "jsonl") {
        throw new TypeError("A model's chats as JSON lines are a zip of one file per conversation: use exportModelChats.");
      }
      const url = "conversationId" in of
        ? pathUrl(functionsUrl, "/fine-tune-transcript/{conversationId}", { conversationId: of.conversationId }, { format })
        : pathUrl(functionsUrl, "/fine-tune-transcript", {}, { modelId: of.modelId, format });
      const response = await send(url.href, { method: "GET", accept: "*/*", signal });
      return await response.text();
    },
    /** Every one-to-one conversation with a model as a zip of JSON-lines files, one chat per file. */
    async exportModelChats(modelId: string, signal?: AbortSignal): Promise<Blob> {
      const url = pathUrl(functionsUrl, "/fine-tune-transcript", {}, { modelId, format: "jsonl" });
      const response = await send(url.href, { method: "GET", accept: "application/zip", signal });
      return await response.blob();
    },
    /** Imports a JSON-lines transcript as a new conversation with a model. */
    importTranscript: (modelId: string, transcript: string): Promise<ImportedTranscript> =>
      call("post", "/fine-tune-transcript", { body: { modelId, transcript } }),
    /** Rates one of your own exchanges (`chatId` from a reply or `listConversations`): up, down, or null to clear. */
    rateExchange: (chatId: string, rating: RatingInput["rating"]): Promise<ChatRated> =>
      call("put", "/fine-tune-chat-rating/{chatId}", { params: { chatId }, body: { rating } }),
    /**
     * Answers the last exchange of your conversation again, costing one chat turn: `regenerate`
     * (optional `hint`), `edit` (your new `message`) or `continue` (a cut-off reply). The new reply
     * is kept beside the earlier ones and chosen.
     */
    answerAgain: (chatId: string, input: NewReplyInput, signal?: AbortSignal): Promise<NewReply> =>
      call("post", "/fine-tune-chat-alternatives/{chatId}", { params: { chatId }, body: input, signal }),
    /** Every reply your exchange was given, in order, the chosen one marked (empty while it has one). */
    listAlternatives: (chatId: string, signal?: AbortSignal): Promise<ChatAlternativeList> =>
      call("get", "/fine-tune-chat-alternatives/{chatId}", { params: { chatId }, signal }),
    /** Chooses one reply of your conversation's last exchange: the conversation continues from it. */
    chooseAlternative: (chatId: string, alternativeId: string): Promise<ChatAlternativeChosen> =>
      call("put", "/fine-tune-chat-alternatives/{chatId}", { params: { chatId }, body: { alternativeId } }),
    /** Deletes your exchange and every later one of its conversation (spend and quota turns stay). */
    rewindConversation: (chatId: string): Promise<ConversationRewound> =>
      call("delete", "/fine-tune-chat-rewind/{chatId}", { params: { chatId } }),
    /** Admins only (app_metadata.role = "admin", or the service role): usage, spend and training analytics. */
    getAnalytics: (signal?: AbortSignal): Promise<UsageAnalytics> => call("get", "/fine-tune-analytics", { signal }),
    /**
     * A book you may read (your own upload of the book id, else a public one): title, chapters,
     * your place in it, and with `chapter` that chapter's passages in order.
     */
    getBook: (bookId: string, chapter?: number, signal?: AbortSignal): Promise<BookDetail> =>
      call("get", "/fine-tune-book/{bookId}", { params: { bookId }, query: { chapter }, signal }),
    /**
     * Uploads your text of a book (`{ text }` plain or Markdown, or `{ epub }` base64), replacing
     * your earlier upload of the book id.
     */
    uploadBook: (bookId: string, input: UploadBookInput): Promise<Schemas["BookStored"]> =>
      call("put", "/fine-tune-book/{bookId}", { params: { bookId }, body: input }),
    /** Records where you are in a book: chat with its personas draws only on passages up to there. */
    setReadingProgress: (bookId: string, position: ReadingPosition): Promise<ReadingProgress> =>
      call("put", "/fine-tune-reading-progress/{bookId}", { params: { bookId }, body: position }),
    /** Creates a model from a Character Card (V2/V3 JSON as `card`, or a PNG card as base64 `png`). */
    importCard: async (input: Omit<CardImportInput, "preview">): Promise<CardImported> =>
      (await call("post", "/fine-tune-card-import", { body: { ...input, preview: false } })) as CardImported,
    /** What a card would create (name, greeting, description, default book), writing nothing. */
    previewCard: async (input: CardPreviewInput): Promise<CardPreview> =>
      (await call("post", "/fine-tune-card-import", { body: { ...input, preview: true } })) as CardPreview,
    /** A model as a V3 Character Card (JSON). */
    exportCard: (modelId: string, signal?: AbortSignal): Promise<CardExport> =>
      call("get", "/fine-tune-card/{modelId}", { params: { modelId }, query: { format: "json" }, signal }),
    /**
     * The picture a model's card was imported with (its avatar), as a Blob; null when it has none.
     * The answer may be served from the browser's cache for a day.
     */
    async cardPicture(modelId: string, signal?: AbortSignal): Promise<Blob | null> {
      const url = pathUrl(functionsUrl, "/fine-tune-card/{modelId}", { modelId }, { format: "picture" });
      try {
        const response = await send(url.href, { method: "GET", accept: "image/png", signal });
        return await response.blob();
      } catch (error) {
        if (error instanceof StoryvoiceError && error.status === 404) return null;
        throw error;
      }
    },
    /** A model as a PNG Character Card (the card in its `ccv3` chunk), as bytes. */
    async exportCardPng(modelId: string, signal?: AbortSignal): Promise<Uint8Array> {
      const url = pathUrl(functionsUrl, "/fine-tune-card/{modelId}", { modelId }, { format: "png" });
      const response = await send(url.href, { method: "GET", accept: "image/png", signal });
      return new Uint8Array(await response.arrayBuffer());
    },
    /** The voices a persona may speak in, and whether this deployment can speak at all. */
    speechOptions: (signal?: AbortSignal): Promise<SpeechOptions> => call("get", "/fine-tune-speech", { signal }),
    /** Words or a reply read aloud, as the audio streams in: `{ stream, contentType, voice }`. */
    speakStream,
    /** The same audio, whole, as a Blob (for an `<audio>` element's object URL). */
    async speak(modelId: string, input: SpeakInput, signal?: AbortSignal): Promise<Blob> {
      const { stream, contentType } = await speakStream(modelId, input, signal);
      return new Blob([await new Response(stream).arrayBuffer()], { type: contentType });
    },
    /**
     * Owner only: the voice replies are read aloud in (one of `speechOptions().voices`, or null
     * for the default), through the Data API like `setVisibility`.
     */
    async setVoice(modelId: string, voice: string | null): Promise<Model> {
      const url = `${base}/rest/v1/fine_tuned_models?id=eq.${id(modelId)}&select=*`;
      const response = await send(url, {
        method: "PATCH",
        body: { voice },
        headers: { Prefer: "return=representation", Accept: "application/vnd.pgrst.object+json" },
      });
      return (await response.json()) as Model;
    },
    /**
     * A book's author and up to 20 characters at once, under one batch: each member is created like
     * a single create and reported on its own (`created`, `exists` with the live model, or `refused`).
     */
    createCast: (input: CreateCastInput): Promise<CastCreated> => call("post", "/fine-tune-cast", { body: input }),
    /** A cast batch of yours with each member's model as it is now. */
    getCast: (batchId: string, signal?: AbortSignal): Promise<Schemas["CastBatchStatus"]> =>
      call("get", "/fine-tune-cast/{batchId}", { params: { batchId }, signal }),
    /** Whether owners of public models may take your up-rated exchanges (anonymised) as examples. */
    getChatSharing: (signal?: AbortSignal): Promise<ChatSharing> => call("get", "/fine-tune-chat-sharing", { signal }),
    /** Turns sharing your up-rated exchanges with owners of public models on or off. */
    setChatSharing: (shareRatedChats: boolean): Promise<ChatSharing> =>
      call("put", "/fine-tune-chat-sharing", { body: { shareRatedChats } }),
    /**
     * Owner only: makes a model public or private, through the Data API (clients may update
     * `is_public`, `name`, `description`, `greeting` and `voice` of their own models; RLS and column grants decide).
     */
    async setVisibility(modelId: string, isPublic: boolean): Promise<Model> {
      const url = `${base}/rest/v1/fine_tuned_models?id=eq.${id(modelId)}&select=*`;
      const response = await send(url, {
        method: "PATCH",
        body: { is_public: isPublic },
        headers: { Prefer: "return=representation", Accept: "application/vnd.pgrst.object+json" },
      });
      return (await response.json()) as Model;
    },
  };
}
