-- Spec §5, corrected (KNOWN-DEFECTS 10): the hours of the 24 before p_as_of (the
-- run's logical time) in which an active channel has no observed fact row.
create or replace function analytics.check_missing_data(p_as_of timestamptz default now())
returns table (
    channel_id varchar,
    missing_hours integer,
    last_data_point timestamptz,
    status text
)
language sql stable
as $$
    with bounds as (
        select
            date_trunc('hour', p_as_of, 'UTC') - interval '24 hours' as from_ts,
            date_trunc('hour', p_as_of, 'UTC') as to_ts
    ),

    -- A channel's first collected hour is the one after its registration hour (the
    -- first snapshot is a baseline): earlier hours are not missing.
    expected as (
        select
            c.channel_id,
            greatest(b.from_ts, date_trunc('hour', c.created_at, 'UTC') + interval '1 hour')
                as from_ts,
            b.to_ts
        from analytics.dim_channel as c
        cross join bounds as b
        where c.status = 'active'
    ),

    -- Daily rows hold a day the revenue load made final, not an observed hour.
    present as (
        select e.channel_id, count(distinct f.timestamp) as hours
        from expected as e
        inner join analytics.fact_video_performance as f
            on
                e.channel_id = f.channel_id
                and f.timestamp >= e.from_ts
                and f.timestamp < e.to_ts
                and not f.daily_row
        group by e.channel_id
    ),

    missing as (
        select
            e.channel_id,
            (
                greatest(extract(epoch from e.to_ts - e.from_ts) / 3600, 0)
                - coalesce(p.hours, 0)
            )::integer as missing_hours
        from expected as e
        left join present as p on e.channel_id = p.channel_id
    )

    select
        m.channel_id,
        m.missing_hours,
        (
            select max(f.timestamp)
            from analytics.fact_video_performance as f
            where f.channel_id = m.channel_id and f.timestamp <= p_as_of and not f.daily_row
        ),
        case
            when m.missing_hours > 12 then 'CRITICAL'
            when m.missing_hours > 6 then 'WARNING'
            else 'OK'
        end
    from missing as m
    where m.missing_hours > 0
    order by m.missing_hours desc, m.channel_id
$$;
