-- Bench set-up: %(videos)s videos (video v belongs to channel v mod channels),
-- with video types and categories.
insert into analytics.dim_video (video_id, channel_id, title, video_type, category, publish_date)
select
    'bv' || lpad(v::text, 7, '0'),
    'UCbench' || lpad((v %% %(channels)s)::text, 5, '0'),
    'Bench video ' || v,
    (array['tutorial', 'review', 'short', 'news'])[1 + v %% 4],
    (array['science', 'games', 'money', 'howto', 'food'])[1 + (v / 4) %% 5],
    '2025-06-01T00:00Z'::timestamptz
from generate_series(0, %(videos)s - 1) as v;
