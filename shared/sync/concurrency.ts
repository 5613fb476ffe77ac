/**
 * Runs `work` over `items` with at most `limit` in flight, in order of the items. Once `stop()`
 * answers true no further item starts, and `skipped` receives the ones left over. `work` must not
 * throw: a failure of one item is that item's business, never the batch's.
 */
export async function forEachWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  options: { stop?: () => boolean; skipped?: (item: T) => void } = {},
): Promise<void> {
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const item = items[next++];
      if (options.stop?.()) {
        options.skipped?.(item);
        continue;
      }
      await work(item);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
