import type { ConversationList, ModelList } from "../../sdk/index.ts";
import type { TypedCall } from "../../sdk/paths.ts";

// Type-only checks of the SDK's typing by path (`npm run check:sdk`): each `@ts-expect-error`
// marks a pairing that must not compile; if the typing loosened, the directive itself fails.
declare const call: TypedCall;

export const rightAnswer: Promise<ModelList> = call("get", "/fine-tune-models", { query: { limit: 5 } });

// @ts-expect-error the models list does not answer a conversation list
export const wrongAnswer: Promise<ConversationList> = call("get", "/fine-tune-models");

// @ts-expect-error fine-tune-models is read, never posted to
export const wrongMethod = call("post", "/fine-tune-models");

// @ts-expect-error a path with {modelId} needs its params
export const missingParams = call("get", "/fine-tune-conversations/{modelId}");

// @ts-expect-error the rating path names a chatId, not a modelId
export const wrongParams = call("put", "/fine-tune-chat-rating/{chatId}", { params: { modelId: "x" }, body: { rating: "up" } });

// @ts-expect-error a rating is "up", "down" or null
export const wrongBody = call("put", "/fine-tune-chat-rating/{chatId}", { params: { chatId: "x" }, body: { rating: "great" } });

// @ts-expect-error an unknown path
export const unknownPath = call("get", "/fine-tune-nothing");
