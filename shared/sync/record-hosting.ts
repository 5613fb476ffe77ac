import { withServiceTransaction } from "../db/client.ts";
import { log } from "../log.ts";
import { allTrainingProviders } from "../providers/registry.ts";

/** What one tick recorded for a per-minute hosting. */
export interface HostingTick {
  provider: string;
  billedModel: string;
  running: boolean;
  /** Minutes billed since the last tick (0 on the first, or while it is stopped). */
  minutes: number;
  usdPerMinute: number;
}

/**
 * Records every provider's per-minute hosting (a dedicated endpoint; its personas answer there even
 * after new models train elsewhere) in the spend ledger as kind `hosting`: the minutes since the
 * sync's last tick, when the hosting runs now, at its hardware's price
 * (`private.record_hosting_spend`). A provider that cannot be read is logged and skipped: hosting
 * spend never holds a sync run back.
 */
export async function recordHostingSpend(): Promise<HostingTick[]> {
  const ticks: HostingTick[] = [];
  for (const provider of allTrainingProviders()) {
    const name = provider.name;
    if (!provider.hostingState || !provider.isAvailable()) continue;
    try {
      const state = await provider.hostingState();
      if (!state) continue;
      const [{ minutes }] = await withServiceTransaction((tx) =>
        tx<{ minutes: string }[]>`
          select private.record_hosting_spend(${name}, ${state.billedModel}, ${state.running}, ${state.usdPerMinute}) as minutes`
      );
      ticks.push({ provider: name, billedModel: state.billedModel, running: state.running, minutes: Number(minutes), usdPerMinute: state.usdPerMinute });
    } catch (error) {
      log.warn("could not record a provider's hosting spend", { provider: name, error });
    }
  }
  return ticks;
}
