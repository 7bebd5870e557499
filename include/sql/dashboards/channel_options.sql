-- Channel Performance Matrix, variable "channel": the value is the channel id,
-- the text its name (two channels may share a name).
select
    c.channel_name as __text,
    c.channel_id as __value
from analytics.dim_channel as c
order by c.channel_name, c.channel_id
