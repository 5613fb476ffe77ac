-- Readers rate the persona's replies: an up-rated exchange can become a training example of the
-- model's owner (when the reader is the owner). The rating is the only part of an exchange a
-- client may change, and only the user who chatted.
alter table public.fine_tuned_chats add column rating text check (rating in ('up', 'down'));

comment on column public.fine_tuned_chats.rating is
  'The chatting user''s rating of the reply: up, down, or null (unrated).';

create policy "Users can rate their own exchanges"
  on public.fine_tuned_chats for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

-- Only the rating: the exchange itself stays an audit of what was said.
grant update (rating) on table public.fine_tuned_chats to authenticated;
