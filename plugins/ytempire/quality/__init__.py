"""Data-quality checks of the warehouse and their Slack alerts (analytics_quality_checks).

- `checks`: the checks and check classes, as data.
- `alerts`: which classes fail, where the branch goes, whether a message is due (pure).
- `messages`: Slack Block Kit messages within Slack's limits (pure).
- `runner`: what the DAG's tasks do against the warehouse and Slack.

The row-level checks run through the common-sql check operators with their results
recorded (`ytempire.airflow.integrity_check`).
"""
