-- The alert state of every check class that has ever sent a message.
select
    s.check_class,
    s.alerting,
    s.condition,
    s.episode_started_at,
    s.last_sent_at,
    s.last_message_kind,
    s.last_run_id,
    s.evaluated_at
from analytics.quality_alert_state as s
order by s.check_class
