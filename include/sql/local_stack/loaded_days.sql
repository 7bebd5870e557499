-- YouTube days of the window for which every active channel's figures are loaded.
select count(*) as loaded_days
from (
    select d.day
    from analytics.yt_channel_daily as d
    inner join analytics.dim_channel as c on d.channel_id = c.channel_id
    where c.status = 'active' and d.day between %(first_day)s and %(last_day)s
    group by d.day
    having count(
        *) = (
        select count(*) from analytics.dim_channel
        where status = 'active'
    )
) as complete
