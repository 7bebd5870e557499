-- TimescaleDB: recompute the invalidated buckets of one continuous aggregate
-- inside the window (NULL = open). Must run in autocommit. In one pass
-- (buckets_per_batch 0): the batched refresh of 2.28 leaves the invalidation of
-- a bucket whose range ends exactly at a bucket start unrefreshed
-- (timescale/timescaledb#10221), so a refresh would return with a stale bucket.
call public.refresh_continuous_aggregate(
    %(rollup)s::regclass,
    %(window_start)s::timestamptz,
    %(window_end)s::timestamptz,
    force => %(force)s,
    options => '{"buckets_per_batch": 0}'
)
