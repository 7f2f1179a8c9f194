"""Drive the poll under kill -9, for tests/test_crash_poll.py (run as a subprocess).

    python -m tests.support.crash_poll_driver CONFIG RUNS MAX_DELAY SEED

Imports everything and loads the detector once, then forks one child per run: each child runs
the real poll (``run_poll``, tasks called in threads without Prefect's bookkeeping, which is not
where veille keeps its state) and is killed with SIGKILL after a random delay. A last child runs
to completion. Prints one line per run: ``killed``/``finished`` and the delay, then
``final <exit code> <seconds>``.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time


def main() -> None:
    config_path, runs, max_delay, seed = (
        sys.argv[1],
        int(sys.argv[2]),
        float(sys.argv[3]),
        int(sys.argv[4]),
    )
    from config.settings import load_config
    from flows.poll import plain_map, run_poll
    from tasks.detect import detect_article

    detect_article("Amazon", "Amazon a approché Lidl, selon la direction.", "fr")  # warm spaCy
    config = load_config(config_path)
    rng = random.Random(seed)

    def child() -> None:
        try:
            run_poll(config, mapper=plain_map(4))
        finally:
            os._exit(0)

    for _ in range(runs):
        pid = os.fork()
        if pid == 0:
            child()
        delay = rng.uniform(0.0, max_delay)
        deadline = time.monotonic() + delay
        finished = False
        while time.monotonic() < deadline:  # the random kill point is the point of the test
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                finished = True
                break
            time.sleep(0.01)
        if not finished:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        print(f"{'finished' if finished else 'killed'} {delay:.3f}", flush=True)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        child()
    _, status = os.waitpid(pid, 0)
    print(f"final {os.waitstatus_to_exitcode(status)} {time.monotonic() - started:.3f}", flush=True)


if __name__ == "__main__":
    main()
