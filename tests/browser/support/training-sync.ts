import { adminSql, serviceKey, stack } from "../../support/stack.ts";

/**
 * What pg_cron does every minute, now, for one reader's models: the sync moves their training jobs
 * along. A job's first check is due 30 s after it started, as in production; the simulator's jobs
 * take 3 s, so the reader's runs are made due at once, as the end-to-end suites do.
 */
export async function runTrainingSyncFor(email: string) {
  await adminSql()`
    update public.training_runs set next_check_at = now()
    where status in ('pending', 'training') and next_check_at > now()
      and model_id in (select m.id from private.fine_tuned_models m join auth.users u on u.id = m.created_by where u.email = ${email})`;
  await fetch(`${stack().functionsUrl}/training-sync`, { method: "POST", headers: { apikey: serviceKey } }).then((r) => r.text());
}
