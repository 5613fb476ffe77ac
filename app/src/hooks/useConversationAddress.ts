import { useEffect, useRef, useState } from "react";
import { replaceAddress } from "../router.ts";

interface ConversationChat {
  conversationId?: string;
  openById: (id: string) => Promise<boolean>;
}

/**
 * Keeps a chat's conversation in the address, so a reload (or a shared link) comes back to it:
 * opens the conversation the address names, then mirrors the open one into the address without a
 * new history entry. Says whether the named conversation could not be found (`lost`) and whether it
 * is still loading (`restoring`: a message sent then would start another conversation, and the one
 * loading would replace it, so the screen holds its composer until then).
 */
export function useConversationAddress(chat: ConversationChat, addressed: string | undefined, hrefOf: (conversationId?: string) => string) {
  const [lost, setLost] = useState(false);
  const [loading, setLoading] = useState(() => Boolean(addressed && addressed !== chat.conversationId));
  // While the addressed conversation loads, the empty chat must not overwrite its address.
  const restoring = useRef(Boolean(addressed));
  const current = useRef(chat.conversationId);
  current.current = chat.conversationId;
  const href = useRef(hrefOf);
  href.current = hrefOf;
  const { openById } = chat;

  useEffect(() => {
    if (!addressed || addressed === current.current) return;
    restoring.current = true;
    setLoading(true);
    let live = true;
    void openById(addressed).then((found) => {
      if (!live) return;
      restoring.current = false;
      setLoading(false);
      setLost(!found);
      if (!found) replaceAddress(href.current(current.current));
    });
    return () => { live = false; };
  }, [addressed, openById]);

  useEffect(() => {
    if (restoring.current) return;
    if (chat.conversationId) setLost(false);
    replaceAddress(href.current(chat.conversationId));
  }, [chat.conversationId]);

  // Back out of a drawer returns to an entry whose address may predate the conversation's id.
  useEffect(() => {
    const onPop = () => {
      const base = href.current();
      const hash = window.location.hash;
      if (restoring.current || (hash !== base && !hash.startsWith(`${base}/c/`))) return;
      replaceAddress(href.current(current.current));
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  return { lost, restoring: loading };
}
