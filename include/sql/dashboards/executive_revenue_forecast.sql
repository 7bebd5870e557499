-- Executive dashboard, "Revenue Forecast": the next 30 days of total YouTube revenue (ad +
-- other) of the active channels, from each channel's newest forecast, in dollars, with
-- its 80 % band: the channels' half-widths combined in quadrature (their errors taken as
-- independent), the lower bound not below 0. Only days every channel's forecast covers;
-- each date drawn at its warehouse midnight. It does not follow the time picker.
with newest as (
    select
        c.channel_id,
        (
            select max(f.trained_through)
            from analytics.forecast_daily as f
            where f.channel_id = c.channel_id and f.metric = 'revenue_cents'
        ) as trained_through
    from analytics.dim_channel as c
    where c.status = 'active'
),

days as (
    select
        f.target_date,
        count(*) as channels,
        sum(f.point) as point,
        sqrt(sum((f.point - f.lo_80) ^ 2)) as below,
        sqrt(sum((f.hi_80 - f.point) ^ 2)) as above
    from newest as n
    inner join analytics.forecast_daily as f
        on
            n.channel_id = f.channel_id
            and n.trained_through = f.trained_through
            and f.metric = 'revenue_cents'
    group by f.target_date
)

select
    analytics.warehouse_day_start(d.target_date) as time,
    round(d.point / 100.0, 2) as forecast,
    round(greatest(d.point - d.below, 0) / 100.0, 2) as lo_80,
    round((d.point + d.above) / 100.0, 2) as hi_80
from days as d
where
    d.channels = (
        select count(*) from newest as n
        where n.trained_through is not null
    )
order by d.target_date
