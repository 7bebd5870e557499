-- Bench: every chunk of the fact hypertable compressed (what the compression policy
-- does to chunks older than YTEMPIRE_COMPRESS_AFTER_DAYS), to measure the ratio.
select count(public.compress_chunk(c, if_not_compressed => true))
from public.show_chunks('analytics.fact_video_performance') as c
