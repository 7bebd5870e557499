-- Bench set-up: every experiment's original (variant 0, the live video's) and its
-- challenger (variant 1): a title, or a thumbnail URL.
insert into analytics.experiment_variant (experiment_id, variant, title, thumbnail_url)
select
    e.experiment_id,
    k.variant,
    case when e.kind = 'title' then
        concat('Bench video ', e.seed, case when k.variant = 1 then ': the new title' end)
    end,
    case when e.kind = 'thumbnail' then
        concat('https://i.ytimg.com/vi/bv', e.seed, '/variant', k.variant, '.jpg')
    end
from analytics.experiment as e
cross join (values (0), (1)) as k (variant)
