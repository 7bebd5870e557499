-- applied_at: null for now; baseline: recorded without running (the move-over from
-- the retired history, migrations.adopt_retired_history).
insert into analytics.schema_migrations (
    version, name, flavor, checksum, duration_ms, applied_at, baseline
)
values (
    %(version)s, %(name)s, %(flavor)s, %(checksum)s, %(duration_ms)s,
    coalesce(%(applied_at)s::timestamptz, now()), %(baseline)s
)
