import type { ChatProvider } from "./chat-provider.ts";

/**
 * Every provider this build can chat with, by name, loaded on first use: a request loads only the
 * SDK of the provider it talks to. A new provider is a folder implementing `ChatProvider` plus one
 * line here.
 */
const LOADERS = {
  openai: async () => (await import("./openai/chat-provider.ts")).openAIChatProvider,
  anthropic: async () => (await import("./anthropic/chat-provider.ts")).anthropicChatProvider,
  together: async () => (await import("./together/chat-provider.ts")).togetherChatProvider,
  compatible: async () => (await import("./compatible/chat-provider.ts")).compatibleChatProvider,
} satisfies Record<string, () => Promise<ChatProvider>>;

/** The name of a chat provider this build knows. */
export type ChatProviderName = keyof typeof LOADERS;

/** True when `name` (e.g. a model's stored `provider`) is a chat provider this build knows. */
export function isChatProviderName(name: string): name is ChatProviderName {
  return Object.hasOwn(LOADERS, name);
}

/** The chat provider by name; an unknown name is a configuration error. */
export async function chatProvider(name: string): Promise<ChatProvider> {
  if (!isChatProviderName(name)) throw new Error(`Unknown chat provider: ${name}`);
  return await LOADERS[name]();
}
