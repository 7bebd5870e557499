-- video_type of the channel's videos: the content system's label where it has
-- one (analytics.content_video_type), else the operators' mapping from the
-- YouTube category (analytics.video_type_by_category); NULL only for a video
-- with neither. Unchanged rows are not written.
with typed as (
    select
        v.video_id,
        coalesce(c.video_type, m.video_type) as video_type
    from analytics.dim_video as v
    left join analytics.content_video_type as c on v.video_id = c.video_id
    left join analytics.video_type_by_category as m on v.category = m.category
    where v.channel_id = %(channel_id)s
)

update analytics.dim_video as v
set video_type = t.video_type
from typed as t
where
    v.video_id = t.video_id
    and v.video_type is distinct from t.video_type
