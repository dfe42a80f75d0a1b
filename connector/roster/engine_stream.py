"""One Node process judging a roster's rule jobs as they are sent (the bridge's `--lines` mode).

`rules.py` names the process (the bridge, and Node as the connector's engine module finds
it); this module only runs it.

`rules.py` sends jobs while the roster is still read and planned, so on a machine with two
cores DHIS2's rule engine works alongside the reader instead of after it, and its slow first
thousand evaluations (before V8 has compiled the engine) are spent while Python reads. Jobs go
one JSON line each to the bridge's stdin through a writer thread (the engine reads as fast as
it judges, so a write can wait long on the full pipe), threads drain its stdout and stderr so
that neither side ever waits on the other; `answers` closes stdin and returns every answer by
job id.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import IO, Any

from scdi.connector.errors import EngineUnavailable

TIMEOUT_BASE, TIMEOUT_PER_JOB = 120.0, 0.05


def _drain(stream: IO[bytes], keep: Callable[[bytes], None]) -> None:
    for line in stream:
        keep(line)


def _feed(stream: IO[bytes], chunks: queue.Queue[bytes | None], broken: list[OSError]) -> None:
    try:
        while (chunk := chunks.get()) is not None:
            stream.write(chunk)
            stream.flush()
        stream.close()
    except OSError as exc:  # the process ended early: its exit code and stderr say why
        broken.append(exc)


class EngineStream:
    """Started on the first `send` with `command()` (its arguments and environment), so a file
    with nothing to judge never starts Node; `close` ends a process that is still running."""

    def __init__(self, command: Callable[[], tuple[list[str], dict[str, str]]]) -> None:
        self.command = command
        self.process: subprocess.Popen[bytes] | None = None
        self.lines: list[bytes] = []
        self.errors: deque[bytes] = deque(maxlen=20)
        self.sent = 0
        self._threads: list[threading.Thread] = []
        self._chunks: queue.Queue[bytes | None] = queue.Queue()
        self._broken: list[OSError] = []

    def _start(self) -> subprocess.Popen[bytes]:
        argv, env = self.command()
        try:
            process = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as exc:
            raise EngineUnavailable(f"could not start Node.js: {exc}") from exc
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        self._threads = [threading.Thread(target=_drain, args=(process.stdout, self.lines.append), daemon=True),
                         threading.Thread(target=_drain, args=(process.stderr, self.errors.append), daemon=True),
                         threading.Thread(target=_feed, args=(process.stdin, self._chunks, self._broken), daemon=True)]
        for thread in self._threads:
            thread.start()
        self.process = process
        return process

    def send(self, jobs: Iterable[dict[str, Any]]) -> None:
        data = b"".join(json.dumps(job, separators=(",", ":")).encode("utf-8") + b"\n" for job in jobs)
        if not data:
            return
        if self.process is None:
            self._start()
        self._chunks.put(data)
        self.sent += data.count(b"\n")

    def answers(self) -> dict[str, dict[str, Any]]:
        """Every answer by job id, once each job sent is answered."""
        process = self.process
        if process is None:
            return {}
        self._chunks.put(None)  # the writer closes stdin: the bridge ends after the last answer
        timeout = TIMEOUT_BASE + TIMEOUT_PER_JOB * self.sent
        self._threads[0].join(timeout)
        if self._threads[0].is_alive():
            self.close()
            raise EngineUnavailable(f"the DHIS2 rule engine did not answer within {timeout:.0f} s",
                                    hint="Validate a smaller roster, or run again with --no-engines.")
        process.wait()
        self._threads[1].join(5)
        self._threads[2].join(5)
        if process.returncode != 0 or self._broken:
            raise self._failed(process)
        try:
            answers = [json.loads(line) for line in self.lines if line.strip()]
            by_id = {str(a["id"]): a for a in answers}
        except (ValueError, KeyError, TypeError) as exc:
            raise EngineUnavailable(f"the DHIS2 rule engine answered something unreadable: {exc}") from exc
        if len(by_id) != self.sent:
            raise EngineUnavailable(f"the DHIS2 rule engine answered {len(by_id)} of {self.sent} jobs")
        return by_id

    def close(self) -> None:
        self._chunks.put(None)
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _failed(self, process: subprocess.Popen[bytes]) -> EngineUnavailable:
        self._threads[1].join(5)
        tail = b"".join(self.errors).decode("utf-8", "replace").strip().splitlines()[-3:]
        return EngineUnavailable("the DHIS2 rule engine failed: " + (" | ".join(tail) or f"exit {process.returncode}"))
