insert into analytics.experiment_result (
    experiment_id, final, effect, ci_low, ci_high, p_value, winner_variant, blocks_used,
    method, computed_at, run_id
)
values (
    %(experiment_id)s, %(final)s, %(effect)s, %(ci_low)s, %(ci_high)s, %(p_value)s,
    %(winner_variant)s, %(blocks_used)s, %(method)s, %(computed_at)s, %(run_id)s
)
on conflict (experiment_id, final) do update
    set
        effect = excluded.effect,
        ci_low = excluded.ci_low,
        ci_high = excluded.ci_high,
        p_value = excluded.p_value,
        winner_variant = excluded.winner_variant,
        blocks_used = excluded.blocks_used,
        method = excluded.method,
        computed_at = excluded.computed_at,
        run_id = excluded.run_id
