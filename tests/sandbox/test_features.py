"""Every package of the sandbox is a feature the server serves: a `feature.py` declaring its
`FEATURE`, listed in `scdi.sandbox.server.FEATURES` (the one place routes and tables come from)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from scdi.sandbox import server
from scdi.sandbox.core.feature import Feature

SANDBOX = Path(__file__).resolve().parents[2] / "sandbox"


def feature_packages() -> list[str]:
    return sorted(p.parent.name for p in SANDBOX.glob("*/__init__.py"))


def test_every_package_declares_a_served_feature():
    assert "core" in feature_packages()
    for package in feature_packages():
        assert (SANDBOX / package / "feature.py").exists(), f"sandbox/{package} has no feature.py"
        declared = importlib.import_module(f"scdi.sandbox.{package}.feature").FEATURE
        assert isinstance(declared, Feature)
        assert declared in server.FEATURES, f"sandbox/{package}: FEATURE not in server.FEATURES"
    assert len(server.FEATURES) == len(feature_packages())


def test_every_route_and_table_comes_from_a_feature(sandbox):
    served = {(rule.rule, frozenset(rule.methods or ())) for rule in sandbox.app.url_map.iter_rules()}
    declared = {(rule.rule, frozenset(rule.methods or ())) for feature in server.FEATURES
                for rule in feature.rules}
    assert served == declared
    tables = {row[0] for row in sandbox.store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    for feature in server.FEATURES:
        for ddl in feature.tables:
            for line in ddl.splitlines():
                if line.startswith("CREATE TABLE IF NOT EXISTS "):
                    assert line.split()[5] in tables


def test_every_module_is_named_in_the_readme_layout():
    """The README's Layout table names each module in its package's row, so a reader finds
    where a behaviour lives (and no row names a module that is gone)."""
    readme = (SANDBOX / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Seeded data")]
    rows = {line.split("|")[1].strip().strip("`"): line for line in layout.splitlines()
            if line.startswith("| `")}
    for path in sorted(SANDBOX.glob("*/**/*.py")):
        if path.name in ("__init__.py", "feature.py"):
            continue
        package, *rest = path.relative_to(SANDBOX).parts
        row = rows.get(f"{package}/", "")
        assert f"`{path.name}`" in row or f"`{'/'.join(rest)}`" in row, \
            f"sandbox/{path.relative_to(SANDBOX)} is not named in the README's Layout row of {package}/"
    for row in rows.values():
        for name in re.findall(r"`([a-z_/]+\.py)`", row.split("|")[3]):
            assert list(SANDBOX.glob(f"**/{name}")), f"the README's Layout names {name}, which is gone"


def test_every_release_field_is_named_in_the_readme():
    """A difference between releases lives in a field of `Release`; the README's version
    paragraph names each, so a reader of a behaviour finds the switch behind it."""
    from dataclasses import fields

    from scdi.upstream.releases import Release

    readme = (SANDBOX / "README.md").read_text(encoding="utf-8")
    start = readme.index("Version differences come only from fields")
    paragraph = readme[start:readme.index("\n\n", start)]
    missing = [f.name for f in fields(Release) if f"`{f.name}`" not in paragraph]
    assert missing == [], f"Release fields not named in sandbox/README.md's version paragraph: {missing}"
