-- Days of one channel whose cost or partner revenue changed (up to the mark).
-- An entry belongs to the channel of its video when dim_video knows it, else to
-- the channel it names.
select distinct l.revenue_date
from analytics.revenue_input_invalidation as l
left join analytics.dim_video as v on l.video_id = v.video_id
where
    l.id <= %(mark)s
    and coalesce(v.channel_id, l.channel_id) = %(channel_id)s
order by l.revenue_date
