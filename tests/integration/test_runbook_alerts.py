"""The YouTube failures that alert through the task-level notifier link their own
runbooks: a `youtube_revenue_attribution` run against the simulator with the fault
injected, and the alert read back from the local Slack receiver's file."""

from __future__ import annotations

import pytest
from revenue_expect import START, run_dag
from test_quality_dag import slack  # noqa: F401 (fixture)
from test_youtube_revenue_dag import dag, sim, wh  # noqa: F401 (fixtures)

from ytempire_dev.slack_receiver import validate_message
from ytempire_dev.testing.runbooks import RUNBOOK_DIR, linked_runbooks, message_text

CONF = {"start_date": "2026-11-12", "end_date": "2026-11-13"}


@pytest.mark.parametrize(("faults", "said", "runbook"), [
    (lambda world: {"quota_endpoints": {"reports"}, "quota_after": 2},
     "YouTube quota exhausted", "quota_exhausted"),
    (lambda world: {"invalid_grant": {world.channels[0].id}},
     "re-authorise the channel (invalid_grant)", "reauthorisation"),
], ids=["quota_exhausted", "reauthorisation"])
def test_youtube_failure_alert_links_its_runbook(dag, sim, wh, slack, faults, said,  # noqa: F811
                                                 runbook):
    sim.configure_faults(**faults(sim.world))
    run_dag(dag, sim, START, CONF)

    [message] = [m for m in slack.messages() if said in m["text"]]
    validate_message(message)
    assert message["text"].startswith(":red_circle: *youtube_revenue_attribution."
                                      "load_channel_revenue* failed")
    [path] = linked_runbooks(message_text(message))
    assert path == RUNBOOK_DIR / f"{runbook}.md" and path.is_file()
