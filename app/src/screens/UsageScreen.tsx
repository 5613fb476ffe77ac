import type { Usage } from "../../../sdk/index.ts";
import { ReaderUsageChart } from "../components/ReaderUsageChart.tsx";
import { useUsage } from "../hooks/useUsage.ts";
import { usd } from "../format.ts";
import { hrefFor } from "../router.ts";

type QuotaUse = Usage["quotas"]["modelsPerDay"];

/** One quota as a meter: what is used of what the plan allows. */
function QuotaMeter({ id, label, use, note }: { id: string; label: string; use: QuotaUse; note: string }) {
  const full = use.used >= use.limit;
  return (
    <li className="quota">
      <div className="quota-top">
        <label htmlFor={id} className="quota-label">{label}</label>
        <span className="quota-figure">{use.used} of {use.limit}</span>
      </div>
      <meter id={id} min={0} max={Math.max(1, use.limit)} value={use.used} low={use.limit * 0.7} high={use.limit * 0.9} optimum={0} />
      <p className={full ? "quota-note quota-full" : "quota-note"}>{full ? `Limit reached. ${note}` : note}</p>
    </li>
  );
}

const resetTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** The reader's usage page: their plan, a meter per quota, and their last 30 days as a chart and a table. */
export default function UsageScreen() {
  const { usage, error, loading, refresh } = useUsage();

  if (!usage) {
    return (
      <section aria-labelledby="usage-title" className="narrow">
        <a className="back-link" href={hrefFor.models}>← AI Models</a>
        <h1 id="usage-title">Usage</h1>
        {error
          ? (
            <div className="state-message" role="alert">
              <p>Your usage could not be loaded: {error.message}</p>
              <button type="button" className="button" onClick={() => void refresh()}>Try again</button>
            </div>
          )
          : <p className="state-message" role="status">{loading ? "Loading your usage…" : ""}</p>}
      </section>
    );
  }

  const { quotas, days } = usage;
  const resets = resetTime(usage.resetAt);
  const totals = days.reduce(
    (sum, day) => ({ chats: sum.chats + day.chats, models: sum.models + day.models, spendUsd: sum.spendUsd + day.spendUsd }),
    { chats: 0, models: 0, spendUsd: 0 },
  );
  const summary = `Your last ${days.length} days: ${plural(totals.chats, "chat message")} and ${plural(totals.models, "model")} created, ` +
    `about ${usd(totals.spendUsd)} of AI spend.`;

  return (
    <section aria-labelledby="usage-title" className="usage">
      <a className="back-link" href={hrefFor.models}>← AI Models</a>
      <div className="screen-title-row">
        <h1 id="usage-title">Usage</h1>
        <button type="button" className="button ghost small" onClick={() => void refresh()} disabled={loading}>
          {loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted" aria-live="polite">
        Plan: <strong>{usage.plan.name}</strong>. Daily limits reset at {resets}.
      </p>

      <div className="usage-grid">
        <section aria-labelledby="quotas-title" className="card usage-card">
          <h2 id="quotas-title">Today</h2>
          <ul className="quota-list">
            <QuotaMeter id="quota-models" label="Models created today" use={quotas.modelsPerDay} note={`Resets ${resets}.`} />
            <QuotaMeter
              id="quota-trainings"
              label="Trainings in flight"
              use={quotas.trainingsInFlight}
              note="Started now; more wait in the training queue and start as each one finishes."
            />
            <QuotaMeter id="quota-chats" label="Chat messages today" use={quotas.chatMessagesPerDay} note={`Resets ${resets}.`} />
          </ul>
          <p className="hint">Each training uses up to {quotas.maxExamples} examples, your own first.</p>
          <p className="hint">AI spend today: about {usd(usage.spendTodayUsd)} (estimated from provider prices).</p>
        </section>

        <section aria-labelledby="history-title" className="card usage-card">
          <h2 id="history-title">Last {days.length} days</h2>
          <figure className="usage-figure">
            <ReaderUsageChart days={days} label={summary} />
            <figcaption className="hint">{summary} Days are UTC.</figcaption>
          </figure>
          <details className="usage-table">
            <summary>Show the numbers</summary>
            <table>
              <caption className="visually-hidden">Chat messages, models created and AI spend per UTC day</caption>
              <thead>
                <tr><th scope="col">Day</th><th scope="col">Chat messages</th><th scope="col">Models created</th><th scope="col">AI spend</th></tr>
              </thead>
              <tbody>
                {[...days].reverse().map((day) => (
                  <tr key={day.day}><th scope="row">{shortDay(day.day)}</th><td>{day.chats}</td><td>{day.models}</td><td>{usd(day.spendUsd)}</td></tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
      </div>
    </section>
  );
}
