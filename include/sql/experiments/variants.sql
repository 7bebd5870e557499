select
    variant,
    title,
    thumbnail_url,
    thumbnail_image,
    thumbnail_type
from analytics.experiment_variant
where experiment_id = %(experiment_id)s
order by variant
