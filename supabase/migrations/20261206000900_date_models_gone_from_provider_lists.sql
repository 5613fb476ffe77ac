-- A chat or teacher model the provider's model list no longer names is treated as shut down from
-- the day the catalogue refresh noticed: `unlisted` says where such a date came from (it is cleared
-- if the list names the model again).
alter table private.model_catalogue drop constraint model_catalogue_shutdown_source_check;
alter table private.model_catalogue add constraint model_catalogue_shutdown_source_check
  check (shutdown_source in ('provider', 'fallback', 'unlisted', 'none'));

comment on column private.model_catalogue.shutdown_source is
  'provider: from its model list; fallback: the documented table; unlisted: the day its list stopped naming it; none: no date.';
