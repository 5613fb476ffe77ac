-- private.model_price runs in every stored chat turn: as plpgsql its query plan is kept for the
-- session (a SQL function with its own search_path is planned on every call). Same answer.
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
