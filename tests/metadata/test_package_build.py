"""The build: determinism, layout of the output, and the errors it raises on bad sources."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.errors import InputError
from scdi.connector.metadata.package import (
    TYPE_ORDER,
    build_package,
    canonical_source_text,
    dump_package,
    load_sources,
    read_source_files,
    write_package,
)

from .conftest import REPO_METADATA


def test_same_sources_give_byte_identical_output(package: dict[str, Any]) -> None:
    first = dump_package(build_package())
    second = dump_package(build_package(REPO_METADATA))
    assert first == second
    assert dump_package(package) == first


def test_dump_does_not_depend_on_input_order(package: dict[str, Any]) -> None:
    shuffled: dict[str, Any] = {}
    keys = list(package)
    random.Random(7).shuffle(keys)
    for key in keys:
        value = package[key]
        if isinstance(value, list):
            value = [dict(reversed(list(obj.items()))) for obj in reversed(value)]
        shuffled[key] = value
    assert dump_package(shuffled) == dump_package(package)


def test_output_layout(package: dict[str, Any]) -> None:
    text = dump_package(package)
    loaded = json.loads(text)
    keys = list(loaded)
    assert keys[0] == "package"
    assert keys[1:] == [t for t in TYPE_ORDER if t in loaded]
    for type_name in keys[1:]:
        ids = [obj["id"] for obj in loaded[type_name]]
        assert ids == sorted(ids), type_name
        for obj in loaded[type_name]:
            assert list(obj) == sorted(obj), obj["id"]
    assert text.endswith("}\n") and '\n  "package": {' in text
    assert "Tham gia sinh hoạt nhóm" in text  # Vietnamese stays readable, not \u-escaped


def test_package_block(package: dict[str, Any]) -> None:
    block = package["package"]
    assert block["code"] == "SCDI_GROUPS"
    assert block["version"] == "1.1.0"
    assert block["DHIS2Version"] == "2.41"
    assert block["locale"] == "en"
    assert block["type"] == "TRK"
    assert block["name"] and block["description"]


def test_every_source_file_is_in_canonical_form() -> None:
    for source in read_source_files(REPO_METADATA):
        text = (REPO_METADATA / source.path).read_text(encoding="utf-8")
        assert text == canonical_source_text(source.type, source.objects), (
            f"{source.path} is not canonical: run scripts/metadata_uids.py"
        )


def test_load_sources_merges_areas() -> None:
    merged = load_sources(REPO_METADATA)
    files = read_source_files(REPO_METADATA)
    for type_name, objects in merged.items():
        assert len(objects) == sum(len(f.objects) for f in files if f.type == type_name)
    assert {f.path.split("/")[1] for f in files} >= {"common", "member", "group", "outreach", "targets"}


def test_write_package(tmp_path: Path, package: dict[str, Any]) -> None:
    target = tmp_path / "out" / "pkg.json"
    result = write_package(target)
    assert Path(result.path) == target
    assert target.read_text(encoding="utf-8") == dump_package(package)
    assert result.version == "1.1.0"
    assert result.objects["programs"] == 3
    import hashlib

    assert result.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()


def test_write_package_default_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = write_package()
    assert Path(result.path) == Path("build") / "scdi-groups-1.1.0.json"
    assert (tmp_path / "build" / "scdi-groups-1.1.0.json").is_file()


# --- refused sources ---------------------------------------------------------------------


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def test_duplicate_uid_across_files_names_both_files(sources_copy: Path) -> None:
    member_des = _read(sources_copy / "src/member/dataElements.json")
    stolen = dict(member_des["dataElements"][0])
    stolen["code"] = "SCDI_COPY"
    group_file = sources_copy / "src/group/dataElements.json"
    group_des = _read(group_file)
    group_des["dataElements"].append(stolen)
    _write(group_file, group_des)
    with pytest.raises(InputError) as caught:
        build_package(sources_copy)
    message = str(caught.value)
    assert stolen["id"] in message
    assert "src/member/dataElements.json" in message and "src/group/dataElements.json" in message


def test_duplicate_uid_of_an_embedded_object_is_refused(sources_copy: Path) -> None:
    stages_file = sources_copy / "src/member/programStages.json"
    stages = _read(stages_file)
    first = stages["programStages"][0]
    first["programStageDataElements"][1]["id"] = first["programStageDataElements"][0]["id"]
    _write(stages_file, stages)
    with pytest.raises(InputError, match="used twice"):
        load_sources(sources_copy)


@pytest.mark.parametrize(
    ("relative", "document", "expected"),
    [
        ("src/extra/programStage.json", {"programStage": []}, "unknown metadata type"),
        ("src/extra/options.json", {"dataElements": []}, "named options.json"),
        ("src/extra/dataElements.json", {"dataElements": [], "options": []}, "one key"),
        ("src/extra/dataElements.json", {"dataElements": [{"code": "SCDI_X"}]}, "no valid UID"),
        ("src/extra/dataElements.json", {"dataElements": [{"id": "1abcdefghij"}]}, "no valid UID"),
    ],
)
def test_malformed_source_files_are_refused(sources_copy: Path, relative: str, document: Any, expected: str) -> None:
    _write(sources_copy / relative, document)
    with pytest.raises(InputError, match=expected) as caught:
        build_package(sources_copy)
    assert relative in str(caught.value)


def test_invalid_json_is_refused_with_its_place(sources_copy: Path) -> None:
    (sources_copy / "src/member/options.json").write_text('{"options": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"src/member/options.json: not valid JSON.*line 1"):
        build_package(sources_copy)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", "1.0"),
        ("DHIS2Version", "2.41.6"),
        ("code", "scdi-groups"),
        ("locale", None),
        ("extra", "x"),
    ],
)
def test_package_json_is_checked(sources_copy: Path, field: str, value: str | None) -> None:
    block_file = sources_copy / "package.json"
    document = _read(block_file)
    if value is None:
        del document["package"][field]
    else:
        document["package"][field] = value
    _write(block_file, document)
    with pytest.raises(InputError, match=field):
        build_package(sources_copy)
