-- Which provider serves the model's live fine-tune, and on which base it was trained. While a
-- retrain on another provider trains, the model row shows the new run (its provider among it) but
-- chat stays on the old fine-tune, which only its own provider can answer. Service bookkeeping:
-- not in the public view, written by the trigger below only.
alter table private.fine_tuned_models
  add column fine_tune_provider text,
  add column fine_tune_base_model text;

comment on column private.fine_tuned_models.fine_tune_provider is
  'Provider of the run that trained openai_model_id (chat routes the live fine-tune there).';

-- Whenever the live fine-tune changes, remember the run it came from (a row inserted with a
-- fine-tune and no runs yet: its own provider and base).
create or replace function private.remember_fine_tune_provider()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.openai_model_id is null then
    new.fine_tune_provider := null;
    new.fine_tune_base_model := null;
    return new;
  end if;
  select r.provider, r.base_model into new.fine_tune_provider, new.fine_tune_base_model
  from public.training_runs r
  where r.model_id = new.id and r.fine_tuned_model = new.openai_model_id
  order by r.created_at desc
  limit 1;
  if not found then
    new.fine_tune_provider := new.provider;
    new.fine_tune_base_model := new.base_model;
  end if;
  return new;
end;
$$;

revoke all on function private.remember_fine_tune_provider() from public, anon, authenticated;

create trigger remember_fine_tune_provider
  before insert or update of openai_model_id on private.fine_tuned_models
  for each row execute function private.remember_fine_tune_provider();

-- The fine-tunes live so far.
update private.fine_tuned_models m
set fine_tune_provider = coalesce(r.provider, m.provider),
    fine_tune_base_model = coalesce(r.base_model, m.base_model)
from (select m2.id,
             (select r2.provider from public.training_runs r2
              where r2.model_id = m2.id and r2.fine_tuned_model = m2.openai_model_id
              order by r2.created_at desc limit 1) as provider,
             (select r2.base_model from public.training_runs r2
              where r2.model_id = m2.id and r2.fine_tuned_model = m2.openai_model_id
              order by r2.created_at desc limit 1) as base_model
      from private.fine_tuned_models m2
      where m2.openai_model_id is not null) r
where r.id = m.id;
