-- The picture of an imported Character Card (its PNG without the card's text chunks), so the
-- persona's exported card gives the same picture back instead of a placeholder pixel.
create table public.model_card_pictures (
  model_id uuid primary key references private.fine_tuned_models (id) on delete cascade,
  png bytea not null check (octet_length(png) between 8 and 8388608),
  created_at timestamptz not null default pg_catalog.now()
);

comment on table public.model_card_pictures is
  'The picture a model''s Character Card was imported with (the PNG without its card chunks); readable by whoever may see the model.';

alter table public.model_card_pictures enable row level security;

create policy "Readers can see the card picture of a model they may see"
  on public.model_card_pictures for select to authenticated
  using (exists (select 1 from public.fine_tuned_models m where m.id = model_card_pictures.model_id));

create policy "Owners can add the card picture of their own models"
  on public.model_card_pictures for insert to authenticated
  with check (exists (
    select 1 from public.fine_tuned_models m
    where m.id = model_card_pictures.model_id and m.created_by = (select auth.uid())
  ));

revoke all on public.model_card_pictures from anon, authenticated;
grant select on public.model_card_pictures to authenticated;
grant insert (model_id, png) on public.model_card_pictures to authenticated;
grant all on public.model_card_pictures to service_role;
