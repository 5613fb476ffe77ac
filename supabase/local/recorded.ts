/**
 * What the simulators keep for tests to inspect (request bodies, served usage): the newest
 * `RECORDED_LIMIT` entries, so `npm run dev` under hours of chat keeps a window, not every body.
 */

/** More than any test sends to one simulator between resets; a few MB of bodies at most. */
export const RECORDED_LIMIT = 1_000;

/** Appends `entry` to a record, dropping the oldest entries past `limit`. */
export function record<T>(list: T[], entry: T, limit = RECORDED_LIMIT): void {
  list.push(entry);
  if (list.length > limit) list.splice(0, list.length - limit);
}
