insert into analytics.schema_repeatables (name, flavor, checksum, reason, duration_ms)
values (%(name)s, %(flavor)s, %(checksum)s, %(reason)s, %(duration_ms)s)
