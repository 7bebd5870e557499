-- A hypertable has its own index on the time column (created by create_hypertable):
-- nothing to add on this path. The plain path adds the index in its 0031 file.
select 1 as hypertable_time_index_exists;
