-- migrate: no-transaction
create index concurrently if not exists idx_revenue_date_channel
on analytics.revenue_attribution (revenue_date desc, channel_id, total_revenue_cents);
