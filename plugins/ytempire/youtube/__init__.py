"""The YouTube loads, along the data flow (docs/design.md has the module map):

- `channels`: the plan, the active channels in batches;
- `runner`: the channel-batch runner every load runs under (connection, API client,
  uploads sync, step names, failure policy, row accounting);
- `client`: a channel's authorised access to the Data and Analytics APIs;
- `uploads`, `hourly`, `revenue`: the loads, each `fetch` -> `parse` -> `write`;
- `summary`: a run's totals over its mapped load tasks.
"""
