"""Prefect flows and the ``veille`` command line.

Prefect reads its settings when first imported, so the defaults veille needs are set here, before
any flow module imports it. Each is only a default: the operator's environment wins.
"""

import os

# No usage telemetry from an unattended job; its heartbeat also contends for the temporary
# server's SQLite file and prints tracebacks at shutdown.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# One line per task run floods the terminal at 1,000 feeds; veille prints its own summary.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# The temporary server a one-shot run starts is stopped while its event recorder is still
# flushing, and it prints tracebacks that say nothing about veille. `veille serve` runs a real
# server and sets its own level (flows/serve.py).
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
# A first run on a fresh PREFECT_HOME migrates the temporary server's database; on a busy
# 2-core machine that took longer than Prefect's 20 s default and the run failed.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
