"""The rule engine's answers kept for the day, so an unchanged record is judged once.

DHIS2's rule engine is most of a roster's validation time (about 0.4 ms of Node CPU for the
smallest enrollment, several times the raw read of the file on its own), and a sync validates
the whole file again each run to find the rows that changed. An evaluation is a pure function
of its job: the rules, variables and constants, the records' values and dates, and the day the
engine takes for today (`V{current_date}`, and the date the engine stamps on attribute and
environment values, which `d2:lastEventDate` reads: rule-engine.js `currentDate`). So the
answer to a job is kept under a digest of everything the engine reads, with the day in it, and
reused for an identical job, which makes a kept answer the engine's own and never a guess:
- the job's id and the record uids the roster invents for it (`n12`, `e345`, numbered in file
  order, so an inserted row renumbers every later job) are replaced by their place in the job
  before the digest and put back on the way out;
- the digest also covers the engine (the bridge's text and the rule-engine package's
  version), so an upgrade judges everything again;
- only answers the engine gave without failing are kept, and only for the day they were made:
  a store keeps one day's answers and drops the others when it is written.

The store is the group's ledger in a sync (`Ledger.verdicts`); `scdi roster validate` on its own
keeps none.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any, Protocol

from scdi.upstream.engines import BRIDGE


class VerdictStore(Protocol):
    def verdicts(self, keys: list[str]) -> dict[str, str]:
        """The kept answers (JSON text) of those keys that have one."""
        ...

    def keep_verdicts(self, day: str, items: list[tuple[str, str]]) -> None:
        """Keep (key, answer JSON) pairs of `day`; answers of other days may be dropped."""
        ...


@lru_cache(maxsize=4)
def engine_fingerprint(modules: str) -> str:
    from pathlib import Path

    digest = hashlib.sha256(BRIDGE.read_bytes())
    package = Path(modules) / "@dhis2" / "rule-engine" / "package.json"
    try:
        digest.update(str(json.loads(package.read_text("utf-8")).get("version")).encode())
    except (OSError, ValueError):
        digest.update(b"unknown")
    return digest.hexdigest()


def canonical(job: dict[str, Any], fingerprint: str) -> tuple[str, dict[str, str]]:
    """The job's digest, and its record uids mapped to their canonical names."""
    names: dict[str, str] = {}
    same = {k: v for k, v in job.items() if k not in ("id", "enrollment", "events")}
    enrollment = job.get("enrollment")
    if enrollment is not None:
        names[str(enrollment.get("uid"))] = "N"
        same["enrollment"] = {**enrollment, "uid": "N"}
    events = []
    for i, event in enumerate(job.get("events") or []):
        name = names[str(event.get("uid"))] = f"E{i}"
        events.append({**event, "uid": name})
    same["events"] = events
    text = json.dumps(same, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((fingerprint + "\n" + text).encode("utf-8")).hexdigest(), names


def renamed(answer: dict[str, Any], names: dict[str, str], job_id: str) -> dict[str, Any]:
    """The answer with its record uids renamed through `names` and the job id set."""
    effects = [{**e, "trackerObjectUid": names.get(str(e.get("trackerObjectUid")), e.get("trackerObjectUid"))}
               for e in answer.get("effects") or []]
    return {**answer, "id": job_id, "effects": effects}


def keepable(answer: dict[str, Any]) -> bool:
    """An answer worth keeping: the engine judged the job without a failure of its own."""
    return bool(answer.get("ok")) and not answer.get("engineErrors") and not any(
        e.get("type") == "ERROR" for e in answer.get("effects") or [])
