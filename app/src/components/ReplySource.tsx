/**
 * Which model wrote a reply, as stored with it: the persona's own fine-tune or a general AI
 * standing in (while it trains, after a failure, or in persona mode). Unknown: nothing shown.
 */
export function ReplySource({ usingFallback }: { usingFallback?: boolean }) {
  if (usingFallback === undefined) return null;
  return usingFallback
    ? <span className="fallback-marker">⚠️ Using general AI</span>
    : <span className="fine-tuned-marker">✓ Fine-tuned model</span>;
}
