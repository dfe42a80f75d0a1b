"""The public surface: `scdi.connector.__all__` and what the package exports are the same set."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import scdi.connector as connector


def _exported() -> set[str]:
    return {name for name, value in vars(connector).items()
            if not name.startswith("_") and not inspect.ismodule(value)}


def test_all_and_the_exports_match_both_ways() -> None:
    declared = set(connector.__all__)
    assert len(declared) == len(connector.__all__), "a name is listed twice"
    assert declared - {"__version__"} == _exported()
    missing = [name for name in connector.__all__ if not hasattr(connector, name)]
    assert missing == []


def test_the_exports_are_the_library_objects() -> None:
    homes = {"Dhis2Client": "client", "resolve_settings": "config", "ServerSettings": "config",
             "ValidationFailed": "errors", "Finding": "findings", "load_source": "metadata.source",
             "deploy_source": "metadata.deploy", "validate_path": "metadata.validate", "status": "metadata.status",
             "diff_package": "metadata.diff", "run_doctor": "doctor", "provision": "provision.run",
             "read_registry": "provision.registry", "make_plan": "provision.plan", "apply_plan": "provision.apply",
             "read_state": "provision.server", "list_groups": "provision.listing",
             "write_template": "provision.template", "load_contract": "roster.contract",
             "validate_roster": "roster.validate", "write_roster": "roster.write"}
    for name, module in homes.items():
        assert getattr(connector, name) is getattr(importlib.import_module(f"scdi.connector.{module}"), name)


def test_what_a_script_needs_is_there() -> None:
    for name in ("Dhis2Client", "ServerSettings", "resolve_settings", "RetryPolicy", "validate_path",
                 "diff_package", "deploy_source", "status", "run_doctor", "ScdiError", "ValidationFailed",
                 "Finding", "__version__", "provision", "read_registry", "make_plan", "apply_plan", "list_groups",
                 "load_contract", "write_roster", "validate_roster"):
        assert name in connector.__all__


def test_the_surface_imports_on_its_own() -> None:
    # a fresh interpreter, errors first: no import cycle through the package's __init__
    code = "import scdi.connector.errors, scdi.connector as c; print(len(c.__all__))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(connector.__all__)
