-- The content system's labels of the videos it has made.
insert into analytics.content_video_type as t (video_id, video_type, source)
select
    u.video_id,
    u.video_type,
    %(source)s::text as source
from unnest(%(video_ids)s::text[], %(video_types)s::text[]) as u (video_id, video_type)
on conflict (video_id) do update
    set video_type = excluded.video_type
    where t.video_type is distinct from excluded.video_type
