"""One package loader: validate and deploy read a package the same way and refuse bad input
the same way (InputError naming the file), whichever command meets it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli
from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.errors import InputError
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.package import default_root
from scdi.connector.metadata.source import load_file, load_folder, load_source
from scdi.connector.metadata.validate import validate_path

METADATA = Path(__file__).resolve().parents[3] / "metadata"


def _not_an_object(tmp_path: Path) -> Path:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    return path


def _not_json(tmp_path: Path) -> Path:
    path = tmp_path / "broken.json"
    path.write_text('{"programs": [', encoding="utf-8")
    return path


def _broken_source_folder(tmp_path: Path) -> Path:
    root = tmp_path / "metadata"
    shutil.copytree(METADATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (root / "src" / "member" / "options.json").write_text("{", encoding="utf-8")
    return root


def _unknown_type_in_a_source_folder(tmp_path: Path) -> Path:
    root = tmp_path / "metadata"
    shutil.copytree(METADATA, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (root / "src" / "member" / "programStage.json").write_text('{"programStage": []}', encoding="utf-8")
    return root


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no-such-package.json"


BAD_INPUTS: dict[str, Callable[[Path], Path]] = {
    "not a JSON object": _not_an_object,
    "not JSON": _not_json,
    "a source file that is not JSON": _broken_source_folder,
    "a source file of an unknown type": _unknown_type_in_a_source_folder,
    "no such path": _missing,
}


@pytest.mark.parametrize("make", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_validate_and_deploy_refuse_the_same_bad_input_the_same_way(tmp_path: Path, make, closed_port: int) -> None:
    bad = make(tmp_path)
    with pytest.raises(InputError) as by_validate:
        validate_path(bad, engines=False)
    # nothing is ever sent: the server is not even there
    settings = ServerSettings(base_url=f"http://127.0.0.1:{closed_port}")
    with Dhis2Client(settings) as client, pytest.raises(InputError) as by_deploy:
        deploy_source(client, load_source(bad))
    assert type(by_validate.value) is type(by_deploy.value)
    assert str(by_validate.value) == str(by_deploy.value)
    assert by_validate.value.exit_code == by_deploy.value.exit_code == 1


@pytest.mark.parametrize("make", [_not_an_object, _not_json, _broken_source_folder], ids=["object", "json", "folder"])
def test_the_cli_says_the_same_for_validate_and_deploy(tmp_path: Path, make, closed_port: int) -> None:
    bad = make(tmp_path)
    env = {"DHIS2_BASE_URL": f"http://127.0.0.1:{closed_port}", "DHIS2_USERNAME": "admin", "DHIS2_PASSWORD": "district",
           "DHIS2_TOKEN": ""}
    runner = CliRunner()
    validated = runner.invoke(cli, ["metadata", "validate", str(bad), "--no-engines"], env=env)
    deployed = runner.invoke(cli, ["metadata", "deploy", "--package", str(bad)], env=env)
    assert validated.exit_code == deployed.exit_code == 1
    assert validated.output == deployed.output
    assert validated.output.startswith("Error: ") and len(validated.output.splitlines()) == 1


def test_a_folder_brings_what_travels_with_the_package() -> None:
    source = load_folder(METADATA)
    assert source.root == str(METADATA) and source.strict is True
    assert source.default_file == "package.json"
    assert source.source_files and source.dependencies and source.android_settings
    assert source.rule_tests and all(Path(p).parent.name == "rule-tests" for p in source.rule_tests)
    assert load_source().package == source.package  # the installed package is the same sources
    assert Path(str(default_root())).resolve() == METADATA.resolve()


def test_a_file_names_itself_and_brings_its_neighbours(tmp_path: Path) -> None:
    import json

    folder = load_folder(METADATA)
    path = tmp_path / "pkg.json"
    path.write_text(json.dumps(folder.package), encoding="utf-8")
    shutil.copy(METADATA / "dependencies.json", tmp_path / "dependencies.json")
    source = load_file(path)
    assert (source.default_file, source.root, source.strict, source.rule_tests) == ("pkg.json", None, None, None)
    assert source.dependencies.keys() == folder.dependencies.keys()
    assert source.android_settings == {}
    assert load_source(path) == source
