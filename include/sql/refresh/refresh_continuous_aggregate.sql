-- TimescaleDB: recompute the invalidated buckets of one continuous aggregate
-- inside the window (NULL = open). Must run in autocommit.
call public.refresh_continuous_aggregate(
    %(rollup)s::regclass,
    %(window_start)s::timestamptz,
    %(window_end)s::timestamptz,
    force => %(force)s
)
