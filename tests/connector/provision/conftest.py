"""Fixtures for provisioning: the sandbox's seeded trees as in-memory `Tree`s, and packaged choices."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scdi.connector.provision.names import province_table
from scdi.connector.provision.plan import derive_uid
from scdi.connector.provision.tree import OrgUnit, Tree, classify_levels
from tests.connector.provision.synthetic_registry import TREES


def tree_from_seed(name: str, *, level_names: bool = True) -> Tree:
    """The seeded tree as a server would answer it (UIDs derived from codes here, not the sandbox's)."""
    document = json.loads((TREES / f"vn_tree_{name}.json").read_text(encoding="utf-8"))
    raw: list[dict[str, Any]] = document["organisationUnits"]
    uid = {u["code"]: derive_uid("test-ou", u["code"]) for u in raw}
    by_code = {u["code"]: u for u in raw}
    units = []
    for unit in raw:
        chain = [unit["code"]]
        while by_code[chain[0]].get("parent"):
            chain.insert(0, by_code[chain[0]]["parent"])
        units.append(OrgUnit(uid=uid[unit["code"]], code=unit["code"], name=unit["name"],
                             short_name=unit.get("shortName"), level=len(chain),
                             path=tuple(uid[c] for c in chain),
                             parent=uid[unit["parent"]] if unit.get("parent") else None, opening_date="1975-01-01"))
    names = {i + 1: n for i, n in enumerate(document["levels"])} if level_names else {}
    source = "organisationUnitLevels" if level_names else "unit names (the server has no /api/organisationUnitLevels)"
    return Tree(units, classify_levels(names, units, province_table(), source))


@pytest.fixture(scope="session")
def current_tree() -> Tree:
    return tree_from_seed("current")


@pytest.fixture(scope="session")
def legacy_tree() -> Tree:
    return tree_from_seed("legacy")
