insert into analytics.experiment_block (
    experiment_id, block_index, pair_index, variant, starts_at, ends_at, analysed_from
)
values (
    %(experiment_id)s, %(block_index)s, %(pair_index)s, %(variant)s, %(starts_at)s,
    %(ends_at)s, %(analysed_from)s
)
