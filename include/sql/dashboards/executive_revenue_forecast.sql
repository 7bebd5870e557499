-- Executive dashboard, "Revenue Forecast": the total YouTube revenue (ad + other) of the
-- active channels that have a forecast, in dollars: as YouTube reported it over the 30
-- days up to the day the forecasts were trained through (`reported`, the series they
-- learn from), then the next 30 days from each channel's newest forecast with its 80 %
-- band (the channels' half-widths combined in quadrature: their errors taken as
-- independent; the lower bound not below 0). So the band extends the reported days, and
-- no day is drawn that not every one of these channels has: reported days up to the
-- earliest channel's training end (a day without a report there had no activity),
-- forecast days every channel's forecast covers. Each date drawn at its warehouse
-- midnight. It does not follow the time picker.
with forecast_channels as (
    select
        c.channel_id,
        n.trained_through
    from analytics.dim_channel as c
    cross join
        lateral (
            select f.trained_through
            from analytics.forecast_daily as f
            where f.channel_id = c.channel_id and f.metric = 'revenue_cents'
            order by f.trained_through desc
            limit 1
        ) as n
    where c.status = 'active'
),

span as (
    select
        count(*) as channels,
        min(fc.trained_through) as first_end,
        max(fc.trained_through) as last_end
    from forecast_channels as fc
),

reported as (
    select
        d.day,
        sum(round(coalesce(d.estimated_revenue, 0) * 100)) as cents
    from forecast_channels as fc
    cross join span as s
    inner join analytics.yt_channel_daily as d
        on
            fc.channel_id = d.channel_id
            and s.last_end - 30 < d.day
            and s.first_end >= d.day
    group by d.day
),

ahead as (
    select
        f.target_date,
        count(*) as channels,
        sum(f.point) as point,
        sqrt(sum((f.point - f.lo_80) ^ 2)) as below,
        sqrt(sum((f.hi_80 - f.point) ^ 2)) as above
    from forecast_channels as fc
    -- `offset 0` fences each channel's 30 rows, read by its key; joined as a whole, the
    -- planner hashes every forecast run of every channel (2x slower at 1,000 channels)
    cross join
        lateral (
            select
                f.target_date,
                f.point,
                f.lo_80,
                f.hi_80
            from analytics.forecast_daily as f
            where
                f.channel_id = fc.channel_id
                and f.metric = 'revenue_cents'
                and f.trained_through = fc.trained_through
            offset 0  -- noqa: AM09
        ) as f
    group by f.target_date
),

final as (
    select
        r.day,
        round(r.cents / 100.0, 2) as reported,
        null::numeric as forecast,
        null::numeric as lo_80,
        null::numeric as hi_80
    from reported as r

    union all

    select
        a.target_date as day,
        null::numeric as reported,
        round(a.point / 100.0, 2) as forecast,
        round(greatest(a.point - a.below, 0) / 100.0, 2) as lo_80,
        round((a.point + a.above) / 100.0, 2) as hi_80
    from ahead as a
    cross join span as s
    where a.channels = s.channels
)

select
    analytics.warehouse_day_start(f.day) as time,
    f.reported,
    f.forecast,
    f.lo_80,
    f.hi_80
from final as f
order by f.day
