-- YouTube days of the window the revenue load has landed (a channel's day report
-- holds only the days it had videos, so a day counts once any channel has it).
select distinct d.day
from analytics.yt_channel_daily as d
where d.day between %(first_day)s and %(last_day)s
order by d.day
