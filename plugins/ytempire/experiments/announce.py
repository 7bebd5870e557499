"""One Slack message per concluded experiment, once its final variant is live."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from ytempire import slack
from ytempire.experiments.registry import run_sql
from ytempire.warehouse import sql_file

METRIC_NAMES = {"ctr": "click-through rate", "views_per_hour": "views per hour"}


def message(row: dict) -> str:
    what = (f"title {row['challenger_title']!r} against {row['original_title']!r}"
            if row["kind"] == "title" else "a new thumbnail against the original")
    head = f"*Experiment {row['experiment_id']}* on video `{row['video_id']}`: {what}"
    if row["effect"] is None:
        return f"{head}\nNo complete pair of blocks: nothing measured, the original stays."
    verdict = (f"winner: variant {row['winner_variant']} "
               f"({'the challenger' if row['winner_variant'] else 'the original'}), now live"
               if row["winner_variant"] is not None
               else f"no winner at alpha {row['alpha']:g}: the original stays")
    return (f"{head}\n{METRIC_NAMES[row['metric']]} {row['effect']:+.1%} "
            f"(interval {row['ci_low']:+.1%} to {row['ci_high']:+.1%}, "
            f"p = {row['p_value']:.3f}, {row['blocks_used']} of {row['blocks']} blocks used)"
            f"\n{verdict}")


def announce(conn: psycopg.Connection, at: datetime) -> list[int]:
    """Post each result, then mark it announced (a failed post is retried next run); no
    transaction is open while Slack is called."""
    conn.autocommit = True
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql_file("experiments/to_announce.sql")).fetchall()
    done = []
    for row in rows:
        slack.send(message(row))
        with conn.transaction():
            run_sql(conn, "announce_done", {"experiment_id": row["experiment_id"], "at": at})
        done.append(row["experiment_id"])
    return done
