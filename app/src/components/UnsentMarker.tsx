/** Under a message that did not go: said plainly, with a way to send it again. */
export function UnsentMarker({ onRetry }: { onRetry?: () => void }) {
  return (
    <div className="unsent-marker">
      <span aria-hidden="true">⚠️</span> Not sent
      {onRetry && <button type="button" className="link-button" onClick={onRetry}>Retry</button>}
    </div>
  );
}
