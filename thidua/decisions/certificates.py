"""Certificates (Giấy khen, Bằng khen, giấy chứng nhận) of an issued decision as one print-ready PDF, with
a QR code and a short code that lead to the public verification page.

Two modes:
- ``full``: the whole certificate on blank A4 landscape paper (frame, national heading, issuer, title, text,
  signature block, QR);
- ``overlay``: only the variable text, printed onto pre-printed blanks (phôi) at the positions of the
  unit's calibrated template (millimetres from the sheet's top left corner), with a test print that draws
  a millimetre grid and the field boxes.

Speed (target: 1,000 certificates in one PDF in under 3 s): reportlab's canvas with the shipped Liberation
Serif TTF (embedded, subset); QR codes by segno with a fixed mask (choosing the best of eight masks costs
5× more and any mask is valid), kept on the certificate row once computed; the QR modules drawn as one
path of merged runs written as raw PDF operators; streams Flate-compressed without the ASCII85 layer.
Every text is NFC-normalised: decomposed input puts tone marks in the wrong place.
"""

import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.common.documents import store_generated, vietnamese_date

FONTS_DIR = Path(__file__).resolve().parent.parent / "common" / "fonts"
FONT, BOLD, ITALIC, BOLD_ITALIC = "ThiduaSerif", "ThiduaSerif-Bold", "ThiduaSerif-Italic", "ThiduaSerif-BoldItalic"
MM = 72 / 25.4
INLINE_LIMIT = 50  # larger batches run as a background task with a progress bar
PROGRESS_EVERY = 25
A4_LANDSCAPE = (297, 210)
RED = (0.72, 0.05, 0.05)

# The fields of a certificate, in the order the calibration page lists them.
FIELDS: list[tuple[str, str]] = [
    ("salutation", gettext_lazy("Danh xưng (Ông, Bà, Tập thể)")),
    ("name", gettext_lazy("Họ tên, tên tập thể")),
    ("position", gettext_lazy("Chức vụ, đơn vị")),
    ("achievement", gettext_lazy("Thành tích")),
    ("place_date", gettext_lazy("Địa danh, ngày tháng năm")),
    ("signer_title", gettext_lazy("Chức vụ người ký")),
    ("signer_name", gettext_lazy("Họ tên người ký")),
    ("decision", gettext_lazy("Số, ngày quyết định")),
    ("register", gettext_lazy("Số sổ")),
    ("qr", gettext_lazy("Mã QR xác thực")),
    ("code", gettext_lazy("Mã xác thực (chữ)")),
]
FIELD_KEYS = [key for key, _label in FIELDS]
# Where each field goes on a Giấy khen blank of 297 × 210 mm (x, y: top left of the box; w: its width;
# size in points). Other sheet sizes scale these. The unit calibrates them on a test print.
DEFAULT_OVERLAY: dict[str, dict] = {
    "salutation": {"x": 30, "y": 88, "w": 38, "size": 20, "italic": True, "align": "right"},
    "name": {"x": 70, "y": 86, "w": 197, "size": 26, "bold": True, "align": "center"},
    "position": {"x": 30, "y": 101, "w": 237, "size": 16, "italic": True, "align": "center"},
    "achievement": {"x": 30, "y": 111, "w": 237, "size": 16, "italic": True, "align": "center"},
    "place_date": {"x": 160, "y": 140, "w": 120, "size": 14, "italic": True, "align": "center"},
    "signer_title": {"x": 160, "y": 147, "w": 120, "size": 14, "bold": True, "align": "center"},
    "signer_name": {"x": 160, "y": 180, "w": 120, "size": 15, "bold": True, "align": "center"},
    "decision": {"x": 22, "y": 172, "w": 130, "size": 12, "align": "left"},
    "register": {"x": 22, "y": 178, "w": 130, "size": 12, "align": "left"},
    "qr": {"x": 22, "y": 140, "w": 24},
    "code": {"x": 22, "y": 165, "w": 60, "size": 9, "align": "left"},
}
ALIGNS = ("left", "center", "right")

_fonts_ready = False


def register_fonts() -> None:
    """Register the shipped Liberation Serif (loaded by path: a fresh machine may not have it installed)."""
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Flate only: the ASCII85 layer is computed in pure Python here and costs more than the drawing.
    rl_config.useA85 = 0
    for name, filename in ((FONT, "Regular"), (BOLD, "Bold"), (ITALIC, "Italic"), (BOLD_ITALIC, "BoldItalic")):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"LiberationSerif-{filename}.ttf")))
    for bold, italic, name in ((0, 0, FONT), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(FONT, bold, italic, name)
    _fonts_ready = True


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


# ---------------------------------------------------------------- codes and QR


CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_READ = str.maketrans({"O": "0", "I": "1", "L": "1"})


def format_code(code: str) -> str:
    """Shown in groups of four: "7KQ2-M9XD-4TRB-HC3N"."""
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """A typed or scanned code in its stored form (upper case, no separators, O read as 0 and I, L as 1),
    or None when it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -_.").translate(_CODE_READ)
    if len(cleaned) != 16 or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def public_base_url() -> str:
    """Where the public verification page lives: THIDUA_PUBLIC_URL (e.g. https://thidua.tiengiang.gov.vn),
    else the first configured host."""
    import os

    configured = os.environ.get("THIDUA_PUBLIC_URL") or getattr(settings, "THIDUA_PUBLIC_URL", "")
    if configured:
        return configured.rstrip("/")
    hosts = [host for host in settings.ALLOWED_HOSTS if host and host not in ("*", "testserver") and not host.startswith(".")]
    if not getattr(settings, "PRODUCTION", False) or not hosts:
        return "http://127.0.0.1:8000"
    return f"https://{hosts[0]}"


def verification_payload(base_url: str, code: str) -> str:
    """The QR's text. Without a path prefix the whole URL is written in upper case (scheme and host are
    case-insensitive; the app also answers /XAC-THUC/…), which QR encodes in its compact alphanumeric
    mode: a smaller code, quicker to print and to scan."""
    parts = urlsplit(base_url)
    if parts.path in ("", "/"):
        return f"{parts.scheme}://{parts.netloc}".upper() + f"/XAC-THUC/{code}"
    return f"{base_url.rstrip('/')}/xac-thuc/{code}"


def qr_matrix(payload: str) -> str:
    import segno

    qr = segno.make(payload, error="m", mask=0, boost_error=False, micro=False)
    return "\n".join("".join("1" if module else "0" for module in row) for row in qr.matrix)


def _qr_operators(matrix: str) -> str:
    """The dark modules as PDF rectangles in module units, runs along a row merged into one rectangle."""
    parts = []
    for row_index, row in enumerate(matrix.split("\n")):
        column, width = 0, len(row)
        while column < width:
            if row[column] == "1":
                start = column
                while column < width and row[column] == "1":
                    column += 1
                parts.append(f"{start} {row_index} {column - start} 1 re")
            else:
                column += 1
    return "\n".join(parts) + "\nf"


# ---------------------------------------------------------------- what a certificate says


@dataclass
class CertificateText:
    code: str
    title: str
    issuer: str
    salutation: str
    name: str
    position: str
    achievement: str
    place_date: str
    signer_lines: list[str]
    signer_name: str
    decision: str
    register: str
    qr: str = ""
    extra: dict = field(default_factory=dict)

    def value(self, key: str) -> str:
        return {
            "salutation": self.salutation,
            "name": self.name,
            "position": self.position,
            "achievement": self.achievement,
            "place_date": self.place_date,
            "signer_title": "\n".join(self.signer_lines),
            "signer_name": self.signer_name,
            "decision": self.decision,
            "register": self.register,
            # Printed on the certificate: Vietnamese whatever the language of the user who prints it.
            "code": f"Mã xác thực: {format_code(self.code)}",
        }.get(key, "")


def _achievement_for(line, decision) -> str:
    from thidua.decisions import wording
    from thidua.rules.enums import AwardCategory

    if line.achievement:
        text = line.achievement
    elif line.award.category == AwardCategory.TITLE:
        text = f"Đã đạt danh hiệu “{line.award.name}” {wording.period_text(line.period_start, line.period_end)}"
    else:
        text = decision.achievement
    text = text.strip()
    return (text[:1].upper() + text[1:]) if text else ""


def certificate_texts(decision, *, base_url: str | None = None, certificates=None) -> list[CertificateText]:
    """The text of every certificate of an issued decision, in the decision's order, computing (and
    keeping) the QR codes that are missing or point elsewhere."""
    from thidua.decisions import wording
    from thidua.decisions.models import Certificate
    from thidua.movements.documents import place_of

    base = (base_url or public_base_url()).rstrip("/")
    unit = decision.issuing_unit
    place_date = vietnamese_date(decision.decision_date, place_of(unit)) if decision.decision_date else ""
    decision_line = f"Quyết định số {decision.reference} ngày {decision.decision_date:%d/%m/%Y}" if decision.reference else ""
    signer_lines = decision.signature_lines()
    rows = list(certificates if certificates is not None else
                Certificate.objects.filter(decision=decision).select_related("recipient__award").order_by("recipient__order", "recipient_id"))
    stale = []
    texts = []
    for certificate in rows:
        payload = verification_payload(base, certificate.code)
        if certificate.qr_payload != payload or not certificate.qr_matrix:
            certificate.qr_payload, certificate.qr_matrix = payload, qr_matrix(payload)
            stale.append(certificate)
        line = certificate.recipient
        texts.append(CertificateText(
            code=certificate.code,
            title=wording.certificate_title(line.award),
            issuer=decision.authority_line.upper(),
            salutation=line.salutation,
            name=line.name,
            position=line.position,
            achievement=_achievement_for(line, decision),
            place_date=place_date,
            signer_lines=signer_lines,
            signer_name=decision.signer_name,
            decision=decision_line,
            register=f"Số sổ: {line.register_number}" if line.register_number else "",
            qr=certificate.qr_matrix,
        ))
    if stale:
        Certificate.objects.bulk_update(stale, ["qr_payload", "qr_matrix"], batch_size=500)
    return texts


def sample_text() -> CertificateText:
    """What the test print writes into the field boxes."""
    return CertificateText(
        code="7KQ2M9XD4TRBHC3N", title="GIẤY KHEN", issuer="GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", salutation="Ông",
        name="Nguyễn Văn Ánh", position="Chuyên viên, Phòng Quản lý khoa học",
        achievement="Đã có thành tích xuất sắc trong phong trào thi đua yêu nước giai đoạn 2015–2020",
        place_date="Tiền Giang, ngày 07 tháng 8 năm 2020", signer_lines=["GIÁM ĐỐC"], signer_name="Dương Văn Bon",
        decision="Quyết định số 05/QĐ-SKHCN ngày 07/8/2020", register="Số sổ: 001/2020",
        qr=qr_matrix(verification_payload("http://127.0.0.1:8000", "7KQ2M9XD4TRBHC3N")),
    )


# ---------------------------------------------------------------- drawing


def _font_for(bold: bool, italic: bool) -> str:
    return BOLD_ITALIC if bold and italic else BOLD if bold else ITALIC if italic else FONT


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for paragraph in nfc(text).split("\n"):
        lines.extend(simpleSplit(paragraph, font, size, width) or [""])
    return lines


def _draw_text(canvas, text: str, *, x: float, top: float, width: float, size: float, font: str, align: str = "center",
               leading: float = 1.25, max_lines: int = 0) -> float:
    """Write wrapped text in a box whose top left is (x, top) in points from the page's bottom left;
    returns the y below the last line."""
    lines = _lines(text, font, size, width)
    if max_lines and len(lines) > max_lines:
        # Shrink rather than cut: the whole achievement must be on the certificate.
        while size > 8 and len(_lines(text, font, size, width)) > max_lines:
            size -= 0.5
        lines = _lines(text, font, size, width)
    canvas.setFont(font, size)
    y = top - size * 0.85
    for line in lines:
        if align == "left":
            canvas.drawString(x, y, line)
        elif align == "right":
            canvas.drawRightString(x + width, y, line)
        else:
            canvas.drawCentredString(x + width / 2, y, line)
        y -= size * leading
    return y


def _fit(text: str, font: str, size: float, width: float, minimum: float = 12) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > minimum and stringWidth(text, font, size) > width:
        size -= 1
    return size


def _draw_qr(canvas, matrix: str, *, x: float, top: float, size: float) -> None:
    if not matrix:
        return
    modules = matrix.count("\n") + 1
    cell = size / modules
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    # Module coordinates: x to the right, rows downwards from the top left corner of the code.
    canvas.transform(cell, 0, 0, -cell, x, top)
    canvas.addLiteral(_qr_operators(matrix))
    canvas.restoreState()


def _draw_full(canvas, item: CertificateText, width: float, height: float) -> None:
    """The complete certificate on blank A4 landscape paper."""
    def y(mm: float) -> float:
        return height - mm * MM

    canvas.setStrokeColorRGB(*RED)
    canvas.setLineWidth(2.2)
    canvas.rect(9 * MM, 9 * MM, width - 18 * MM, height - 18 * MM)
    canvas.setLineWidth(0.7)
    canvas.rect(12 * MM, 12 * MM, width - 24 * MM, height - 24 * MM)
    canvas.setFillColorRGB(*RED)
    for cx, cy in ((12, 12), (width / MM - 12, 12), (12, height / MM - 12), (width / MM - 12, height / MM - 12)):
        canvas.circle(cx * MM, cy * MM, 1.6 * MM, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    centre = width / 2
    canvas.setFont(BOLD, 13)
    canvas.drawCentredString(centre, y(24), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.setFont(BOLD, 13.5)
    motto = "Độc lập - Tự do - Hạnh phúc"
    canvas.drawCentredString(centre, y(30), motto)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    half = stringWidth(motto, BOLD, 13.5) / 2
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.6)
    canvas.line(centre - half, y(31.3), centre + half, y(31.3))
    issuer_size = _fit(nfc(item.issuer), BOLD, 15, width - 60 * MM, minimum=11)
    _draw_text(canvas, item.issuer, x=30 * MM, top=y(37), width=width - 60 * MM, size=issuer_size, font=BOLD, max_lines=2)
    canvas.setFillColorRGB(*RED)
    title = nfc(item.title)
    canvas.setFont(BOLD, _fit(title, BOLD, 46, width - 60 * MM, minimum=24))
    canvas.drawCentredString(centre, y(66), title)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(ITALIC, 17)
    canvas.drawCentredString(centre, y(78), "Tặng")
    name = nfc(f"{item.salutation} {item.name}".strip() if item.salutation != "Tập thể" else f"Tập thể {item.name}")
    canvas.setFillColorRGB(0.05, 0.15, 0.5)
    canvas.setFont(BOLD, _fit(name, BOLD, 26, width - 50 * MM))
    canvas.drawCentredString(centre, y(90), name)
    canvas.setFillColorRGB(0, 0, 0)
    bottom = _draw_text(canvas, item.position, x=30 * MM, top=y(95), width=width - 60 * MM, size=15, font=ITALIC, max_lines=2)
    _draw_text(canvas, item.achievement, x=35 * MM, top=min(bottom - 2 * MM, y(104)), width=width - 70 * MM, size=16, font=BOLD_ITALIC, max_lines=3)
    right = width - 120 * MM
    _draw_text(canvas, item.place_date, x=right, top=y(138), width=100 * MM, size=14, font=ITALIC)
    _draw_text(canvas, "\n".join(item.signer_lines), x=right, top=y(145), width=100 * MM, size=14, font=BOLD)
    _draw_text(canvas, item.signer_name, x=right, top=y(178), width=100 * MM, size=15, font=BOLD)
    _draw_qr(canvas, item.qr, x=22 * MM, top=y(140), size=24 * MM)
    _draw_text(canvas, item.value("code"), x=22 * MM, top=y(165.5), width=80 * MM, size=9, font=FONT, align="left")
    _draw_text(canvas, item.decision, x=22 * MM, top=y(172), width=130 * MM, size=12, font=FONT, align="left")
    _draw_text(canvas, item.register, x=22 * MM, top=y(178), width=130 * MM, size=12, font=FONT, align="left")


def template_fields(template) -> dict[str, dict]:
    """The template's positions completed with the defaults (scaled to its sheet) for missing fields."""
    width, height = float(template.width_mm), float(template.height_mm)
    scale_x, scale_y = width / A4_LANDSCAPE[0], height / A4_LANDSCAPE[1]
    fields = {}
    stored = template.fields or {}
    for key in FIELD_KEYS:
        default = dict(DEFAULT_OVERLAY[key])
        default["x"] = round(default["x"] * scale_x, 1)
        default["y"] = round(default["y"] * scale_y, 1)
        default["w"] = round(default["w"] * scale_x, 1)
        merged = {"size": 14, "bold": False, "italic": False, "align": "center", "visible": True, "upper": False, **default, **stored.get(key, {})}
        fields[key] = merged
    return fields


def _draw_overlay(canvas, item: CertificateText, fields: dict, height: float) -> None:
    for key in FIELD_KEYS:
        spec = fields[key]
        if not spec.get("visible", True):
            continue
        x, top, width = float(spec["x"]) * MM, height - float(spec["y"]) * MM, float(spec["w"]) * MM
        if key == "qr":
            _draw_qr(canvas, item.qr, x=x, top=top, size=width)
            continue
        text = item.value(key)
        if spec.get("upper"):
            text = text.upper()
        font = _font_for(bool(spec.get("bold")), bool(spec.get("italic")))
        size = float(spec.get("size") or 14)
        if key == "name":
            size = _fit(nfc(text), font, size, width)
        _draw_text(canvas, text, x=x, top=top, width=width, size=size, font=font, align=spec.get("align", "center"),
                   max_lines=3 if key == "achievement" else 0)


def render_certificates(items: Iterable[CertificateText], *, mode: str = "full", template=None,
                        progress: Callable[[int], None] | None = None) -> bytes:
    """All certificates, one page each, in one PDF with the fonts embedded."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    if mode == "overlay":
        if template is None:
            raise ValidationError({"template": _("Chọn mẫu phôi để in lên phôi.")})
        size = (float(template.width_mm) * MM, float(template.height_mm) * MM)
        fields = template_fields(template)
    else:
        size = (A4_LANDSCAPE[0] * MM, A4_LANDSCAPE[1] * MM)
        fields = {}
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1, initialFontName=FONT, initialFontSize=12)
    canvas.setTitle("Giấy khen")
    canvas.setAuthor("thidua")
    count = 0
    for item in items:
        if mode == "overlay":
            _draw_overlay(canvas, item, fields, size[1])
        else:
            _draw_full(canvas, item, *size)
        canvas.showPage()
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if count == 0:
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * MM, size[1] - 20 * MM, "Không có giấy khen nào.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_print(template) -> bytes:
    """One page the size of the blank: a millimetre grid (every 5 mm, labelled every 10 mm) and each field
    in its box with sample text, to lay over a blank against the light and adjust the positions."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    width, height = float(template.width_mm), float(template.height_mm)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width * MM, height * MM), pageCompression=1, initialFontName=FONT, initialFontSize=12)
    canvas.setTitle(nfc(f"In thử — {template.name}"))
    for step in range(0, int(width) + 1, 5):
        canvas.setStrokeColorRGB(*((0.55, 0.6, 0.7) if step % 10 == 0 else (0.85, 0.88, 0.92)))
        canvas.setLineWidth(0.4 if step % 10 == 0 else 0.2)
        canvas.line(step * MM, 0, step * MM, height * MM)
        if step % 10 == 0 and step:
            canvas.setFont(FONT, 6)
            canvas.setFillColorRGB(0.3, 0.35, 0.45)
            canvas.drawString(step * MM + 0.5 * MM, height * MM - 3 * MM, str(step))
    for step in range(0, int(height) + 1, 5):
        canvas.setStrokeColorRGB(*((0.55, 0.6, 0.7) if step % 10 == 0 else (0.85, 0.88, 0.92)))
        canvas.setLineWidth(0.4 if step % 10 == 0 else 0.2)
        canvas.line(0, height * MM - step * MM, width * MM, height * MM - step * MM)
        if step % 10 == 0 and step:
            canvas.setFont(FONT, 6)
            canvas.setFillColorRGB(0.3, 0.35, 0.45)
            canvas.drawString(0.8 * MM, height * MM - step * MM - 2.5 * MM, str(step))
    fields = template_fields(template)
    labels = dict(FIELDS)
    canvas.setDash(2, 2)
    for key in FIELD_KEYS:
        spec = fields[key]
        if not spec.get("visible", True):
            continue
        box_height = float(spec["w"]) if key == "qr" else float(spec.get("size") or 14) / MM * 1.3 * (3 if key == "achievement" else 2 if key == "signer_title" else 1)
        canvas.setStrokeColorRGB(0.1, 0.3, 0.8)
        canvas.setLineWidth(0.5)
        canvas.rect(float(spec["x"]) * MM, (height - float(spec["y"]) - box_height) * MM, float(spec["w"]) * MM, box_height * MM)
        canvas.setFont(FONT, 6)
        canvas.setFillColorRGB(0.1, 0.3, 0.8)
        canvas.drawString(float(spec["x"]) * MM, (height - float(spec["y"])) * MM + 1, nfc(f"{labels[key]} (x={spec['x']}, y={spec['y']}, rộng {spec['w']} mm)"))
    canvas.setDash()
    canvas.setFillColorRGB(0, 0, 0)
    _draw_overlay(canvas, sample_text(), fields, height * MM)
    canvas.setFont(ITALIC, 8)
    canvas.drawRightString(width * MM - 5 * MM, 4 * MM, nfc(f"In thử mẫu phôi “{template.name}” — {width:g} × {height:g} mm; "
                                                                f"in ở tỷ lệ 100% (không co giãn) để đo đúng."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------- templates (calibration)


def clean_fields(values: dict) -> dict:
    """Validate submitted positions: known keys, numbers within range, known alignments. Raises a
    ValidationError naming the field."""
    cleaned: dict[str, dict] = {}
    labels = dict(FIELDS)
    for key, spec in (values or {}).items():
        if key not in FIELD_KEYS:
            raise ValidationError({"fields": _("Trường “%(key)s” không có trên giấy khen.") % {"key": key}})
        item: dict = {}
        for number in ("x", "y", "w", "size"):
            if number not in spec or spec[number] in (None, ""):
                continue
            try:
                value = float(Decimal(str(spec[number]).replace(",", ".")))
            except Exception:  # noqa: BLE001 — any unparsable number gets the same message
                raise ValidationError({"fields": _("%(field)s: “%(value)s” không phải là số.") % {"field": labels[key], "value": spec[number]}}) from None
            limit = 72 if number == "size" else 1000
            if not (0 <= value <= limit) or (number in ("w", "size") and value <= 0):
                raise ValidationError({"fields": _("%(field)s: giá trị %(value)s ngoài khoảng cho phép.") % {"field": labels[key], "value": spec[number]}})
            item[number] = round(value, 1)
        for flag in ("bold", "italic", "visible", "upper"):
            if flag in spec:
                item[flag] = bool(spec[flag])
        if "align" in spec:
            if spec["align"] not in ALIGNS:
                raise ValidationError({"fields": _("%(field)s: căn lề không hợp lệ.") % {"field": labels[key]}})
            item["align"] = spec["align"]
        cleaned[key] = item
    return cleaned


@transaction.atomic
def template_save(*, actor, unit, name: str, width_mm, height_mm, fields: dict, award=None, template=None):
    """Create or change a blank's calibration; audited with the old and new positions."""
    from thidua.accounts import scopes
    from thidua.common import audit
    from thidua.common.models import AuditAction
    from thidua.common.text import clean_text
    from thidua.decisions.models import CertificateTemplate

    if actor is not None and not scopes.can(actor, "decision.draft", unit):
        raise PermissionDenied
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": _("Nhập tên mẫu phôi.")})
    try:
        width, height = Decimal(str(width_mm)), Decimal(str(height_mm))
    except Exception:  # noqa: BLE001
        raise ValidationError({"width_mm": _("Kích thước phôi phải là số (mm).")}) from None
    if not (50 <= width <= 1000 and 50 <= height <= 1000):
        raise ValidationError({"width_mm": _("Kích thước phôi phải từ 50 đến 1000 mm.")})
    cleaned = clean_fields(fields)
    if template is None:
        row = CertificateTemplate(unit=unit, name=name, award=award, width_mm=width, height_mm=height, fields=cleaned,
                                  created_by=actor if getattr(actor, "pk", None) else None)
        row.save()
        audit.record(actor=actor, action=AuditAction.CREATE, obj=row, changes=audit.created(row))
        return row
    row = CertificateTemplate.objects.select_for_update().get(pk=template.pk)
    if actor is not None and not scopes.can(actor, "decision.draft", row.unit):
        raise PermissionDenied
    before = audit.snapshot(row)
    row.unit, row.name, row.award, row.width_mm, row.height_mm, row.fields = unit, name, award, width, height, cleaned
    row.save()
    changes = audit.diff(before, audit.snapshot(row))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=row, changes=changes)
    return row


# ---------------------------------------------------------------- batches


def _check_template_for(template, decision) -> None:
    if template is None:
        raise ValidationError({"template": _("Chọn mẫu phôi để in lên phôi.")})
    if not decision.issuing_unit.path.startswith(template.unit.path) and not template.unit.path.startswith(decision.issuing_unit.path):
        raise ValidationError({"template": _("Mẫu phôi này thuộc đơn vị khác.")})


def certificate_batch_start(*, actor, decision, mode: str = "full", template=None, base_url: str = "", inline: bool | None = None):
    """Start printing a decision's certificates: small decisions (≤ INLINE_LIMIT) are generated at once;
    larger ones run as a background task (``tasks.certificates_generate``) whose progress the page polls."""
    from thidua.accounts import scopes
    from thidua.common import audit
    from thidua.common.models import AuditAction
    from thidua.decisions.enums import CertificateMode, DecisionStatus
    from thidua.decisions.models import CertificateBatch, Decision

    decision = Decision.objects.select_related("issuing_unit").get(pk=decision.pk)
    if actor is not None and not scopes.can(actor, "decision.draft", decision.issuing_unit):
        raise PermissionDenied
    if decision.status != DecisionStatus.ISSUED:
        raise ValidationError({"mode": _("Chỉ in giấy khen của quyết định đã ban hành.")})
    if mode not in CertificateMode.values:
        raise ValidationError({"mode": _("Cách in không hợp lệ.")})
    if mode == CertificateMode.OVERLAY:
        _check_template_for(template, decision)
    else:
        template = None
    total = decision.certificates.count()
    if not total:
        raise ValidationError({"mode": _("Quyết định này không có giấy khen để in.")})
    inline = total <= INLINE_LIMIT if inline is None else inline
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            decision=decision, mode=mode, template=template, total=total, base_url=(base_url or public_base_url()).rstrip("/"),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=decision,
                     changes={"certificates": [None, {"batch": batch.pk, "mode": mode, "total": total}]},
                     note=_("In %(count)d giấy khen") % {"count": total})
        if not inline:
            from thidua.decisions.tasks import certificates_generate

            # Queued in the same transaction: the worker sees the task only with the batch it refers to.
            certificates_generate.enqueue(batch.pk)
    if inline:
        certificate_batch_run(batch.pk)
    batch.refresh_from_db()
    return batch


def certificate_batch_run(batch_id: int) -> None:
    """Generate a batch's PDF, writing the progress as it goes (outside any transaction, so that the page
    polling it sees the count move), then keep the PDF as a new version with its hash."""
    from thidua.decisions.enums import BatchStatus
    from thidua.decisions.models import CertificateBatch

    batch = CertificateBatch.objects.select_related("decision__issuing_unit", "template", "created_by").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return
    rows = CertificateBatch.objects.filter(pk=batch_id)
    rows.update(status=BatchStatus.RUNNING, done=0)
    decision = batch.decision
    try:
        texts = certificate_texts(decision, base_url=batch.base_url)
        content = render_certificates(texts, mode=batch.mode, template=batch.template, progress=lambda done: rows.update(done=done))
        suffix = "phoi" if batch.mode == "overlay" else "day-du"
        filename = f"giay-khen-{decision.number or decision.pk:02d}-{decision.year or ''}-{decision.issuing_unit.code.lower()}-{suffix}.pdf"
        with transaction.atomic():
            document = store_generated(obj=decision, kind=f"giay_khen_{batch.mode}", filename=filename, content=content, actor=batch.created_by)
            rows.update(status=BatchStatus.DONE, done=len(texts), document=document, finished_at=timezone.now())
    except Exception as error:  # noqa: BLE001 — the page shows the failure instead of polling for ever
        rows.update(status=BatchStatus.FAILED, error=str(getattr(error, "message", error))[:2000], finished_at=timezone.now())
        raise
