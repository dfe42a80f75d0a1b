"""The one-page hand-out per leader as a PDF (fpdf2), the server URL as a QR code (segno) that
Android Capture's login screen scans. The font must carry Vietnamese: DejaVu Sans from the
system (Debian's fonts-dejavu-core) unless another TTF is named."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import segno
from fpdf import FPDF
from pydantic import BaseModel, SecretStr

from scdi.connector.android.sheet_text import TEXTS
from scdi.connector.errors import ConfigError

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"))


class Leader(BaseModel):
    username: str
    group_code: str
    group_name: str
    password: SecretStr | None = None  # only with --with-password


def find_font(font: Path | None = None) -> tuple[Path, Path]:
    """(regular, bold) TTF files."""
    if font is not None:
        if not font.is_file():
            raise ConfigError(f"{font} is not a font file")
        return font, font
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file():
            return regular, bold if bold.is_file() else regular
    raise ConfigError("no font with Vietnamese letters was found",
                      hint="Install fonts-dejavu-core, or name a TTF file with --font.")


def render(leaders: Sequence[Leader], server_url: str, *, lang: str = "vi", font: Path | None = None) -> bytes:
    text = TEXTS[lang]
    regular, bold = find_font(font)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("sheet", "", str(regular))
    pdf.add_font("sheet", "B", str(bold))
    qr = io.BytesIO()
    segno.make(server_url, error="m").save(qr, kind="png", scale=10, border=4)
    for leader in leaders:
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_font("sheet", "B", 18)
        pdf.multi_cell(width, 9, text.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("sheet", "", 12)
        pdf.multi_cell(width, 7, f"{text.group}: {leader.group_name} ({leader.group_code})", new_x="LMARGIN",
                       new_y="NEXT")
        pdf.ln(3)
        top = pdf.get_y()
        qr.seek(0)
        pdf.image(qr, x=pdf.l_margin, y=top, w=60, h=60)
        left = pdf.l_margin + 66  # the column beside the QR code
        column = width - 66
        pdf.set_xy(left, top)
        pdf.set_font("sheet", "", 11)
        pdf.multi_cell(column, 6, text.scan, new_x="LEFT", new_y="NEXT")
        pdf.set_xy(left, pdf.get_y() + 2)
        _field(pdf, left, column, text.server, server_url)
        _field(pdf, left, column, text.username, leader.username)
        pdf.set_font("sheet", "", 10)
        if leader.password is not None:
            _field(pdf, left, column, text.temporary_label, leader.password.get_secret_value())
            pdf.set_font("sheet", "", 10)
            pdf.multi_cell(column, 5, text.change_note, new_x="LEFT", new_y="NEXT")
        else:
            pdf.multi_cell(column, 5, text.handed_over, new_x="LEFT", new_y="NEXT")
        pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + 62) + 4)
        _list(pdf, width, text.steps_title, text.steps, numbered=True)
        pdf.ln(3)
        _list(pdf, width, text.trouble_title, text.trouble, numbered=False)
    return bytes(pdf.output())


def _field(pdf: FPDF, left: float, width: float, label: str, value: str) -> None:
    pdf.set_font("sheet", "", 10)
    pdf.multi_cell(width, 5, label, new_x="LEFT", new_y="NEXT")
    pdf.set_font("sheet", "B", 13)
    pdf.multi_cell(width, 7, value, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(left, pdf.get_y() + 1)


def _list(pdf: FPDF, width: float, title: str, items: Sequence[str], *, numbered: bool) -> None:
    pdf.set_font("sheet", "B", 13)
    pdf.multi_cell(width, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("sheet", "", 11)
    for number, item in enumerate(items, start=1):
        mark = f"{number}." if numbered else "•"
        pdf.multi_cell(width, 6, f"{mark} {item}", new_x="LMARGIN", new_y="NEXT")
