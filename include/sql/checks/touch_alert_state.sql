-- A class evaluated without a message (unchanged within the quiet period).
update analytics.quality_alert_state
set evaluated_at = greatest(evaluated_at, %(logical_time)s)
where check_class = %(check_class)s
