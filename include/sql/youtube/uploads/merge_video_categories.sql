-- videoCategories.list answers into the cache: one row per category id.
insert into analytics.youtube_video_category as c (category_id, title)
select
    u.category_id,
    u.title
from unnest(%(category_ids)s::text[], %(titles)s::text[]) as u (category_id, title)
on conflict (category_id) do update
    set
        title = excluded.title,
        fetched_at = now()
    where c.title is distinct from excluded.title
