"""Development tools: the local stack, the YouTube simulator, the Slack receiver and
test helpers. Never imported by the DAGs, never shipped in the production package."""
