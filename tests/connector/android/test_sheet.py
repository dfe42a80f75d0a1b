"""The hand-out sheet: rendered to an image, its QR code decodes back to the server URL; the
words are the language asked for; a password appears only when one is given."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pydantic import SecretStr

from scdi.connector.android.sheet import Leader, find_font, render
from scdi.connector.errors import ConfigError

URL = "https://dhis2.example.org/scdi"


def _pages(pdf: bytes) -> list[tuple[list[str], str]]:
    """(QR texts, page text) per page."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    for page in doc:
        image = page.render(scale=2).to_pil()
        out.append(([r.text for r in zxingcpp.read_barcodes(image)], page.get_textpage().get_text_range()))
    return out


def test_one_page_per_leader_with_the_url_as_a_qr_code():
    leaders = [Leader(username="hp.kntc", group_code="HP-KNTC", group_name="Câu lạc bộ Kết nối thành công"),
               Leader(username="hp.kntc2", group_code="HP-KNTC", group_name="Câu lạc bộ Kết nối thành công")]
    pages = _pages(render(leaders, URL))
    assert len(pages) == 2
    for (codes, text), leader in zip(pages, leaders, strict=True):
        assert codes == [URL]
        assert leader.username in text and URL in text
        assert "Câu lạc bộ Kết nối thành công" in text and "Khi đồng bộ không được" in text
        assert "Quản trị viên trao mật khẩu tận tay" in text  # no password given: none printed


def test_english_sheet_with_a_password():
    leader = Leader(username="qn.vuotsong", group_code="QN-VUOTSONG", group_name="Câu lạc bộ Vượt sóng",
                    password=SecretStr("Tq7!mZp2Lw"))
    [(codes, text)] = _pages(render([leader], URL, lang="en"))
    assert codes == [URL]
    assert "When sync fails" in text and "Temporary password" in text and "Tq7!mZp2Lw" in text
    assert "Đăng nhập" not in text


def test_a_named_font_must_exist(tmp_path):
    with pytest.raises(ConfigError):
        find_font(tmp_path / "missing.ttf")
