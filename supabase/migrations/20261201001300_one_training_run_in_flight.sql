-- At most one training run of a model is in flight: a retrain, a move before a shutdown and the
-- first training never overlap, and two writers racing to start one get one (the other's insert
-- does nothing). Also the sync's lookup of a model's run in flight.
create unique index training_runs_one_in_flight_idx
  on public.training_runs (model_id) where status in ('pending', 'training');
