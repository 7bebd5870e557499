"""Forecast accuracy on the demo world against its true future (docs/forecasts.md).

    python -m ytempire_dev.forecast_eval --seeds 2,3,4 --origins 4 [--json FILE]

Per seed: the demo world's channels in a throwaway warehouse (plain PostgreSQL), their
final days landed as the revenue load lands them (`yt_channel_daily`, YouTube's channel
totals), HISTORY_DAYS before the first training end. For each origin (a week apart) the
product's own step (`run.forecast_channels`: back-test when due, model choice, forecast)
runs on the days up to the training end; then the simulator's clock moves 30 days past it
and the forecasts are scored against what YouTube then reports (realised) and against the
simulator's true means. Seasonal naive's forecast of the same days is the value 7, 14,
... days before each target in the realised series.

Figures: per channel and metric, MAE at horizons 1-7 relative to seasonal naive's
(median over channel-metrics; unmonetised revenue, all zeros, left out); how many chosen
models are worse than seasonal naive in their own back-test; coverage of the 80 % and
95 % intervals over held-out days (horizons 1-7 and 1-30); coverage of the total-revenue
band the Executive panel draws (channels' half-widths combined in quadrature).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import psycopg
from psycopg import conninfo, sql

from ytempire import schema_deploy
from ytempire.forecasts import run
from ytempire_dev.local_pg import local_cluster
from ytempire_dev.simulator import World

START = datetime(2026, 6, 1, 12, tzinfo=UTC)
HISTORY_DAYS = 180
HORIZON = 30


def land_days(conn, world: World, first: date, last: date) -> None:
    rows = []
    for channel in world.channels:
        day = first
        while day <= last:
            if world.channel_has_data(channel.id, day):
                figures = world.channel_daily(channel.id, day)
                rows.append((channel.id, day, figures["views"], figures.get("estimatedRevenue")))
            day += timedelta(days=1)
    with conn.cursor() as cur:
        cur.executemany("insert into analytics.yt_channel_daily (channel_id, day, views, "
                        "estimated_revenue) values (%s, %s, %s, %s)", rows)


def realised(world: World, channel_id: str, day: date) -> dict:
    figures = world.channel_daily(channel_id, day)
    return {"views": figures["views"],
            "revenue_cents": round(float(figures.get("estimatedRevenue") or 0) * 100)}


def evaluate_seed(admin_dsn: str, seed: int, origins: int) -> list[dict]:
    """One row per (channel, metric, origin, horizon) with forecast, truth and baseline."""
    name = f"forecast_eval_{seed}"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    world = World.demo(seed=seed, start=START)
    ids = [c.id for c in world.channels]
    out = []
    with psycopg.connect(conninfo.make_conninfo(admin_dsn, dbname=name), autocommit=True) as conn:
        schema_deploy.deploy(conn)
        for c in world.channels:
            conn.execute("insert into analytics.dim_channel (channel_id, channel_name, "
                         "monetization_enabled) values (%s, %s, %s)", (c.id, c.title, c.monetized))
        landed = world.last_ready_day(START) - timedelta(days=HISTORY_DAYS)
        for k in range(origins):
            world.set_clock(START + timedelta(days=7 * k))
            through = world.last_ready_day()
            land_days(conn, world, landed, through)
            landed = through + timedelta(days=1)
            run.forecast_channels(conn, ids, through, f"eval_{seed}_{k}")
            world.set_clock(START + timedelta(days=7 * k + HORIZON + 3))  # the future is reported
            out += score_origin(conn, world, through, seed, k)
    return out


def score_origin(conn, world: World, through: date, seed: int, origin: int) -> list[dict]:
    forecasts = conn.execute(
        "select f.channel_id, f.metric, f.horizon_days, f.target_date, f.point, f.lo_80, "
        "f.hi_80, f.lo_95, f.hi_95, f.model, s.mae_vs_seasonal_naive "
        "from analytics.forecast_daily as f left join analytics.forecast_backtest_summary as s "
        "on s.channel_id = f.channel_id and s.metric = f.metric and s.chosen "
        "where f.trained_through = %s", (through,)).fetchall()
    rows, history = [], {}
    for cid, metric, h, target, point, lo80, hi80, lo95, hi95, model, backtest_ratio in forecasts:
        key = (cid, target)
        if key not in history:
            history[key] = realised(world, cid, target)
        back = target - timedelta(days=7 * math.ceil(h / 7))
        if (cid, back) not in history:
            history[(cid, back)] = realised(world, cid, back)
        expected = world.channel_expected(cid, target)
        rows.append({
            "seed": seed, "origin": origin, "channel_id": cid, "metric": metric, "horizon": h,
            "actual": history[key][metric],
            "true": expected.views if metric == "views" else expected.revenue * 100,
            "point": float(point), "lo_80": float(lo80), "hi_80": float(hi80),
            "lo_95": float(lo95), "hi_95": float(hi95), "model": model,
            "seasonal_naive": history[(cid, back)][metric],
            "backtest_ratio": None if backtest_ratio is None else float(backtest_ratio),
        })
    return rows


def _mae(pairs) -> float:
    return statistics.fmean(abs(a - b) for a, b in pairs)


def summarise(rows: list[dict]) -> dict:
    short = [r for r in rows if r["horizon"] <= 7]
    by_series = defaultdict(list)
    for r in short:
        by_series[(r["seed"], r["channel_id"], r["metric"])].append(r)
    ratios, true_ratios = [], []
    for group in by_series.values():
        baseline = _mae((r["actual"], r["seasonal_naive"]) for r in group)
        if baseline == 0:
            continue  # a series of zeros (unmonetised revenue)
        ratios.append(_mae((r["actual"], r["point"]) for r in group) / baseline)
        true_ratios.append(_mae((r["true"], r["point"]) for r in group)
                           / _mae((r["true"], r["seasonal_naive"]) for r in group))
    scored = [r for r in rows if not (r["metric"] == "revenue_cents" and r["hi_95"] == 0)]

    def coverage(level, horizon):
        hits = [r[f"lo_{level}"] <= r["actual"] <= r[f"hi_{level}"]
                for r in scored if r["horizon"] <= horizon]
        return round(sum(hits) / len(hits), 3)

    totals = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0])
    for r in rows:
        if r["metric"] == "revenue_cents":
            t = totals[(r["seed"], r["origin"], r["horizon"])]
            t[0] += r["actual"]
            t[1] += r["point"]
            t[2] += (r["point"] - r["lo_80"]) ** 2
            t[3] += (r["hi_80"] - r["point"]) ** 2
    band = [t[1] - math.sqrt(t[2]) <= t[0] <= t[1] + math.sqrt(t[3]) for t in totals.values()]
    worse = {(r["seed"], r["origin"], r["channel_id"], r["metric"]) for r in rows
             if r["backtest_ratio"] is not None and r["backtest_ratio"] > 1}
    models = defaultdict(int)
    for r in rows:
        if r["horizon"] == 1:
            models[r["model"]] += 1
    return {
        "series": len(ratios),
        "median_mae_vs_seasonal_naive_h1_7": round(statistics.median(ratios), 3),
        "median_mae_vs_seasonal_naive_h1_7_against_true_mean": round(
            statistics.median(true_ratios), 3),
        "series_better_than_seasonal_naive": sum(x < 1 for x in ratios),
        "chosen_models_worse_than_seasonal_naive_in_own_backtest": len(worse),
        "coverage_80_h1_7": coverage(80, 7), "coverage_95_h1_7": coverage(95, 7),
        "coverage_80_h1_30": coverage(80, 30), "coverage_95_h1_30": coverage(95, 30),
        "held_out_days_h1_7": sum(r["horizon"] <= 7 for r in scored),
        "total_revenue_band_80_coverage_h1_30": round(sum(band) / len(band), 3),
        "chosen_models": dict(sorted(models.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="2,3,4")
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--json", help="write every scored row and the summary here")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    rows = []
    with local_cluster(flavor="plain") as cluster:
        admin = conninfo.make_conninfo(cluster.dsn, dbname="postgres")
        for seed in seeds:
            seed_rows = evaluate_seed(admin, seed, args.origins)
            print(f"seed {seed}: {json.dumps(summarise(seed_rows))}", flush=True)
            rows += seed_rows
    summary = summarise(rows)
    print("all seeds:", json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"seeds": seeds, "origins": args.origins, "summary": summary,
                       "rows": rows}, f, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
