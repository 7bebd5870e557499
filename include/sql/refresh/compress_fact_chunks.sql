-- TimescaleDB: the compression policy's work, as the owner (the loader may call it).
select analytics.compress_fact_chunks() as compressed
