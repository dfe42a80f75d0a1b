"""The distribution installs as `scdi.*` and carries the metadata package in both install modes.

Package data in a folder mapped by `package_dir` is easy to lose in editable installs; this
builds both kinds into scratch virtual environments (reusing this environment's packages) and
asks each for the metadata folder, and for the Node bridge to DHIS2's engines and the
node_modules it runs with.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import scdi.metadata, scdi.connector, scdi.cli, scdi.sandbox, scdi.upstream
root = scdi.metadata.root()
import os
names = sorted(
    os.path.relpath(os.path.join(folder, f), str(root))
    for folder, _, files in os.walk(str(root)) if "__pycache__" not in folder for f in files
)
print(json.dumps({"root": str(root), "names": names, "readme": root.joinpath("__init__.py").is_file()}))
try:
    import cli  # noqa: F401
    print("GENERIC-CLI-IMPORTABLE")
except ImportError:
    pass
"""


ENGINE_PROBE = """
import json
from scdi.upstream import engines
out = {"bridge": str(engines.BRIDGE), "shipped": engines.BRIDGE.is_file()}
try:
    out["node_modules"] = str(engines.find_node_modules())
    job = engines.ExpressionJob(id="x", expression="1 + 1", mode=engines.RULE_CONDITION)
    out["ran"] = engines.run_engines([job]).expression("x").ok
except engines.EngineUnavailable as exc:
    out["unavailable"] = exc.message
print(json.dumps(out))
"""
NODE_MODULES = ROOT / "node_modules"
NODE = shutil.which("node")


@dataclass(frozen=True)
class Installed:
    editable: bool
    python: Path
    env: dict[str, str]
    folder: Path


@pytest.fixture(scope="module", params=[False, True], ids=["pip install .", "pip install -e ."])
def installed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """One scratch install per mode, shared by the tests that probe it."""
    editable: bool = request.param
    folder = tmp_path_factory.mktemp("editable" if editable else "wheel")
    python, env = _installed(folder, editable)
    return Installed(editable, python, env, folder)


def _run(python: Path, script: str, *, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run([str(python), "-c", script], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


# What a build leaves in the folder it builds from (setuptools' build/ and egg-info), and the
# local environments, none of which is the project's source.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "node_modules", ".typecheck", "build", "dist", "*.egg-info",
                                    "__pycache__", ".hypothesis", ".mypy_cache", ".ruff_cache", ".pytest_cache")


def _source_copy(target: Path) -> Path:
    """The repository's files in a scratch folder, for the wheel: setuptools builds in the folder it
    is given (build/, egg-info), which must not be the repository while other tests run beside this
    one, and files left in build/ by an earlier build must not reach the wheel."""
    shutil.copytree(ROOT, target, ignore=NOT_SOURCE, symlinks=True)
    return target


def _installed(tmp_path: Path, editable: bool) -> tuple[Path, dict[str, str]]:
    env_dir = tmp_path / ("editable" if editable else "wheel")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # Borrow pip, setuptools and the dependencies from the test environment without its own
    # scdi install: a path added by a .pth file has its own .pth files (the editable finder)
    # ignored, and comes after the scratch site-packages.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parent = sysconfig.get_paths()["purelib"]
    Path(site, "borrowed.pth").write_text(parent + "\n")
    args = [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    args += ["-e", str(ROOT)] if editable else [str(_source_copy(tmp_path / "source"))]
    # pip lives in the parent environment; run it with the scratch interpreter.
    env = {"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    installed = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stderr[-2000:]
    return python, env


@pytest.mark.install
def test_metadata_package_is_found_after_install(installed: Installed) -> None:
    import json

    editable = installed.editable
    out = _run(installed.python, PROBE, cwd=installed.folder, env=installed.env)
    lines = out.strip().splitlines()
    found = json.loads(lines[0])
    assert found["readme"]
    assert "GENERIC-CLI-IMPORTABLE" not in out  # nothing generic lands in site-packages
    if editable:
        assert Path(found["root"]) == ROOT / "metadata"
    else:
        assert "site-packages" in found["root"]
        source = ROOT / "metadata"
        source_files = {
            str(p.relative_to(source)) for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        }
        # every metadata source file travels inside the wheel
        assert source_files <= set(found["names"]), sorted(source_files - set(found["names"]))


@pytest.mark.install
@pytest.mark.skipif(NODE is None or not (NODE_MODULES / "@dhis2" / "rule-engine").is_dir(),
                    reason="needs Node.js and `npm ci` in the repository")
def test_the_engine_bridge_is_shipped_and_finds_node_modules(installed: Installed, tmp_path: Path) -> None:
    import json

    editable, python = installed.editable, installed.python
    env = {**installed.env, "SCDI_NODE": str(NODE)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = json.loads(_run(python, ENGINE_PROBE, cwd=elsewhere, env=env))
    assert found["shipped"], found
    if editable:
        # the bridge stays in the repository, and node_modules is found by walking up from it
        assert Path(found["bridge"]) == ROOT / "upstream" / "node" / "bridge.cjs"
        assert Path(found["node_modules"]) == NODE_MODULES and found["ran"], found
    else:
        assert "site-packages" in found["bridge"]
        assert "unavailable" in found, found  # nothing above site-packages or this folder
        # a project folder holding node_modules, run from inside it
        project = tmp_path / "project"
        (project / "work").mkdir(parents=True)
        (project / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
        from_project = json.loads(_run(python, ENGINE_PROBE, cwd=project / "work", env=env))
        assert from_project["ran"], from_project
        # or named by SCDI_NODE_MODULES
        named_env = {**env, "SCDI_NODE_MODULES": str(NODE_MODULES)}
        named = json.loads(_run(python, ENGINE_PROBE, cwd=elsewhere, env=named_env))
        assert Path(named["node_modules"]) == NODE_MODULES and named["ran"], named


def test_python_is_new_enough() -> None:
    assert sys.version_info >= (3, 11)
