"""The async write's polling: a job costs about one look once the server's speed is known."""

from __future__ import annotations

from typing import Any

from scdi.connector.sync.send import POLL_FIRST, send

REPORT = {"status": "OK", "validationReport": {"errorReports": []},
          "stats": {"created": 1000, "updated": 0, "deleted": 0, "ignored": 0, "total": 1000}}


class _Server:
    """A job that completes after `runs` seconds of (fake) time, with notification times on the
    server's clock."""

    def __init__(self, runs: float) -> None:
        self.runs, self.clock, self.gets, self.posted_at = runs, 0.0, 0, 0.0

    def sleep(self, seconds: float) -> None:
        self.clock += seconds

    def post(self, path: str, json: Any = None, params: Any = None, *, idempotent: bool = False) -> Any:
        self.posted_at = self.clock
        return {"response": {"id": "Job00000001"}}

    def get(self, path: str, params: Any = None) -> Any:
        self.gets += 1
        if path.endswith("/report"):
            return REPORT
        started = f"2026-01-01T10:00:{self.posted_at:06.3f}"
        if self.clock - self.posted_at < self.runs:
            return [{"time": started, "message": "Import:Start", "completed": False}]
        done = self.posted_at + self.runs
        return [{"time": f"2026-01-01T10:00:{done:06.3f}", "message": "Import complete", "completed": True},
                {"time": started, "message": "Import:Start", "completed": False}]


def test_after_one_job_the_next_is_looked_at_when_it_should_be_done() -> None:
    server = _Server(runs=20.0)
    first = send(server, {"events": []}, objects=1000, sleep=server.sleep)  # type: ignore[arg-type]
    assert first.report.ok and first.finished_at == "2026-01-01T10:00:20.000"
    first_gets = server.gets
    assert first_gets > 4  # 1, 1, 2, 4, 5, 5 … s: the speed was not known yet

    server.clock = server.posted_at = 0.0
    server.gets = 0
    second = send(server, {"events": []}, objects=1000, sleep=server.sleep)  # type: ignore[arg-type]
    assert second.report.ok
    assert server.gets == 2  # one look (done) and the report
    assert server.clock - 20.0 < 20.0 / 10 + POLL_FIRST  # and not much later than needed


def test_a_slower_job_than_expected_is_looked_at_again_soon_not_after_the_whole_wait() -> None:
    server = _Server(runs=10.0)
    send(server, {"events": []}, objects=1000, sleep=server.sleep)  # type: ignore[arg-type]
    server.clock = server.posted_at = 0.0
    server.runs, server.gets = 30.0, 0
    sent = send(server, {"events": []}, objects=1000, sleep=server.sleep)  # type: ignore[arg-type]
    assert sent.report.ok and sent.finished_at == "2026-01-01T10:00:30.000"
    # Looked at after 10 s (the speed learnt), then every 1, 2, 4, 5 s: 7 looks and the report,
    # never more than 5 s (half the expected time here) after the job was done.
    assert server.gets == 8
    assert server.clock - 30.0 <= 5.0


def test_small_batches_are_written_in_the_request_itself() -> None:
    class Sync:
        def import_tracker(self, payload: Any, params: Any) -> Any:
            from scdi.connector.reports import TrackerImportReport
            return TrackerImportReport.from_body(REPORT)

    sent = send(Sync(), {"events": []}, objects=10)  # type: ignore[arg-type]
    assert sent.report.ok and sent.finished_at is None
