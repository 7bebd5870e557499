-- Executive dashboard, "Active Channels": channels with at least one fact row in
-- the 24 hours before the range's end (read from the hourly rollup).
select count(distinct h.channel_id) as active_channels
from analytics.hourly_channel_metrics as h
where
    h.hour >= $__timeTo()::timestamptz - interval '24 hours'
    and h.hour < $__timeTo()::timestamptz
