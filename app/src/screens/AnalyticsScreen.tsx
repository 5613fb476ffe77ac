import { useMemo } from "react";
import type { UsageAnalytics } from "../../../sdk/index.ts";
import { type ChartSeries, UsageChart } from "../components/UsageChart.tsx";
import { useAnalytics } from "../hooks/useAnalytics.ts";
import { usd } from "../format.ts";
import { hrefFor } from "../router.ts";

const whole = (count: number) => count.toLocaleString();

function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Admins only: usage, spend and training across the deployment, with charts (loaded on first use). */
export default function AnalyticsScreen({ isAdmin }: { isAdmin: boolean }) {
  if (!isAdmin) {
    return (
      <section className="analytics" aria-labelledby="analytics-title">
        <h1 id="analytics-title">Analytics</h1>
        <p className="state-message" role="alert">Analytics are for admins only. <a href={hrefFor.models}>Back to AI Models</a></p>
      </section>
    );
  }
  return <AdminAnalytics />;
}

function AdminAnalytics() {
  const { analytics, loading, error, reload } = useAnalytics();
  return (
    <section className="analytics" aria-labelledby="analytics-title">
      <div className="screen-title-row">
        <h1 id="analytics-title">Analytics</h1>
        <button type="button" className="button ghost small" onClick={() => void reload()} disabled={loading}>Refresh</button>
      </div>
      <p className="state-message" role="status" aria-live="polite">
        {loading ? "Loading analytics…" : error ? "" : analytics ? `Figures as of ${new Date(analytics.generatedAt).toLocaleTimeString()}.` : ""}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {(error as { status?: number }).status === 403 ? "Analytics are for admins only." : "The analytics could not be loaded; try again."}
        </p>
      )}
      {analytics && <AnalyticsReport analytics={analytics} />}
    </section>
  );
}

function AnalyticsReport({ analytics }: { analytics: UsageAnalytics }) {
  const days = useMemo(() => analytics.dailyUsage.slice(-30), [analytics]);
  const dayLabels = useMemo(() => days.map((day) => day.day), [days]);
  const activity = useMemo<ChartSeries[]>(() => [
    { label: "Chats", values: days.map((day) => day.chats), color: "#3730a3" },
    { label: "Active users", values: days.map((day) => day.activeUsers), color: "#0f766e" },
    { label: "Personas created", values: days.map((day) => day.modelsCreated), color: "#b45309" },
  ], [days]);
  const spending = useMemo<ChartSeries[]>(() => [
    { label: "Spend (USD)", values: days.map((day) => day.spendUsd), color: "#b42318" },
  ], [days]);
  const totalChats = days.reduce((sum, day) => sum + day.chats, 0);
  const totalSpend = days.reduce((sum, day) => sum + day.spendUsd, 0);
  const limit = analytics.dailySpendLimitUsd;

  return (
    <>
      <dl className="analytics-summary">
        <div className="card"><dt>Spend today</dt><dd>{usd(analytics.spendTodayUsd)}{limit !== null && <span className="muted"> of {usd(limit)}</span>}</dd></div>
        <div className="card"><dt>Chats, 30 days</dt><dd>{whole(totalChats)}</dd></div>
        <div className="card"><dt>Spend, 30 days</dt><dd>{usd(totalSpend)}</dd></div>
        <div className="card"><dt>Trainings waiting</dt><dd>{whole(analytics.trainingQueue.waiting)}</dd></div>
      </dl>

      <div className="analytics-charts">
        <UsageChart
          title="Chats and users per day (last 30 days)"
          summary={`${whole(totalChats)} chats in 30 days; ${whole(days.at(-1)?.chats ?? 0)} today by ${whole(days.at(-1)?.activeUsers ?? 0)} users.`}
          days={dayLabels}
          series={activity}
        />
        <UsageChart
          title="Provider spend per day (last 30 days)"
          summary={`${usd(totalSpend)} in 30 days; ${usd(analytics.spendTodayUsd)} today.`}
          days={dayLabels}
          series={spending}
        />
      </div>

      <h2>Popular personas</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Popular personas">
        <table>
          <thead><tr><th scope="col">Persona</th><th scope="col">Chats, 7 days</th><th scope="col">Users, 7 days</th><th scope="col">Chats, 30 days</th><th scope="col">Users, 30 days</th><th scope="col">All chats</th></tr></thead>
          <tbody>
            {analytics.popularModels.length === 0 && <tr><td colSpan={6} className="muted">No chats in the last 30 days.</td></tr>}
            {analytics.popularModels.map((model) => (
              <tr key={model.modelId}>
                <th scope="row">{model.name}{!model.isPublic && <span className="muted"> (private)</span>}</th>
                <td>{whole(model.chats7d)}</td><td>{whole(model.users7d)}</td><td>{whole(model.chats30d)}</td><td>{whole(model.users30d)}</td><td>{whole(model.chatCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Spend by provider and model (30 days)</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Spend by provider and model">
        <table>
          <thead><tr><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Kind</th><th scope="col">Calls</th><th scope="col">Tokens</th><th scope="col">Spend</th></tr></thead>
          <tbody>
            {analytics.spendPerProvider.length === 0 && <tr><td colSpan={6} className="muted">Nothing spent in the last 30 days.</td></tr>}
            {analytics.spendPerProvider.map((row) => (
              <tr key={`${row.provider}/${row.billedModel}/${row.kind}`}>
                <th scope="row">{row.provider}</th><td className="wrap">{row.billedModel}</td><td>{row.kind}</td><td>{whole(row.requests30d)}</td>
                <td>{whole(row.inputTokens30d + row.outputTokens30d + row.trainedTokens30d)}</td><td>{usd(row.spend30dUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Top spenders (30 days)</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Top spenders">
        <table>
          <thead><tr><th scope="col">User</th><th scope="col">Today</th><th scope="col">30 days</th><th scope="col">Calls</th></tr></thead>
          <tbody>
            {analytics.spendPerUser.length === 0 && <tr><td colSpan={4} className="muted">Nothing spent in the last 30 days.</td></tr>}
            {analytics.spendPerUser.map((row) => (
              <tr key={row.userId}><th scope="row" className="wrap mono">{row.userId}</th><td>{usd(row.spendTodayUsd)}</td><td>{usd(row.spend30dUsd)}</td><td>{whole(row.requests30d)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Training outcomes</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Training outcomes">
        <table>
          <thead><tr><th scope="col">Provider</th><th scope="col">Runs</th><th scope="col">Completed</th><th scope="col">Failed</th><th scope="col">Persona mode</th><th scope="col">In flight</th><th scope="col">Median time to ready</th></tr></thead>
          <tbody>
            {analytics.trainingOutcomes.length === 0 && <tr><td colSpan={7} className="muted">No training runs yet.</td></tr>}
            {analytics.trainingOutcomes.map((row) => (
              <tr key={row.provider}>
                <th scope="row">{row.provider}</th><td>{whole(row.runs)}</td><td>{whole(row.completed)}</td><td>{whole(row.failed)}</td>
                <td>{whole(row.personaMode)}</td><td>{whole(row.inFlight)}</td><td>{duration(row.medianSecondsToReady)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        {whole(analytics.trainingQueue.waiting)} training runs wait for a provider job
        {analytics.trainingQueue.usersWaiting > 0 && ` (${whole(analytics.trainingQueue.usersWaiting)} users)`}.
        The same figures are views in the <code>analytics</code> schema of the database.
      </p>
    </>
  );
}
