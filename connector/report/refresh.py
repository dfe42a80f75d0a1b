"""Run the server's analytics table update and wait for its job
(`POST /api/resourceTables/analytics`, notifications at `/api/system/tasks/ANALYTICS_TABLE/{id}`)."""

from __future__ import annotations

import time
from typing import Any

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ServerError


def refresh_analytics(client: Dhis2Client, *, timeout: float = 600.0, poll: float = 0.2) -> str:
    """Start the analytics tables update and return its job id once the job has completed."""
    answer = client.post("resourceTables/analytics")
    job_id = str(((answer or {}).get("response") or {}).get("id") or "")
    if not job_id:
        raise ServerError("the server did not say which job updates the analytics tables")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notes: Any = client.get(f"system/tasks/ANALYTICS_TABLE/{job_id}")
        if isinstance(notes, list) and notes:
            if any(n.get("level") == "ERROR" for n in notes):
                raise ServerError(f"the analytics table update failed: {notes[0].get('message')}")
            if any(n.get("completed") for n in notes):
                return job_id
        time.sleep(poll)
    raise ServerError(f"the analytics table update did not finish within {timeout:.0f} s")
