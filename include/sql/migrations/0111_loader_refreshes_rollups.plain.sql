-- On the plain path the rollups are tables the loader writes with its DML rights
-- (granted in 0100 and 0106) and partitions are created by the owner's
-- analytics.ensure_fact_partitions (security definer): nothing changes hands.
-- The version exists on both paths; the TimescaleDB file hands the continuous
-- aggregates to the loader.
select 1 as nothing_to_hand_over;
