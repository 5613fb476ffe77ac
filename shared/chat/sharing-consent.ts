import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";

/** A reader's chat-sharing setting: off until they choose otherwise. */
export interface ChatSharing {
  shareRatedChats: boolean;
  updatedAt: string | null;
}

const settingJson = `pg_catalog.json_build_object('shareRatedChats', s.share_rated_chats, 'updatedAt', s.updated_at)`;

/** The caller's own setting (RLS shows no one else's). */
export async function readChatSharing(auth: UserAuth): Promise<ChatSharing> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ setting: ChatSharing }[]>`
      select ${tx.unsafe(settingJson)} as setting from public.chat_sharing_consents s where s.user_id = ${auth.userId}`
  );
  return row?.setting ?? { shareRatedChats: false, updatedAt: null };
}

/**
 * Records the caller's choice, as the Data API's upsert would. Withdrawing it stops owners taking
 * further exchanges; examples already taken (anonymised) stay with the owner's model.
 */
export async function writeChatSharing(auth: UserAuth, shareRatedChats: boolean): Promise<ChatSharing> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ setting: ChatSharing }[]>`
      insert into public.chat_sharing_consents as s (share_rated_chats) values (${shareRatedChats})
      on conflict (user_id) do update set share_rated_chats = excluded.share_rated_chats
      returning ${tx.unsafe(settingJson)} as setting`
  );
  return row.setting;
}
