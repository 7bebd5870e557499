delete from analytics.yt_reach_daily
where channel_id = %(channel_id)s and day = %(day)s
