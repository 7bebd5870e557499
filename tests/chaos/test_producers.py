"""Other systems re-sending their inputs: a cost and a partner payment sent again (the
producer lost the commit acknowledgement, then corrected an amount) are upserts on
their external_ref, and the revenue load attributes each once. Ends as every scenario
does: the result equals a clean run of the same inputs, and another re-send changes
nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from test_youtube_revenue_spread import CH, given_channels, hourly, reattribute

from ytempire.warehouse import sql_file

from .conftest import session, tables

DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 20, tzinfo=UTC)  # noon in Los Angeles


def send_costs(conn, costs: list[tuple[str, str, int]]) -> int:
    """(external_ref, video_id, cents): what the content system sends."""
    return conn.execute(sql_file("local_stack/write_costs.sql"), {
        "source": "content-system", "refs": [r for r, _, _ in costs],
        "video_ids": [v for _, v, _ in costs], "channel_ids": [CH for _ in costs],
        "cost_types": ["ai_generation" for _ in costs], "cents": [c for _, _, c in costs],
        "times": [AT for _ in costs]}).rowcount


def send_payments(conn, payments: list[tuple[str, str, int]]) -> int:
    return conn.execute(sql_file("local_stack/write_payments.sql"), {
        "source": "partner", "refs": [r for r, _, _ in payments],
        "video_ids": [v for _, v, _ in payments], "days": [DAY for _ in payments],
        "kinds": ["sponsorship" for _ in payments], "cents": [c for _, _, c in payments]}).rowcount


COSTS = [("cost-1", "vidA", 45), ("cost-2", "vidB", 50)]
PAYMENTS = [("pay-1", "vidA", 2000)]
CORRECTED_COSTS = [("cost-1", "vidA", 47), ("cost-2", "vidB", 50)]


def given(conn):
    given_channels(conn)
    hourly(conn, "vidA", [(AT, 10)])
    hourly(conn, "vidB", [(AT, 30)])


def test_a_cost_and_a_payment_sent_again_are_one_row_each(dsn, clean_dsn):
    with session(dsn) as conn:
        given(conn)
        assert (send_costs(conn, COSTS), send_payments(conn, PAYMENTS)) == (2, 1)
        # The acknowledgement was lost: the producer sends the same again.
        assert (send_costs(conn, COSTS), send_payments(conn, PAYMENTS)) == (0, 0)
        assert send_costs(conn, CORRECTED_COSTS) == 1  # a correction updates its row
        reattribute(conn, DAY)
        sent = tables(conn)
        attributed = conn.execute(
            "select sum(ai_cost_cents), sum(sponsorship_revenue_cents) "
            "from analytics.revenue_attribution where revenue_date = %s", (DAY,)).fetchone()
        assert attributed == (47 + 50, 2000)
        assert conn.execute("select count(*) from analytics.cost_tracking").fetchone() == (2,)
        # Once more: nothing changes.
        assert (send_costs(conn, CORRECTED_COSTS), send_payments(conn, PAYMENTS)) == (0, 0)
        reattribute(conn, DAY)
        assert tables(conn) == sent
    with session(clean_dsn) as clean:
        given(clean)
        send_costs(clean, CORRECTED_COSTS)
        send_payments(clean, PAYMENTS)
        reattribute(clean, DAY)
        assert tables(clean) == sent
