-- Channel Performance Matrix, "Views Distribution by Hour": views of the selected
-- channels over the range, one row per day of week (Monday first) and one column
-- per hour of day, both in the warehouse time zone. Observed hours only: a row the
-- daily load made for a video without observed hours holds a day, not an hour.
with zone as (
    -- read once, not per row
    select analytics.warehouse_tz() as tz
),

hourly as (
    select
        h.observed_views as views,
        h.hour at time zone z.tz as local_hour
    from analytics.hourly_channel_metrics as h
    cross join zone as z
    where
        $__timeFilter(h.hour)
        and h.channel_id in (${channel:sqlstring})
),

local_views as (
    select
        extract(isodow from h.local_hour)::integer as iso_day,
        extract(hour from h.local_hour)::integer as hour_of_day,
        sum(h.views) as views
    from hourly as h
    group by 1, 2
),

week as (
    select d.iso_day
    from generate_series(1, 7) as d (iso_day)
)

select
    -- 2024-01-01 was a Monday: day n of the ISO week is that date plus n - 1.
    to_char(date '2024-01-01' + (w.iso_day - 1), 'Dy') as day_of_week,
    coalesce(sum(v.views) filter (where v.hour_of_day = 0), 0) as "00",
    coalesce(sum(v.views) filter (where v.hour_of_day = 1), 0) as "01",
    coalesce(sum(v.views) filter (where v.hour_of_day = 2), 0) as "02",
    coalesce(sum(v.views) filter (where v.hour_of_day = 3), 0) as "03",
    coalesce(sum(v.views) filter (where v.hour_of_day = 4), 0) as "04",
    coalesce(sum(v.views) filter (where v.hour_of_day = 5), 0) as "05",
    coalesce(sum(v.views) filter (where v.hour_of_day = 6), 0) as "06",
    coalesce(sum(v.views) filter (where v.hour_of_day = 7), 0) as "07",
    coalesce(sum(v.views) filter (where v.hour_of_day = 8), 0) as "08",
    coalesce(sum(v.views) filter (where v.hour_of_day = 9), 0) as "09",
    coalesce(sum(v.views) filter (where v.hour_of_day = 10), 0) as "10",
    coalesce(sum(v.views) filter (where v.hour_of_day = 11), 0) as "11",
    coalesce(sum(v.views) filter (where v.hour_of_day = 12), 0) as "12",
    coalesce(sum(v.views) filter (where v.hour_of_day = 13), 0) as "13",
    coalesce(sum(v.views) filter (where v.hour_of_day = 14), 0) as "14",
    coalesce(sum(v.views) filter (where v.hour_of_day = 15), 0) as "15",
    coalesce(sum(v.views) filter (where v.hour_of_day = 16), 0) as "16",
    coalesce(sum(v.views) filter (where v.hour_of_day = 17), 0) as "17",
    coalesce(sum(v.views) filter (where v.hour_of_day = 18), 0) as "18",
    coalesce(sum(v.views) filter (where v.hour_of_day = 19), 0) as "19",
    coalesce(sum(v.views) filter (where v.hour_of_day = 20), 0) as "20",
    coalesce(sum(v.views) filter (where v.hour_of_day = 21), 0) as "21",
    coalesce(sum(v.views) filter (where v.hour_of_day = 22), 0) as "22",
    coalesce(sum(v.views) filter (where v.hour_of_day = 23), 0) as "23"
from week as w
left join local_views as v on w.iso_day = v.iso_day
group by w.iso_day
order by w.iso_day
