-- Bench set-up: what was live when, as the switches leave it: from each started block's
-- start (20-50 s later: the run's switch) the block's variant, after the last block the
-- original, from the conclusion the winner; a variant already live is no new exposure.
-- Each exposure ends where the next starts; the newest stays open.
insert into analytics.experiment_exposure (
    experiment_id, variant, started_at, ended_at, applied_by_run
)
select
    c.experiment_id,
    c.variant,
    c.started_at,
    lead(c.started_at) over (partition by c.experiment_id order by c.started_at),
    concat(
        'scheduled__',
        to_char(date_trunc('hour', c.started_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
        '+00:00'
    )
from (
    select
        l.experiment_id,
        l.variant,
        l.at + make_interval(secs => 20 + l.experiment_id %% 30) as started_at,
        lag(l.variant) over (partition by l.experiment_id order by l.at) as live_before
    from (
        select
            b.experiment_id,
            b.variant,
            b.starts_at as at
        from analytics.experiment_block as b
        where b.starts_at <= %(as_of)s

        union all

        select
            e.experiment_id,
            0 as variant,
            e.ends_at as at
        from analytics.experiment as e
        where e.status = 'concluded'

        union all

        select
            r.experiment_id,
            r.winner_variant as variant,
            e.concluded_at as at
        from analytics.experiment_result as r
        inner join analytics.experiment as e on r.experiment_id = e.experiment_id
        where r.final and r.winner_variant is not null
    ) as l
) as c
where c.live_before is distinct from c.variant
