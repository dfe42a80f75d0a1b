"""The object reference in metadata/README.md matches the package."""

from __future__ import annotations

import re
from typing import Any

from .conftest import REPO_METADATA, top_level

ROW = re.compile(r"^\| `(SCDI_[0-9A-Z_]+)` \| `([A-Za-z0-9]{11})` \|", re.MULTILINE)


def test_readme_codes_and_uids_match_the_package(package: dict[str, Any]) -> None:
    readme = (REPO_METADATA / "README.md").read_text(encoding="utf-8")
    rows = ROW.findall(readme)
    assert len(rows) > 100
    pairs = {(obj["code"], obj["id"]) for _, obj in top_level(package)}
    wrong = [row for row in rows if row not in pairs]
    assert not wrong, wrong
    programs_and_stages = {(o["code"], o["id"]) for o in package["programs"] + package["programStages"]}
    assert programs_and_stages <= set(rows), "every program and stage is listed"
    # Every object with a code is listed, except options (listed by suffix under their option
    # set) and the actions and variables of 1.0.0's rules (named after their rule).
    listed = set(rows)
    unlisted = [f"{t} {o['code']}" for t, o in top_level(package)
                if o.get("code") and (o["code"], o["id"]) not in listed
                and t not in ("options", "programRuleActions", "programRuleVariables")]
    assert not unlisted, unlisted
