-- A class's state after a message was sent for it.
insert into analytics.quality_alert_state as s (
    check_class, alerting, condition, episode_started_at, last_sent_at,
    last_message_kind, last_run_id, evaluated_at
)
values (
    %(check_class)s, %(alerting)s, %(condition)s::jsonb, %(episode_started_at)s,
    %(logical_time)s, %(message_kind)s, %(run_id)s, %(logical_time)s
)
on conflict (check_class) do update
    set
        alerting = excluded.alerting,
        condition = excluded.condition,
        episode_started_at = excluded.episode_started_at,
        last_sent_at = excluded.last_sent_at,
        last_message_kind = excluded.last_message_kind,
        last_run_id = excluded.last_run_id,
        evaluated_at = greatest(s.evaluated_at, excluded.evaluated_at)
