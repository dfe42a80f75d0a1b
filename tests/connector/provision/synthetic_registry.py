"""A seeded synthetic registry of peer groups, written the way the field writes places.

Reusable by the sandbox's own tests: `synthetic_registry(tree, groups, seed)` returns rows
(with what provisioning should make of each), `write_xlsx` / `write_csv` put them in a file.
Places come from the sandbox's seeded trees (`sandbox/data/vn_tree_<tree>.json`) and are
written messily: without diacritics, without or with abbreviated prefixes ("TP.", "P.", "TT"),
other hyphen spacing, other case, NFD, old province names on the current tree (for communes
that were in an absorbed province), "Thừa Thiên Huế" for Huế. A few rows are made wrong on
purpose (`expect` "unknown" or "ambiguous"). Only synthetic data: example.org addresses,
phone numbers from the reserved-looking 0900 range, no person's name anywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scdi.sandbox

TREES = Path(scdi.sandbox.__file__).resolve().parent / "data"
KINDS = [("Nhóm, tổ chức xã hội dựa vào cộng đồng (CBO)", "SCDI CBO", "CBO", "SCDI_GROUP_KIND_CBO"),
         ("Câu lạc bộ", "Club", "CLB", "SCDI_GROUP_KIND_CLUB"),
         ("Nhóm Tự lực", "Self-help group", "nhom tu luc", "SCDI_GROUP_KIND_SELF_HELP"),
         ("Điểm tư vấn", "Counselling point", "SCDI_GROUP_KIND_COUNSELLING_POINT", "SCDI_GROUP_KIND_COUNSELLING_POINT"),
         ("Tổ tư vấn, tiếp cận cộng đồng", "Outreach team", "to tu van", "SCDI_GROUP_KIND_OUTREACH_TEAM")]
SPONSORS = ["SCDI", "PCTNXH", "LĐTB&XH", "UBND xã", "Đoàn thể", "FHI 360", ""]
WORDS = ["Đồng cảm", "Vượt khó", "Hy vọng", "Sống mới", "Bạn giúp bạn", "Ánh sáng", "Niềm tin", "Hướng thiện",
         "Kết nối", "Vòng tay", "Bình minh", "Sẻ chia"]
# Communes of the current tree that lie in a province absorbed on 1 July 2025, by the old name
# people still write (the field's own reports name Bắc Giang, Bà Rịa-Vũng Tàu, Hậu Giang …).
OLD_PROVINCE_OF = {
    "Phường Bắc Giang": "Bắc Giang", "Xã Lục Nam": "Bắc Giang", "Xã Yên Thế": "Bắc Giang",
    "Phường Vũng Tàu": "Bà Rịa-Vũng Tàu", "Phường Bà Rịa": "Ba Ria - Vung Tau", "Phường Thủ Dầu Một": "Bình Dương",
    "Phường Vị Thanh": "Hậu Giang", "Phường Sóc Trăng": "Sóc Trăng", "Phường Bạc Liêu": "Bạc Liêu",
    "Phường Hải Dương": "Hải Dương", "Phường Yên Bái": "Yên Bái", "Phường Vĩnh Phúc": "Vĩnh Phúc",
    "Phường Hòa Bình": "Hoà Bình", "Phường Thái Bình": "Thái Bình", "Phường Nam Định": "Nam Định",
    "Phường Phủ Lý": "Hà Nam", "Phường Đồng Hới": "Quảng Bình", "Phường Hội An": "Quảng Nam",
    "Phường Tam Kỳ": "Quảng Nam", "Phường Kon Tum": "Kon Tum", "Phường Quy Nhơn": "Bình Định",
    "Phường Phan Rang": "Ninh Thuận", "Phường Tuy Hòa": "Phú Yên", "Phường Phan Thiết": "Bình Thuận",
    "Phường Gia Nghĩa": "Đắk Nông", "Phường Bình Phước": "Bình Phước", "Phường Long An": "Long An",
    "Phường Mỹ Tho": "Tiền Giang", "Phường Trà Vinh": "Trà Vinh", "Phường Rạch Giá": "Kiên Giang",
    "Phường Phú Quốc": "Kiên Giang", "Phường Hà Giang 1": "Hà Giang", "Phường Đức Xuân": "Bắc Kạn",
}
ABBREVIATIONS = {"Thành phố ": ["TP. ", "Tp ", "TP "], "Phường ": ["P. ", "P "], "Thị trấn ": ["TT ", "TT. "],
                 "Thị xã ": ["TX ", "TX. "], "Tỉnh ": [""], "Xã ": [""], "Quận ": ["Q. ", ""], "Huyện ": ["H. ", ""]}


@dataclass
class SyntheticRow:
    group_code: str
    group_name: str
    kind: str
    province: str
    district: str
    commune: str
    sponsor: str
    founded_on: Any  # a date, or a string as people type it
    leader_username: str
    leader_email: str
    leader_phone: str
    active: str
    expect: str = "ok"  # "ok" | "unknown" | "ambiguous"
    commune_code: str | None = None  # the seeded commune the row means (ok rows)
    province_code: str | None = None
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[Any]:
        return [self.group_code, self.group_name, self.kind, self.province, self.district, self.commune,
                self.sponsor, self.founded_on, self.leader_username, self.leader_email, self.leader_phone,
                self.active]


COLUMN_KEYS = ["group_code", "group_name", "kind", "province", "district", "commune", "sponsor", "founded_on",
               "leader_username", "leader_email", "leader_phone", "active"]
HEADERS = {
    "vi": ["Mã nhóm", "Tên nhóm", "Loại hình", "Tỉnh/Thành phố", "Quận/Huyện", "Xã/Phường", "Đơn vị bảo trợ",
           "Ngày thành lập", "Tên đăng nhập trưởng nhóm", "Email trưởng nhóm", "Điện thoại trưởng nhóm",
           "Đang hoạt động"],
    # English, no diacritics, other case, extra spaces: all accepted
    "en": ["Group code", "GROUP NAME", "kind", " Province ", "District", "Commune", "Sponsor", "founded on",
           "Leader username", "leader email", "Leader Phone", "Active"],
    "keys": COLUMN_KEYS,
    "plain": ["Ma nhom", "Ten nhom", "loai hinh", "TINH/THANH PHO", "quan/huyen", "Xa / Phuong", "don vi bao tro",
              "Ngay thanh lap", "ten dang nhap truong nhom", "email truong nhom", "dien thoai truong nhom",
              "dang hoat dong"],
}


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def messy(name: str, rng: random.Random) -> str:
    """The same place as someone might type it."""
    text = name
    for prefix, options in ABBREVIATIONS.items():
        if text.startswith(prefix) and rng.random() < 0.6:
            text = rng.choice([*options, ""]) + text[len(prefix):]
            break
    if " - " in text and rng.random() < 0.7:
        text = text.replace(" - ", rng.choice(["-", " -", "- ", "–"]))
    roll = rng.random()
    if roll < 0.3:
        text = _strip_marks(text)
    elif roll < 0.4:
        text = text.upper()
    elif roll < 0.5:
        text = text.lower()
    if rng.random() < 0.3:
        text = unicodedata.normalize("NFD", text)
    if rng.random() < 0.2:
        text = f"  {text.replace(' ', '  ', 1)} "
    return text


def _load(tree: str) -> tuple[dict[str, dict[str, Any]], dict[str | None, list[dict[str, Any]]]]:
    units = json.loads((TREES / f"vn_tree_{tree}.json").read_text(encoding="utf-8"))["organisationUnits"]
    by_code = {u["code"]: u for u in units}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for unit in units:
        children.setdefault(unit.get("parent"), []).append(unit)
    return by_code, children


def synthetic_registry(tree: str = "current", groups: int = 70, seed: int = 18, *, bad: bool = True,
                       today: dt.date = dt.date(2026, 1, 15), prefix: str = "SCDI") -> list[SyntheticRow]:
    """`groups` provisionable rows over every province there is (at least 33), then the bad ones.

    Group codes are `<prefix>-NNN` and usernames `<prefix>.leader.NNN` (lower case), so that
    registries with different prefixes can share one server."""
    rng = random.Random(seed)
    _, children = _load(tree)
    provinces = sorted(children["VN"], key=lambda u: u["code"])
    Pick = tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]]
    communes: list[Pick] = []
    picked: list[Pick] = []
    rest: list[Pick] = []
    for province in provinces:
        below = children.get(province["code"], [])
        if tree == "legacy":
            found = [(province, d, c) for d in below for c in children.get(d["code"], [])]
        else:
            found = [(province, None, c) for c in below]
        rng.shuffle(found)
        communes.extend(found)
        picked.append(found[0])
        rest.extend(found[1:])
    rng.shuffle(picked)
    rng.shuffle(rest)
    picked = picked[:groups] + rest[:max(0, groups - len(picked))]
    names: dict[tuple[str, str], int] = {}
    for province, _, commune in communes:
        key = (province["code"], commune["name"])
        names[key] = names.get(key, 0) + 1
    rows = [_row(i + 1, p, d, c, tree, rng, today, prefix, needs_district=names[(p["code"], c["name"])] > 1)
            for i, (p, d, c) in enumerate(picked[:groups])]
    if bad:
        rows += _bad_rows(len(rows), tree, children, prefix)
    return rows


def _row(n: int, province: dict[str, Any], district: dict[str, Any] | None, commune: dict[str, Any], tree: str,
         rng: random.Random, today: dt.date, prefix: str, needs_district: bool = False) -> SyntheticRow:
    kind = rng.choices(KINDS, weights=[6, 3, 1, 2, 1])[0]
    code = f"{prefix}-{n:03d}"
    short = commune["name"].split(" ", 1)[-1]
    name = f"{kind[0].split(',')[0]} {rng.choice(WORDS)} {short}"
    province_text = messy(province["name"], rng)
    notes = []
    if tree == "current" and commune["name"] in OLD_PROVINCE_OF and rng.random() < 0.8:
        province_text = OLD_PROVINCE_OF[commune["name"]]
        notes.append("old province name")
    if province["name"] == "Thành phố Huế" and rng.random() < 0.7:
        province_text = "Thừa Thiên Huế"
    if tree == "legacy":
        district_text = messy(district["name"], rng) if district and (needs_district or rng.random() < 0.6) else ""
    else:
        district_text = rng.choice(["", "", "Huyện cũ", "Quận 3"])  # a pre-reform district: ignored
    founded = today - dt.timedelta(days=rng.randint(365 * 2, 365 * 18))
    founded_cell: Any = rng.choice([founded, founded.strftime("%d/%m/%Y"), founded.isoformat()])
    return SyntheticRow(
        group_code=code if rng.random() < 0.8 else code.lower(), group_name=name,
        kind=rng.choice(kind[:3]), province=province_text, district=district_text, commune=messy(commune["name"], rng),
        sponsor=rng.choice(SPONSORS), founded_on=founded_cell, leader_username=f"{prefix.lower()}.leader.{n:03d}",
        leader_email=f"{prefix.lower()}.leader{n:03d}@example.org" if rng.random() < 0.5 else "",
        leader_phone=f"0900{rng.randint(0, 999999):06d}" if rng.random() < 0.5 else "",
        active=rng.choice(["Có", "có", "yes", "x", ""]), commune_code=commune["code"], province_code=province["code"],
        notes=notes)


def _bad_rows(offset: int, tree: str, children: dict[str | None, list[dict[str, Any]]],
              prefix: str) -> list[SyntheticRow]:
    template = {"kind": "CLB", "sponsor": "SCDI", "founded_on": "01/06/2015", "leader_email": "", "leader_phone": "",
                "active": "Có", "district": ""}
    bad = [
        dict(province="Quảng Ninh", commune="Xã Không Có Thật", expect="unknown",
             notes=["a commune that is not on the server"]),
        dict(province="Tỉnh Hà Tây", commune="Phường Hà Đông", expect="unknown",
             notes=["a province merged into Hà Nội in 2008, not in the 2025 table"]),
        dict(province="Cao Bằng", commune=(children["VN-22"][0]["name"] if tree == "current" else "Phường Bãi Cháy"),
             expect="unknown", notes=["a commune of another province"]),
    ]
    if tree == "legacy":
        bad.append(dict(province="Sóc Trăng", commune="Phường 1", expect="ambiguous",
                        notes=["two 'Phường 1' in the province and no district given"]))
        bad.append(dict(province="Hải Phòng", district="Huyện Kiến Thụy", commune="Thị trấn Núi Đối",
                        expect="unknown", notes=["a district that is not on the server"]))
    rows = []
    for i, spec in enumerate(bad, start=offset + 1):
        values = {**template, **spec}
        rows.append(SyntheticRow(group_code=f"{prefix}-{i:03d}", group_name=f"Nhóm thử {i}",
                                 leader_username=f"{prefix.lower()}.leader.{i:03d}", **values))  # type: ignore[arg-type]
    return rows


def write_xlsx(rows: list[SyntheticRow], path: Path, headers: str = "vi", title: bool = False) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhóm"
    if title:
        sheet.append(["Danh sách nhóm — SCDI (dữ liệu tổng hợp)"])
        sheet.append([])
    sheet.append(HEADERS[headers])
    for row in rows:
        sheet.append(row.cells())
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    workbook.save(path)
    return path


def write_csv(rows: list[SyntheticRow], path: Path, headers: str = "vi", delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADERS[headers])
        for row in rows:
            writer.writerow([c.isoformat() if isinstance(c, dt.date) else c for c in row.cells()])
    return path
