-- TimescaleDB refreshes a continuous aggregate only for its owner
-- (refresh_continuous_aggregate: "must be owner of view"), and no privilege can
-- be granted instead; nor can the refresh run inside a security definer function
-- or procedure. The loader refreshes the rollups (analytics_refresh_hourly and
-- _daily), so it owns the continuous aggregates, their materialization tables and
-- their refresh policies: derived data it can rebuild. Every table stays the
-- owner's. TimescaleDB runs a policy as its owner and refuses an owner without
-- LOGIN: the loader role may log in (it has no password unless one is given, as
-- the compose stack's init script does; the DAGs may connect as it or as a
-- member). docs/reliability.md, "Roles".
do $$
begin
    if not (select r.rolcanlogin from pg_roles as r where r.rolname = 'ytempire_loader') then
        alter role ytempire_loader login;
    end if;
end
$$;

-- A new owner must be allowed to create in the schemas of the objects (the view's,
-- and TimescaleDB's internal one of its materialization table): for the handover
-- only, so that the loader still creates nothing. A deploying role that is not the
-- superuser was given CREATE on _timescaledb_internal with the grant option when
-- the roles were made (docker/warehouse/initdb/10-roles.sh).
grant create on schema analytics, _timescaledb_internal to ytempire_loader;
alter materialized view analytics.hourly_channel_metrics owner to ytempire_loader;
alter materialized view analytics.mv_recent_performance owner to ytempire_loader;
alter materialized view analytics.mv_historical_performance owner to ytempire_loader;
alter materialized view analytics.mv_video_daily_performance owner to ytempire_loader;
revoke create on schema analytics, _timescaledb_internal from ytempire_loader;
