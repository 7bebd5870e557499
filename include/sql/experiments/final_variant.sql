select coalesce(winner_variant, 0) as variant
from analytics.experiment_result
where experiment_id = %(experiment_id)s and final
