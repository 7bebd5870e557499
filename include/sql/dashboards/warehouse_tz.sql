-- Channel Performance Matrix, hidden variable "warehouse_tz": the zone the
-- hour-of-day panel uses, shown in its title.
select analytics.warehouse_tz() as warehouse_tz
