"""Scheduled jobs run in one process at a time, whatever the process count."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from slackbot.store.db import Store
from slackbot.store.job_leases import JobLeases

ROOT = Path(__file__).resolve().parents[1]

PROCESS = textwrap.dedent(
    """
    import os, sys, time
    from slackbot.jobs.scheduler import _leased
    from slackbot.store.db import Store
    from slackbot.store.job_leases import JobLeases

    database, log, hang = sys.argv[1], sys.argv[2], sys.argv[3] == "hang"
    store = Store(database)
    store.migrate()

    def job():
        with open(log, "a") as out:
            out.write(f"{os.getpid()}\\n")
        time.sleep(600 if hang else 0.3)

    print("ready", flush=True)
    sys.stdin.readline()
    run = _leased(JobLeases(store), "reconcile_reactions", job, 60)
    for _ in range(5):  # the job's timer fires five times in each process
        run()
        time.sleep(0.1)
    """
)


def start(database: Path, log: Path, *, hang: bool = False) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", PROCESS, str(database), str(log), "hang" if hang else "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def go(*processes: subprocess.Popen[str]) -> None:
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()


def test_two_processes_run_a_scheduled_job_once_per_interval(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.db", tmp_path / "runs.log"
    processes = [start(database, log), start(database, log)]
    go(*processes)
    for process in processes:
        assert process.wait(timeout=30) == 0
    assert len(log.read_text().split()) == 1


def test_a_job_held_by_a_killed_process_is_taken_at_once(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.db", tmp_path / "runs.log"
    hung = start(database, log, hang=True)
    go(hung)
    store = Store(database)
    store.migrate()
    leases = JobLeases(store)
    for _ in range(100):
        if leases.holder("reconcile_reactions") == f"{_host()}:{hung.pid}":
            break
        __import__("time").sleep(0.05)
    assert not leases.take("reconcile_reactions")  # a live holder keeps it
    hung.kill()
    hung.wait()
    assert leases.take("reconcile_reactions")  # a dead one does not


def _host() -> str:
    import socket

    return socket.gethostname()


def test_processes_starting_together_on_a_new_database_all_start(tmp_path: Path) -> None:
    """Switching a new file to WAL fails at once ("database is locked") for all but one of
    the processes asking together, unless they wait their turn."""
    database = tmp_path / "new.db"
    opener = (
        "import sys\n"
        "from slackbot.store.db import Store\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "for n in range(20):\n"
        "    Store(f'{sys.argv[1]}.{n}').migrate()\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", opener, str(database)],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    go(*processes)
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 4, errors
