/**
 * The Storyvoice client: every endpoint typed from openapi.json (`sdk/openapi.ts` is generated
 * from it with `npm run sdk:types`), fetch only.
 */
export * from "./client.ts";
export type * from "./reader.ts";
export { StoryvoiceError, type FieldIssue } from "./errors.ts";
export type { ChatStreamEvent } from "./chat-stream.ts";
export type { components, operations, paths } from "./openapi.ts";
