import { clockTime } from "../format.ts";
import type { ChatProblem } from "../hooks/useChat.ts";

/** Why a message got no answer: the day's quota, an outage (nothing saved), or another refusal. */
export function ChatProblemNotice({ problem, who, onRetry }: { problem: ChatProblem; who: string; onRetry?: () => void }) {
  return (
    <div className="chat-problem" role="alert">
      {problem.kind === "quota" && (
        <p>You have used today's messages.{problem.resetAt ? ` They reset at ${clockTime(problem.resetAt)}.` : ""}</p>
      )}
      {problem.kind === "outage" && (
        <>
          <p>{who} cannot answer right now. Nothing was saved.</p>
          {onRetry && <button type="button" className="button primary small" onClick={onRetry}>Retry</button>}
        </>
      )}
      {problem.kind === "other" && <p>{problem.message}</p>}
    </div>
  );
}
