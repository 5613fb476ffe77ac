import { clockTime } from "../format.ts";
import type { ChatProblem } from "../hooks/useChat.ts";

/**
 * Why a message got no answer: no network (it is sent when the network is back), the day's quota,
 * an outage (nothing saved; the message waits for Retry), or another refusal.
 */
export function ChatProblemNotice({ problem, who, onRetry }: { problem: ChatProblem; who: string; onRetry?: () => void }) {
  return (
    <div className="chat-problem" role="alert">
      {/* No Retry here: it would fail the same way; the message goes by itself once back online. */}
      {problem.kind === "offline" && <p>Not sent: you are offline. It goes as soon as you are back online.</p>}
      {problem.kind === "quota" && (
        <p>You have used today's messages.{problem.resetAt ? ` They reset at ${clockTime(problem.resetAt)}.` : ""}</p>
      )}
      {problem.kind === "outage" && (
        <>
          <p>{who} cannot answer right now. Your message was not sent.</p>
          {onRetry && <button type="button" className="button primary small" onClick={onRetry}>Retry</button>}
        </>
      )}
      {problem.kind === "other" && <p>{problem.message}</p>}
    </div>
  );
}
