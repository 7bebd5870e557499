-- What the channel dashboard's table reads.
select * from analytics.channel_performance_view
order by channel_id
