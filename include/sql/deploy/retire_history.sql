-- Removes the retired history's rows (versions below 100); returns when the first of
-- them was applied, the warehouse's first deploy (check_data_freshness judges from it).
with retired as (
    delete from analytics.schema_migrations
    where version < 100
    returning applied_at
)

select min(applied_at) as first_deploy from retired
