-- Owners add, edit, reorder and remove the training examples of their own models, under RLS and
-- column privileges (functions and Data API alike); clients add only `user` or `chat` examples,
-- never the teacher's, and never move one to another model.

create policy "Owners can add training examples to their models"
  on public.training_examples for insert
  to authenticated
  with check (
    source in ('user', 'chat')
    and exists (
      select 1 from public.fine_tuned_models m
      where m.id = training_examples.model_id and m.created_by = (select auth.uid())
    )
  );

create policy "Owners can edit the training examples of their models"
  on public.training_examples for update
  to authenticated
  using (exists (
    select 1 from public.fine_tuned_models m
    where m.id = training_examples.model_id and m.created_by = (select auth.uid())
  ))
  with check (exists (
    select 1 from public.fine_tuned_models m
    where m.id = training_examples.model_id and m.created_by = (select auth.uid())
  ));

create policy "Owners can delete the training examples of their models"
  on public.training_examples for delete
  to authenticated
  using (exists (
    select 1 from public.fine_tuned_models m
    where m.id = training_examples.model_id and m.created_by = (select auth.uid())
  ));

-- The conversation, its topic and its place are the owner's; the model and the source are fixed
-- once written (no update privilege on them), the id and the time are the database's.
grant insert (model_id, source, topic, position, messages) on table public.training_examples to authenticated;
grant update (topic, position, messages) on table public.training_examples to authenticated;
grant delete on table public.training_examples to authenticated;
