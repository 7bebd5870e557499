insert into analytics.experiment_block_outcome (
    experiment_id, block_index, variant, numerator, denominator, outcome, clean, note,
    computed_at
)
values (
    %(experiment_id)s, %(block_index)s, %(variant)s, %(numerator)s, %(denominator)s,
    %(outcome)s, %(clean)s, %(note)s, %(computed_at)s
)
on conflict (experiment_id, block_index) do update
    set
        variant = excluded.variant,
        numerator = excluded.numerator,
        denominator = excluded.denominator,
        outcome = excluded.outcome,
        clean = excluded.clean,
        note = excluded.note,
        computed_at = excluded.computed_at
