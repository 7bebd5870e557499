-- Keeps updated_at current on the tables below, whoever writes them.
create or replace function analytics.set_updated_at()
returns trigger
language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
end
$$;

create or replace trigger dim_channel_updated_at before update on analytics.dim_channel
for each row execute function analytics.set_updated_at();

create or replace trigger dim_video_updated_at before update on analytics.dim_video
for each row execute function analytics.set_updated_at();

create or replace trigger cost_tracking_updated_at before update on analytics.cost_tracking
for each row execute function analytics.set_updated_at();

create or replace trigger partner_revenue_updated_at before update on analytics.partner_revenue
for each row execute function analytics.set_updated_at();

create or replace trigger revenue_attribution_updated_at before update on analytics.revenue_attribution
for each row execute function analytics.set_updated_at();

create or replace trigger quality_alert_state_updated_at before update on analytics.quality_alert_state
for each row execute function analytics.set_updated_at();

create or replace trigger experiment_updated_at before update on analytics.experiment
for each row execute function analytics.set_updated_at();
