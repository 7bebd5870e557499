-- One line per Slack message sent.
insert into analytics.quality_alert_log (
    check_class, message_kind, run_id, logical_time, condition, rows_total
)
values (
    %(check_class)s, %(message_kind)s, %(run_id)s, %(logical_time)s, %(condition)s::jsonb,
    %(rows_total)s
)
