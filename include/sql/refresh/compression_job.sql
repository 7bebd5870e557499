-- TimescaleDB: the compression policy job of the fact table, and how many of
-- its chunks are compressed now.
select
    j.job_id,
    (
        select count(*)
        from timescaledb_information.chunks as c
        where
            c.hypertable_schema = j.hypertable_schema
            and c.hypertable_name = j.hypertable_name
            and c.is_compressed
    ) as compressed_chunks
from timescaledb_information.jobs as j
where
    j.proc_name = 'policy_compression'
    and j.hypertable_schema = 'analytics'
    and j.hypertable_name = 'fact_video_performance'
