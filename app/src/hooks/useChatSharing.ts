import { useCallback, useEffect, useState } from "react";
import { api } from "../services.ts";

/** The reader's consent to share up-rated replies with owners of public models (off by default). */
export function useChatSharing() {
  const [sharing, setSharing] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.getChatSharing().then((setting) => setSharing(setting.shareRatedChats)).catch(() => setSharing(false));
  }, []);

  /** Shown at once; put back if the API refuses. */
  const change = useCallback(async (next: boolean) => {
    setSaving(true);
    setError(null);
    setSharing(next);
    try {
      setSharing((await api.setChatSharing(next)).shareRatedChats);
    } catch (failure) {
      setSharing(!next);
      setError(`Could not save the setting: ${(failure as Error).message}`);
    } finally {
      setSaving(false);
    }
  }, []);

  return { sharing, saving, error, change };
}
