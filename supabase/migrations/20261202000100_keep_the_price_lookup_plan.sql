-- private.model_price runs in every stored chat turn (through private.record_spend). As a SQL
-- function with its own search_path it cannot be inlined, so its query was parsed and planned on
-- every call: about 0.3 ms of the 0.5 ms it took. As plpgsql the plan is kept for the session.
-- Same signature, same answer: the model's own price row, else its family's (a dated snapshot
-- such as gpt-4.1-mini-2025-04-14 prices as gpt-4.1-mini), else its provider's fallback, else the
-- global one.
create or replace function private.model_price(p_provider text, p_model text)
returns private.model_prices
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  price private.model_prices;
begin
  select p.* into price
  from private.model_prices p
  where (p.provider = p_provider
         and p.model_id in (p_model, pg_catalog.regexp_replace(p_model, '-\d{4}-\d{2}-\d{2}$', ''), '*'))
     or (p.provider = '*' and p.model_id = '*')
  order by p.provider = '*', p.model_id = '*', p.model_id = p_model desc
  limit 1;
  return price;
end;
$$;

revoke all on function private.model_price(text, text) from public, anon, authenticated;
grant execute on function private.model_price(text, text) to service_role;
