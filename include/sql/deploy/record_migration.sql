insert into analytics.schema_migrations (version, name, flavor, checksum, duration_ms)
values (%(version)s, %(name)s, %(flavor)s, %(checksum)s, %(duration_ms)s)
