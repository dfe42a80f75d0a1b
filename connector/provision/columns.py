"""The registry's columns and the coded values they accept.

A header is recognised by its key (`group_code`), its Vietnamese or English label, or a
common alternative, with or without diacritics, in any case, with extra spaces. Coded values
(kind, sponsor, active) are read the same way; kinds and sponsors come from the metadata
package's option sets (`SCDI_GROUP_KIND`, `SCDI_SPONSOR`: code, English name, Vietnamese
translation), plus the short forms the field uses ("CLB", "PCTNXH", "UBND xã" …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scdi.connector.provision.names import plain_key

KIND_OPTION_SET = "SCDI_GROUP_KIND"
SPONSOR_OPTION_SET = "SCDI_SPONSOR"
OUTREACH_KINDS = frozenset({"SCDI_GROUP_KIND_COUNSELLING_POINT", "SCDI_GROUP_KIND_OUTREACH_TEAM"})


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool
    help_vi: str
    help_en: str
    example: str
    aliases: tuple[str, ...] = ()

    def labels(self) -> set[str]:
        return {plain_key(text) for text in (self.key, self.vi, self.en, *self.aliases)}


COLUMNS: tuple[Column, ...] = (
    Column("group_code", "Mã nhóm", "Group code", True,
           "Bắt buộc, không trùng: 2–20 ký tự A–Z, 0–9, gạch ngang hoặc gạch dưới (vd. HP-KNTC)",
           "Required, unique: 2–20 characters A–Z, 0–9, hyphen or underscore (e.g. HP-KNTC)", "HP-KNTC",
           ("Mã", "Code", "Mã CLB")),
    Column("group_name", "Tên nhóm", "Group name", True, "Bắt buộc: tên nhóm bằng tiếng Việt",
           "Required: the group's name in Vietnamese", "Câu lạc bộ Kết nối thành công",
           ("Tên", "Name", "Tên CLB", "Tên câu lạc bộ")),
    Column("kind", "Loại hình", "Kind", True,
           "Bắt buộc: chọn trong danh sách (tiếng Việt, tiếng Anh hoặc mã)",
           "Required: pick from the list (Vietnamese, English or the option code)", "Câu lạc bộ",
           ("Loại nhóm", "Loại", "Type", "Group kind", "Kind of group")),
    Column("province", "Tỉnh/Thành phố", "Province", True,
           "Bắt buộc: tên như thường viết (tên cũ trước 1/7/2025 cũng được), hoặc mã/UID của DHIS2",
           "Required: the name as people write it (names from before 1 July 2025 work too), or a DHIS2 "
           "org unit code or UID", "Hải Phòng", ("Tỉnh", "Tỉnh/TP", "Thành phố", "Province/City", "City")),
    Column("district", "Quận/Huyện", "District", False,
           "Có thể để trống: từ 1/7/2025 không còn cấp huyện", "May be empty: the 2025 reform removed the level",
           "", ("Huyện", "Quận", "Quận/Huyện/Thị xã")),
    Column("commune", "Xã/Phường", "Commune", True,
           "Bắt buộc: xã, phường, thị trấn hoặc đặc khu, hoặc mã/UID của DHIS2",
           "Required: commune, ward, township or special zone, or a DHIS2 org unit code or UID",
           "Phường Hồng Bàng", ("Xã", "Phường", "Xã/Phường/Thị trấn", "Ward", "Commune/Ward")),
    Column("sponsor", "Đơn vị bảo trợ", "Sponsor", False, "Chọn trong danh sách", "Pick from the list", "SCDI",
           ("Cơ quan chủ quản", "Đơn vị chủ quản", "Bảo trợ")),
    Column("founded_on", "Ngày thành lập", "Founded on", False,
           "Ngày/tháng/năm (vd. 15/03/2014) hoặc năm-tháng-ngày", "Day/month/year (e.g. 15/03/2014) or "
           "year-month-day", "15/03/2014", ("Thành lập", "Founded", "Date founded", "Opening date")),
    Column("leader_username", "Tên đăng nhập trưởng nhóm", "Leader username", False,
           "Tên đăng nhập DHIS2 của trưởng nhóm: 4–255 ký tự a–z, 0–9 và . _ - @", "The leader's DHIS2 username: "
           "4–255 characters a–z, 0–9 and . _ - @", "hp.kntc", ("Tên đăng nhập", "Username", "Leader")),
    Column("leader_email", "Email trưởng nhóm", "Leader email", False, "Không bắt buộc", "Optional", "",
           ("Email",)),
    Column("leader_phone", "Điện thoại trưởng nhóm", "Leader phone", False,
           "Không bắt buộc; định dạng ô là Văn bản để giữ số 0 đầu", "Optional; keep the cell as text so the "
           "leading 0 stays", "", ("Điện thoại", "Số điện thoại", "Phone", "Phone number")),
    Column("active", "Đang hoạt động", "Active", False, "Có/Không (để trống = Có)", "Yes/No (empty = yes)", "Có",
           ("Hoạt động", "Còn hoạt động", "Trạng thái")),
)
BY_KEY = {c.key: c for c in COLUMNS}
YES = ("Có", "Yes")
NO = ("Không", "No")
_YES = {plain_key(t) for t in ("có", "yes", "y", "x", "1", "true", "đang hoạt động", "hoạt động", "còn hoạt động",
                               "active", "c")}
_NO = {plain_key(t) for t in ("không", "no", "n", "0", "false", "ngừng", "ngừng hoạt động", "đã ngừng",
                              "inactive", "closed", "đóng", "k")}


def header_index() -> dict[str, str]:
    """Every accepted header label (as a plain key) → column key."""
    index: dict[str, str] = {}
    for column in COLUMNS:
        for label in column.labels():
            index.setdefault(label, column.key)
    return index


def read_active(text: str) -> bool | None:
    key = plain_key(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


# --- coded values from the package ---------------------------------------------------------

SYNONYMS: dict[str, tuple[str, ...]] = {
    "SCDI_GROUP_KIND_CBO": ("CBO", "SCDI CBO", "Nhóm CBO", "Nhóm", "Nhóm đồng đẳng", "Peer group",
                            "Community-based organisation", "Community based group",
                            "Tổ chức xã hội dựa vào cộng đồng"),
    "SCDI_GROUP_KIND_CLUB": ("CLB", "Câu lạc bộ", "Club"),
    "SCDI_GROUP_KIND_SELF_HELP": ("Nhóm tự lực", "Tự lực", "Self-help group", "Self help group", "Self-help"),
    "SCDI_GROUP_KIND_COUNSELLING_POINT": ("Điểm tư vấn", "Counselling point", "Counseling point"),
    "SCDI_GROUP_KIND_OUTREACH_TEAM": ("Tổ tư vấn", "Tổ tiếp cận cộng đồng", "Tổ tư vấn tiếp cận cộng đồng",
                                      "Outreach team", "Outreach counselling team", "Outreach counseling team"),
    "SCDI_GROUP_KIND_SUPPORT_POINT": ("Điểm hỗ trợ", "Điểm hỗ trợ tái hòa nhập", "Support point",
                                      "Reintegration support point"),
    "SCDI_SPONSOR_SCDI": ("SCDI",),
    "SCDI_SPONSOR_PCTNXH": ("PCTNXH", "Chi cục PCTNXH", "Chi cục Phòng chống tệ nạn xã hội"),
    "SCDI_SPONSOR_LABOUR_OFFICE": ("LĐTB&XH", "LĐTBXH", "Phòng LĐTB&XH", "Phòng LĐTBXH", "Labour office"),
    "SCDI_SPONSOR_TREATMENT_CENTRE": ("Trung tâm cai nghiện", "Cơ sở cai nghiện", "Treatment centre",
                                      "Post-treatment centre"),
    "SCDI_SPONSOR_PEOPLES_COMMITTEE": ("UBND", "UBND xã", "UBND phường", "Ủy ban nhân dân", "People's Committee"),
    "SCDI_SPONSOR_MASS_ORGANISATION": ("Đoàn thể", "Đoàn Thanh niên", "Hội Phụ nữ", "Hội Nông dân",
                                       "Mass organisation"),
    "SCDI_SPONSOR_INTERNATIONAL_NGO": ("Tổ chức quốc tế", "FHI360", "FHI 360", "INGO", "NGO"),
    "SCDI_SPONSOR_OTHER": ("Khác", "Other"),
}


@dataclass(frozen=True)
class Choice:
    code: str
    en: str
    vi: str

    def label(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass
class Choices:
    """The options of one option set, findable by code, name, translation or synonym."""

    option_set: str
    options: list[Choice]
    index: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for choice in self.options:
            for text in (choice.code, choice.en, choice.vi, *SYNONYMS.get(choice.code, ())):
                self.index.setdefault(plain_key(text), choice.code)

    def resolve(self, text: str) -> str | None:
        return self.index.get(plain_key(text))

    def by_code(self, code: str) -> Choice | None:
        return next((c for c in self.options if c.code == code), None)


def choices_from_package(pkg: dict[str, Any], option_set_code: str) -> Choices:
    options = {o["id"]: o for o in pkg.get("options", [])}
    for option_set in pkg.get("optionSets", []):
        if option_set.get("code") != option_set_code:
            continue
        found = []
        for ref in option_set.get("options", []):
            option = options.get(ref["id"], ref)
            vi = next((t["value"] for t in option.get("translations", [])
                       if t.get("locale") == "vi" and t.get("property") == "NAME"), option.get("name", ""))
            found.append(Choice(code=option["code"], en=option.get("name", option["code"]), vi=vi))
        return Choices(option_set_code, found)
    return Choices(option_set_code, [])


@lru_cache(maxsize=1)
def package_choices() -> tuple[Choices, Choices]:
    """(kinds, sponsors) of the installed metadata package."""
    from scdi.connector.metadata.package import build_package

    pkg = build_package()
    return choices_from_package(pkg, KIND_OPTION_SET), choices_from_package(pkg, SPONSOR_OPTION_SET)
