import { useChatSharing } from "../hooks/useChatSharing.ts";

/** "Share my up-rated replies": lets owners of public models train on them, anonymised. */
export function ChatSharingSwitch() {
  const { sharing, saving, error, change } = useChatSharing();
  return (
    <div className="chat-sharing">
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={sharing ?? false}
          disabled={sharing === null || saving}
          onChange={(event) => void change(event.target.checked)}
        />
        <span>Share my up-rated replies</span>
      </label>
      <p className="hint">
        Owners of public models you chat with may train them on the replies you rate up, with your name and contact
        details removed.
      </p>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
