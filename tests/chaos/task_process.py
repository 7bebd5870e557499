"""A task process the chaos suite SIGKILLs: it opens a warehouse session as the bundle
does (ytempire.warehouse.session_options), takes row locks in a transaction, says
`ready`, then either runs a long statement or waits idle in its transaction.

    python task_process.py DSN statement|idle
"""

import sys
import time

import psycopg

from ytempire import warehouse

dsn, where = sys.argv[1], sys.argv[2]
conn = psycopg.connect(dsn, options=warehouse.session_options())
conn.execute("update analytics.dim_channel set channel_name = channel_name || ' (locked)'")
print("ready", conn.info.backend_pid, flush=True)
if where == "statement":
    conn.execute("select pg_sleep(600)")
else:
    time.sleep(600)
