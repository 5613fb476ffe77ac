-- The admins' popular-models view counts only exchanges the service answered: an imported
-- transcript (`imported`) is the reader's own text, never the persona's use, as chat_count already says.
create or replace view analytics.popular_models
with (security_invoker = true)
as
select
  m.id as model_id, m.name, m.type, m.book_id, m.is_public, m.provider, m.chat_count, m.recent_chat_count,
  s.chats_7d, s.users_7d, s.chats_30d, s.users_30d
from private.fine_tuned_models m
cross join lateral (
  select count(*) filter (where c.created_at > pg_catalog.now() - interval '7 days') as chats_7d,
         count(distinct c.user_id) filter (where c.created_at > pg_catalog.now() - interval '7 days') as users_7d,
         count(*) as chats_30d,
         count(distinct c.user_id) as users_30d
  from public.fine_tuned_chats c
  where c.model_id = m.id and c.created_at > pg_catalog.now() - interval '30 days' and not c.imported
) s
where m.recent_chat_count > 0;
