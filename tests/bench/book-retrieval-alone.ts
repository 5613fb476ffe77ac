/**
 * The retrieval benchmark alone, on its own throwaway stack (`npm run bench:books`): the part of
 * `npm run bench` that seeds 10M passages, for a run bounded to it.
 */
import { benchBookRetrieval } from "./book-retrieval.ts";
import { startEphemeralStack } from "./ephemeral-stack.ts";
import { BenchReport } from "./report.ts";

const report = new BenchReport();
const stack = await startEphemeralStack();
try {
  for (const line of await benchBookRetrieval(stack, report)) console.log(line);
} finally {
  await stack.stop();
}
console.log(`\n${report.table()}`);
