-- Objects the default privileges of 0100 do not reach: the continuous aggregates
-- (TimescaleDB passes a grant on one to its internal tables).
grant select, insert, update, delete on all tables in schema analytics to ytempire_loader;
grant usage, select on all sequences in schema analytics to ytempire_loader;
grant select on all tables in schema analytics to ytempire_reader;
