-- Largest-remainder splitting, written once: `total` (an integer amount: cents,
-- views, hundredths of a minute) split over the positions of `weights` in
-- proportion to max(weight, 0), evenly where no weight is positive. The parts
-- are integers summing exactly to `total`; the units left after flooring go to
-- the largest remainders, ties to the earlier position (callers order the
-- array). Exact numeric arithmetic (div/mod), no floating point.
create or replace function analytics.split_cents(weights numeric[], total numeric)
returns bigint[]
language sql immutable parallel safe
as $$
    with given as (
        select
            u.i,
            greatest(coalesce(u.w, 0), 0) as w
        from unnest(weights) with ordinality as u (w, i)
    ),

    even as (
        select
            i,
            case when sum(w) over () > 0 then w else 1 end as w
        from given
    ),

    parts as (
        select
            i,
            w * total as n,
            sum(w) over () as total_w
        from even
    ),

    floored as (
        select
            i,
            mod(mod(n, total_w) + total_w, total_w) as rem,
            div(n - mod(mod(n, total_w) + total_w, total_w), total_w) as base
        from parts
    ),

    ranked as (
        select
            i,
            base,
            total - sum(base) over () as leftover,
            row_number() over (order by rem desc, i) as rnk
        from floored
    )

    select
        coalesce(
            array_agg((base + case when rnk <= leftover then 1 else 0 end)::bigint order by i),
            '{}'
        )
    from ranked
$$;
