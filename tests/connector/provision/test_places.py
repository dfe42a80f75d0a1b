"""Matching registry places to both of the sandbox's seeded trees (in memory, no server)."""

from __future__ import annotations

import pytest

from scdi.connector.provision.findings import Severity
from scdi.connector.provision.places import Where, match_place
from scdi.connector.provision.tree import Tree
from tests.connector.provision.conftest import tree_from_seed
from tests.connector.provision.synthetic_registry import synthetic_registry


def _codes(result: object) -> tuple[str | None, ...]:
    place = result.place  # type: ignore[attr-defined]
    return (place.province.code, place.district.code if place.district else None,
            place.commune.code if place.commune else None)


def test_levels_are_read_from_level_names(current_tree: Tree, legacy_tree: Tree) -> None:
    assert (current_tree.roles.province, current_tree.roles.district, current_tree.roles.commune) == (2, None, 3)
    assert (legacy_tree.roles.province, legacy_tree.roles.district, legacy_tree.roles.commune) == (2, 3, 4)
    assert current_tree.roles.group_level == 4 and legacy_tree.roles.group_level == 5


@pytest.mark.parametrize("name", ["current", "legacy"])
def test_without_level_names_the_roles_come_from_unit_names(name: str) -> None:
    tree = tree_from_seed(name, level_names=False)
    expected = (2, None, 3) if name == "current" else (2, 3, 4)
    assert (tree.roles.province, tree.roles.district, tree.roles.commune) == expected
    assert "no /api/organisationUnitLevels" in tree.roles.source


@pytest.mark.parametrize(("province", "district", "commune", "expected"), [
    ("Hai Phong", None, "P. Hồng Bàng", ("VN-31", None, "VN-31-C001")),
    ("Bắc Giang", "Huyện Lục Nam", "Xã Lục Nam", ("VN-24", None, "VN-24-C003")),  # old name, district ignored
    ("Bà Rịa-Vũng Tàu", "", "Phường Vũng Tàu", ("VN-79", None, "VN-79-C005")),
    ("Ba Ria - Vung Tau", "", "phuong ba ria", ("VN-79", None, "VN-79-C006")),
    ("Thừa Thiên Huế", "", "Phú Xuân", ("VN-46", None, "VN-46-C002")),
    ("Hậu Giang", "", "Phường Vị Thanh", ("VN-92", None, "VN-92-C003")),
    ("TP.HCM", "Quận 1", "Phường Bến Thành", ("VN-79", None, "VN-79-C002")),
    ("VN-22", "", "VN-22-C001", ("VN-22", None, "VN-22-C001")),
])
def test_current_tree(current_tree: Tree, province: str, district: str | None, commune: str,
                      expected: tuple[str | None, ...]) -> None:
    result = match_place(current_tree, province, district, commune, Where(row=5))
    assert result.place is not None, [f.one_line() for f in result.findings]
    assert _codes(result) == expected
    assert result.place.parent.code == expected[2]
    assert result.place.search.code == expected[2]  # the leader searches the commune
    assert all(f.severity is Severity.INFO for f in result.findings)


def test_an_old_province_name_on_the_current_tree_says_so(current_tree: Tree) -> None:
    result = match_place(current_tree, "Bắc Giang", "Lục Nam", "Xã Lục Nam", Where(file="r.xlsx", row=7))
    codes = {f.code: f for f in result.findings}
    assert codes["place.old-province"].row == 7 and codes["place.old-province"].column == "province"
    assert "Tỉnh Bắc Ninh" in codes["place.old-province"].message
    assert codes["place.district-ignored"].column == "district"


@pytest.mark.parametrize(("province", "district", "commune", "expected"), [
    ("Hải Phòng", "Quận Hồng Bàng", "Phường Minh Khai", ("VN-31", "VN-31-D01", "VN-31-D01-C01")),
    ("Hải Phòng", "", "Phường Minh Khai", ("VN-31", "VN-31-D01", "VN-31-D01-C01")),  # unique in the province
    ("Bà Rịa - Vũng Tàu", "TP Vũng Tàu", "Phường 1", ("VN-77", "VN-77-D01", "VN-77-D01-C01")),
    ("Sóc Trăng", "TX Vĩnh Châu", "P.1", ("VN-94", "VN-94-D02", "VN-94-D02-C01")),
    ("Thừa Thiên Huế", "", "Phường Phú Hội", ("VN-46", "VN-46-D01", "VN-46-D01-C01")),
])
def test_legacy_tree(legacy_tree: Tree, province: str, district: str, commune: str,
                     expected: tuple[str | None, ...]) -> None:
    result = match_place(legacy_tree, province, district, commune)
    assert result.place is not None, [f.one_line() for f in result.findings]
    assert _codes(result) == expected


def test_a_new_province_name_on_the_legacy_tree_covers_the_provinces_merged_into_it(legacy_tree: Tree) -> None:
    result = match_place(legacy_tree, "Bắc Ninh", "", "Thị trấn Đồi Ngô", Where(row=3))
    assert result.place is not None
    assert result.place.province.code == "VN-24"  # found in old Bắc Giang, merged into Bắc Ninh in 2025
    assert result.place.commune is not None and result.place.commune.code == "VN-24-D02-C01"
    assert [f.code for f in result.findings] == ["place.merged-province"]


def test_ambiguous_commune_gives_the_candidates_and_no_place(legacy_tree: Tree) -> None:
    result = match_place(legacy_tree, "Sóc Trăng", "", "Phường 1", Where(file="r.csv", row=9))
    assert result.place is None
    [finding] = [f for f in result.findings if f.severity is Severity.ERROR]
    assert finding.code == "place.commune-ambiguous"
    assert (finding.file, finding.row, finding.column) == ("r.csv", 9, "commune")
    assert sorted(c.code or "" for c in finding.candidates) == ["VN-94-D01-C01", "VN-94-D02-C01"]
    assert all(c.path.startswith("Việt Nam / Tỉnh Sóc Trăng / ") for c in finding.candidates)


def test_unknown_commune_gives_at_most_five_nearest_candidates(legacy_tree: Tree, current_tree: Tree) -> None:
    result = match_place(current_tree, "Hồ Chí Minh", "", "Phường Bến Thanhh")
    [finding] = result.findings
    assert finding.code == "place.commune-unknown" and result.place is None
    assert 0 < len(finding.candidates) <= 5
    assert finding.candidates[0].code == "VN-79-C002"  # Phường Bến Thành
    result = match_place(legacy_tree, "Khánh Hòa", "", "Phường 1")
    [finding] = result.findings
    assert "elsewhere" in finding.message and len(finding.candidates) == 5


def test_commune_in_another_province_points_there(current_tree: Tree) -> None:
    result = match_place(current_tree, "Cao Bằng", "", "Phường Hạ Long")
    [finding] = result.findings
    assert finding.code == "place.commune-unknown"
    assert [c.code for c in finding.candidates] == ["VN-22-C001"]


def test_unknown_province_and_wrong_level_code(current_tree: Tree) -> None:
    unknown = match_place(current_tree, "Tỉnh Hà Tây", "", "Phường Hà Đông")
    assert unknown.place is None and unknown.findings[0].code == "place.province-unknown"
    assert len(unknown.findings[0].candidates) == 5
    wrong = match_place(current_tree, "VN-22-C001", "", "Phường Hạ Long")
    assert wrong.findings[0].code == "place.wrong-level"
    outside = match_place(current_tree, "Cao Bằng", "", "VN-22-C001")
    assert outside.findings[0].code == "place.outside"


def test_uids_work_like_codes(current_tree: Tree) -> None:
    commune = current_tree.by_code["VN-31-C002"]
    province = current_tree.by_code["VN-31"]
    result = match_place(current_tree, province.uid, "", commune.uid)
    assert result.place is not None and result.place.commune == commune


def test_empty_places_are_required(current_tree: Tree) -> None:
    assert match_place(current_tree, "", "", "X").findings[0].column == "province"
    missing = match_place(current_tree, "Hà Nội", "", "")
    assert missing.place is None and missing.findings[0].column == "commune"


@pytest.mark.parametrize("name", ["current", "legacy"])
@pytest.mark.parametrize("seed", [18, 2024])
def test_the_synthetic_registry_matches_as_designed(name: str, seed: int) -> None:
    tree = tree_from_seed(name)
    rows = synthetic_registry(name, seed=seed)
    provinces = set()
    for row in rows:
        result = match_place(tree, row.province, row.district, row.commune)
        if row.expect == "ok":
            assert result.place is not None, (row, [f.one_line() for f in result.findings])
            assert result.place.commune is not None and result.place.commune.code == row.commune_code
            provinces.add(result.place.province.code)
        else:
            assert result.place is None
            codes = {f.code.rsplit("-", 1)[-1] for f in result.findings if f.severity is Severity.ERROR}
            assert row.expect in codes
            assert all(f.candidates for f in result.findings if f.severity is Severity.ERROR)
    assert sum(r.expect == "ok" for r in rows) == 70
    assert len(provinces) >= 33


def test_read_tree_falls_back_to_unit_names_only_when_levels_404() -> None:
    from scdi.connector.errors import NotFound
    from scdi.connector.provision.tree import read_tree

    seeded = tree_from_seed("legacy")
    raw = [{"id": u.uid, "code": u.code, "name": u.name, "shortName": u.short_name, "level": u.level,
            "path": "/" + "/".join(u.path), "parent": {"id": u.parent} if u.parent else None,
            "openingDate": "1975-01-01T00:00:00.000"} for u in seeded.units.values()]

    class Server:
        def __init__(self, levels: object) -> None:
            self.levels = levels
            self.asked: list[str] = []

        def get(self, path: str, params: object = None) -> object:
            self.asked.append(path)
            if path == "organisationUnitLevels":
                if isinstance(self.levels, Exception):
                    raise self.levels
                return {"organisationUnitLevels": self.levels}
            return {"organisationUnits": raw}

        def items(self, path: str, key: object = None, params: object = None, *, page_size: int = 50) -> object:
            self.asked.append(path)
            return iter(raw)

    named = read_tree(Server([{"level": 3, "name": "Quận/Huyện"}, {"level": 2, "name": "Tỉnh/Thành phố"},
                              {"level": 4, "name": "Xã/Phường"}, {"level": 1, "name": "Quốc gia"}]))
    assert (named.roles.province, named.roles.district, named.roles.commune) == (2, 3, 4)
    assert named.roles.source == "organisationUnitLevels"
    missing = Server(NotFound("No endpoint"))
    fallback = read_tree(missing)
    assert missing.asked == ["organisationUnits", "organisationUnitLevels"]
    assert (fallback.roles.province, fallback.roles.district, fallback.roles.commune) == (2, 3, 4)
    assert fallback.roles.source == "unit names (the server has no /api/organisationUnitLevels)"
    assert next(iter(fallback.units.values())).opening_date == "1975-01-01"
    unnamed = read_tree(Server([{"level": 1, "name": "Level 1"}, {"level": 2, "name": "Level 2"}]))
    assert unnamed.roles.province == 2 and unnamed.roles.source == "organisationUnitLevels and unit names"
