-- Creation limits hold whoever inserts: clients may no longer insert models, so every new model
-- passes the functions' quota reservation, written on the service path with its owner set.

drop policy "Users can create their own models" on private.fine_tuned_models;

revoke insert on table private.fine_tuned_models from anon, authenticated;
revoke insert on table public.fine_tuned_models from anon, authenticated;

comment on table private.fine_tuned_models is
  'Author and character personas. Created only on the service path (the create functions, after reserving the owner''s quotas); owners may rename, share, re-voice and delete theirs; status is advanced only by the service.';
comment on view public.fine_tuned_models is
  'Author and character personas as clients see them: own and public rows (RLS), the owner''s provider ids, errors and costs blank on other users'' models. No client inserts: models are created through the create functions, which reserve the quotas.';
