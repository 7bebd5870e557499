-- What the stored settings derive (policies, rollups bucketed by the warehouse
-- zone), re-applied; changed: the settings whose stored value changed.
select analytics.apply_warehouse_settings(%(changed)s::text[]) as applied
