-- Readers rate a group conversation's persona replies as they rate one-to-one replies. The rating
-- is the only part of a group message a client may change: only on replies (the reader's own
-- messages have nothing to rate), and only in the caller's own conversations.
alter table public.group_messages add column rating text check (rating in ('up', 'down'));

comment on column public.group_messages.rating is
  'The chatting user''s rating of a persona reply: up, down, or null (unrated); always null for the user''s own messages.';

alter table public.group_messages
  add constraint group_messages_rating_only_on_replies check (role = 'assistant' or rating is null);

create policy "Users can rate the replies in their own group conversations"
  on public.group_messages for update
  to authenticated
  using (user_id = (select auth.uid()) and role = 'assistant')
  with check (user_id = (select auth.uid()) and role = 'assistant');

-- Only the rating: the message itself stays a record of what was said.
grant update (rating) on table public.group_messages to authenticated;
