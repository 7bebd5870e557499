-- One class's alert state, locked until the message is sent and the state saved.
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
where s.check_class = %(check_class)s
for update
