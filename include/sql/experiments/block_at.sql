select
    block_index,
    variant
from analytics.experiment_block
where experiment_id = %(experiment_id)s and starts_at <= %(at)s and ends_at > %(at)s
