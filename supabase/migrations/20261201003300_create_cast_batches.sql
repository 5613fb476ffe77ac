-- A book's whole cast created at once: one batch per request, one member per persona asked for,
-- each with what became of it (created, an existing live model, or refused with the reason), so
-- the batch can be followed as its members train.

-- One POST /fine-tune-cast: the book and how its members were asked to train.
create table public.cast_batches (
  id uuid primary key default gen_random_uuid(),
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  book_id text not null check (char_length(book_id) between 1 and 200),
  book_info jsonb not null,
  quick_tune boolean not null,
  created_at timestamptz not null default now()
);

comment on table public.cast_batches is
  'A book''s cast created in one request; private to the user who asked for it.';

-- A user's batches, newest first.
create index cast_batches_created_by_idx on public.cast_batches (created_by, created_at desc);

-- One persona of a batch, in the order of the request (the author first when there is one).
-- model_id is the model created for it or the live twin that already existed; it becomes null when
-- that model is deleted, and stays null for a refused member.
create table public.cast_batch_members (
  batch_id uuid not null references public.cast_batches (id) on delete cascade,
  position smallint not null check (position between 0 and 19),
  type text not null check (type in ('author', 'character')),
  name text not null check (char_length(name) between 1 and 200),
  outcome text not null check (outcome in ('created', 'exists', 'refused')),
  model_id uuid references private.fine_tuned_models (id) on delete set null,
  error jsonb,
  primary key (batch_id, position),
  check ((outcome = 'refused') = (error is not null))
);

comment on table public.cast_batch_members is
  'The personas of a cast batch and what became of each; readable by the batch''s owner only.';

-- Foreign key lookups for the set-null when a model is deleted.
create index cast_batch_members_model_idx on public.cast_batch_members (model_id);

alter table public.cast_batches enable row level security;
alter table public.cast_batch_members enable row level security;

create policy "Users can read their own cast batches"
  on public.cast_batches for select
  to authenticated
  using (created_by = (select auth.uid()));

create policy "Users can start their own cast batches"
  on public.cast_batches for insert
  to authenticated
  with check (created_by = (select auth.uid()));

create policy "Users can read the members of their cast batches"
  on public.cast_batch_members for select
  to authenticated
  using (exists (
    select 1 from public.cast_batches b
    where b.id = cast_batch_members.batch_id and b.created_by = (select auth.uid())));

-- A member joins the caller's own batch, and names only a model the caller owns.
create policy "Users can add members to their own cast batches"
  on public.cast_batch_members for insert
  to authenticated
  with check (
    exists (
      select 1 from public.cast_batches b
      where b.id = cast_batch_members.batch_id and b.created_by = (select auth.uid()))
    and (model_id is null or exists (
      select 1 from public.fine_tuned_models m
      where m.id = cast_batch_members.model_id and m.created_by = (select auth.uid())))
  );

-- A batch is a record of one request: no client rewrites or removes it (it goes with its user).
revoke all on table public.cast_batches from anon, authenticated;
revoke all on table public.cast_batch_members from anon, authenticated;
grant select on table public.cast_batches to authenticated;
grant insert (id, book_id, book_info, quick_tune) on table public.cast_batches to authenticated;
grant select on table public.cast_batch_members to authenticated;
grant insert (batch_id, position, type, name, outcome, model_id, error) on table public.cast_batch_members to authenticated;
grant all on table public.cast_batches to service_role;
grant all on table public.cast_batch_members to service_role;
