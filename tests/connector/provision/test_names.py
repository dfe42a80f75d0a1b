"""Vietnamese place-name keys and the official 2025 province table."""

from __future__ import annotations

import json
import unicodedata
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scdi.connector.provision.names import place_key, plain_key, province_table


@pytest.mark.parametrize(("a", "b"), [
    ("Tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu"),
    ("Tỉnh Bà Rịa - Vũng Tàu", "BA RIA – VUNG TAU"),
    ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh", "Tp Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh", "ho chi minh"),
    ("Phường Hồng Bàng", "P. Hồng Bàng"),
    ("Thị trấn Đồi Ngô", "TT Đồi Ngô"),
    ("Thị xã Hương Thủy", "TX. Huong Thuy"),
    ("Quận 1", "Q.1"),
    ("Huyện Lục Nam", "H. Lục Nam"),
    ("Đặc khu Vân Đồn", "Van Don"),
    ("Phường 01", "Phường 1"),
    ("Tỉnh Khánh Hòa", "Khánh Hoà"),  # new and old tone placement
    ("Tỉnh Đắk Lắk", "Dak Lak"),
])
def test_spellings_fold_to_one_key(a: str, b: str) -> None:
    assert place_key(a).ascii == place_key(b).ascii


def test_nfd_and_nfc_give_the_same_exact_key() -> None:
    name = "Xã Thắng Quân"
    assert place_key(unicodedata.normalize("NFD", name)) == place_key(unicodedata.normalize("NFC", name))


def test_old_and_new_tone_placement_give_the_same_exact_key() -> None:
    assert place_key("Khánh Hoà").exact == place_key("Khánh Hòa").exact
    assert place_key("Thuỷ").exact == place_key("Thủy").exact
    assert place_key("Phường Hoàn Kiếm").exact == "hoàn kiếm"  # a tone before a final consonant stays put


def test_prefix_kind_is_kept_and_a_bare_prefix_is_a_name() -> None:
    assert place_key("Phường 1").kind == "ward"
    assert place_key("Xã 1").kind == "commune"
    assert place_key("Phường").ascii == "phuong" and place_key("Phường").kind is None
    assert place_key("Thành phố Vũng Tàu").kind == "city"


def test_plain_key_for_headers() -> None:
    assert plain_key("  Tên đăng nhập   trưởng nhóm ") == plain_key("ten dang nhap truong nhom")
    assert plain_key("group_code") == plain_key("Group Code")
    assert plain_key("LĐTB&XH") == "ldtb xh"


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
               "ùúủũụừứửữựỳýỷỹỵ -", min_size=1, max_size=30))
def test_key_ignores_case_normal_form_spacing_and_marks(text: str) -> None:
    key = place_key(text).ascii
    assert place_key(text.upper()).ascii == key
    assert place_key(unicodedata.normalize("NFD", text)).ascii == key
    assert place_key("  " + text.replace(" ", "   ") + " ").ascii == key


# --- the official table -------------------------------------------------------------------


def test_table_has_63_old_and_34_new_units_with_its_sources() -> None:
    table = province_table()
    assert len(table.new) == 34
    assert len(table.old_to_new) == 63
    assert sum(len(parts) for parts in table.parts.values()) == 63
    assert any("202/2025/QH15" in source for source in table.source)
    unchanged = [k for k, parts in table.parts.items() if len(parts) == 1]
    assert len(unchanged) == 11


def test_matches_the_shared_note_on_the_reform() -> None:
    table = province_table()
    note_merges = {"Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai", "Bắc Kạn": "Thái Nguyên", "Vĩnh Phúc": "Phú Thọ",
                   "Hòa Bình": "Phú Thọ", "Bắc Giang": "Bắc Ninh", "Thái Bình": "Hưng Yên", "Hà Nam": "Ninh Bình",
                   "Nam Định": "Ninh Bình", "Hải Dương": "Hải Phòng", "Quảng Bình": "Quảng Trị",
                   "Quảng Nam": "Đà Nẵng", "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai", "Đắk Nông": "Lâm Đồng",
                   "Bình Thuận": "Lâm Đồng", "Phú Yên": "Đắk Lắk", "Ninh Thuận": "Khánh Hòa",
                   "Bình Dương": "Hồ Chí Minh", "Bà Rịa-Vũng Tàu": "Hồ Chí Minh", "Bình Phước": "Đồng Nai",
                   "Long An": "Tây Ninh", "Hậu Giang": "Cần Thơ", "Sóc Trăng": "Cần Thơ", "Bến Tre": "Vĩnh Long",
                   "Trà Vinh": "Vĩnh Long", "Tiền Giang": "Đồng Tháp", "Bạc Liêu": "Cà Mau", "Kiên Giang": "An Giang"}
    for old, new in note_merges.items():
        assert table.new_of(place_key(old).ascii) == place_key(new).ascii, old
        assert table.is_absorbed(place_key(old).ascii)
    for same in ("Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
                 "Nghệ An", "Hà Tĩnh", "Cao Bằng"):
        assert table.parts[place_key(same).ascii] == [place_key(same).ascii]


def test_aliases() -> None:
    table = province_table()
    assert table.canonical(place_key("Thừa Thiên Huế").ascii) == "hue"
    assert table.canonical(place_key("TP.HCM").ascii) == "ho chi minh"
    assert table.canonical(place_key("BR-VT").ascii) == "ba ria vung tau"


def test_table_codes_are_the_sandbox_current_tree_codes() -> None:
    """The sandbox's current tree uses the new administrative codes; the table agrees."""
    tree = json.loads((files("scdi.sandbox") / "data" / "vn_tree_current.json").read_text(encoding="utf-8"))
    table = province_table()
    for unit in tree["organisationUnits"]:
        if unit.get("parent") == "VN":
            key = table.canonical(place_key(unit["name"]).ascii)
            assert f"VN-{table.codes[key]}" == unit["code"], unit["name"]
