"""The distribution installs as `scdi.*` and carries the metadata package in both install modes.

Package data in a folder mapped by `package_dir` is easy to lose in editable installs; this
builds both kinds into scratch virtual environments (reusing this environment's packages) and
asks each for the metadata folder.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
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


def _install(tmp_path: Path, editable: bool) -> str:
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
    args += ["-e", str(ROOT)] if editable else [str(ROOT)]
    # pip lives in the parent environment; run it with the scratch interpreter.
    env = {"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    installed = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stderr[-2000:]
    result = subprocess.run([str(python), "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.install
@pytest.mark.parametrize("editable", [False, True], ids=["pip install .", "pip install -e ."])
def test_metadata_package_is_found_after_install(tmp_path: Path, editable: bool) -> None:
    import json

    out = _install(tmp_path, editable)
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


def test_python_is_new_enough() -> None:
    assert sys.version_info >= (3, 11)
