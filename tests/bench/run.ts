/**
 * `npm run bench`: starts a throwaway local stack and measures against baselines taken in the same
 * run (the machine is shared and noisy, so only ratios are reported as results).
 */
import { benchChatEndpoint } from "./chat-endpoint.ts";
import { benchChatStatsContention } from "./chat-stats-contention.ts";
import { startEphemeralStack } from "./ephemeral-stack.ts";
import { benchReadScale } from "./read-scale.ts";

const stack = await startEphemeralStack();
try {
  console.log("== Hot model: 64 concurrent chat writers, one model vs 64 models ==");
  for (const line of await benchChatStatsContention(stack.databaseUrl)) console.log(line);
  console.log("== The chat endpoint against the simulator ==");
  for (const line of await benchChatEndpoint(stack)) console.log(line);
  console.log("== Lists at scale: 100k models, 1M chats ==");
  for (const line of await benchReadScale(stack)) console.log(line);
} finally {
  await stack.stop();
}
