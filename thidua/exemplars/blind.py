"""Uploads of the exemplar registry and the conference: presentation files (PDF, DOCX) with the reviewer copy
that blind review needs, and story photos (JPEG, PNG).

Blind review. A reviewer of a blind conference never receives the original file: they get
``Presentation.blind_file``, served under a neutral name (``tham-luan-<id>.pdf``). That copy is made on
upload:
- DOCX: the document properties are emptied (``docProps/core.xml``: creator, last modified by, title,
  subject, keywords, description; ``docProps/app.xml``: company, manager, template; ``docProps/custom.xml``),
  the list of editors (``word/people.xml``) is emptied, every ``w:author``/``w:initials`` of comments and
  tracked changes becomes "Ẩn danh", and links to a template on the author's disk are cut;
- PDF: the information dictionary's Author, Creator, Producer, Title, Subject and Keywords strings, the
  authors of comments (annotations' /T; bookmark titles are blanked with them) and the XMP metadata packet are overwritten with blanks of the same length (byte offsets, hence the
  cross-reference table, stay valid). When metadata sits inside a compressed object stream, or the file is
  encrypted, it cannot be cleaned in place: no copy is made, the reviewer is told the file is withheld, and
  the organiser uploads an anonymised copy by hand.
What the text itself says (a name in a heading) cannot be found by a program: in a blind conference the
submission form asks authors to leave their names out of the file, and the organiser can replace the copy.

Photos are decoded and re-encoded with Pillow (which reportlab already requires): a file that is not
really an image fails, and the EXIF block (camera owner, GPS position) is not carried over.
"""

import io
import re
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.nominations.attachments import content_matches

PRESENTATION_EXTENSIONS = (".pdf", ".docx")
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")
ANONYMOUS = "Ẩn danh"


def presentation_max_bytes() -> int:
    return int(getattr(settings, "PRESENTATION_MAX_BYTES", 20 * 1024 * 1024))


def photo_max_bytes() -> int:
    return int(getattr(settings, "EXEMPLAR_PHOTO_MAX_BYTES", 8 * 1024 * 1024))


def _limit_label(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def check_presentation_file(file, *, field: str = "file") -> str:
    """The extension (".pdf" or ".docx") of an acceptable presentation file; a ValidationError otherwise."""
    if file is None:
        raise ValidationError({field: _("Chọn tệp tham luận.")})
    extension = Path(file.name or "").suffix.lower()
    if extension not in PRESENTATION_EXTENSIONS:
        raise ValidationError({field: _("Tham luận nhận tệp PDF hoặc DOCX.")})
    if file.size == 0:
        raise ValidationError({field: _("Tệp rỗng.")})
    if file.size > presentation_max_bytes():
        raise ValidationError({field: _("Tệp lớn hơn giới hạn %(size)s MB.") % {"size": _limit_label(presentation_max_bytes())}})
    if not content_matches(extension, file):
        raise ValidationError({field: _("Nội dung tệp không đúng định dạng %(kind)s; tệp có thể đã bị đổi tên.") % {"kind": extension[1:].upper()}})
    return extension


# ---------------------------------------------------------------- DOCX

_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>'
)
_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>'
)
_PEOPLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"></w15:people>'
)
_AUTHOR_ATTRIBUTE = re.compile(rb'(\b[\w]+:author)="[^"]*"')
_INITIALS_ATTRIBUTE = re.compile(rb'(\b[\w]+:initials)="[^"]*"')
_FILE_TARGET = re.compile(rb'Target="file:[^"]*"', re.IGNORECASE)


def blind_docx(content: bytes) -> bytes:
    """A copy of the DOCX without who wrote or edited it (see the module docstring)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            name = info.filename
            if name == "docProps/core.xml":
                data = _CORE.encode()
            elif name == "docProps/app.xml":
                data = _APP.encode()
            elif name == "docProps/custom.xml":
                data = _CUSTOM.encode()
            elif name.endswith("/people.xml"):
                data = _PEOPLE.encode()
            elif name.endswith(".xml"):
                data = _AUTHOR_ATTRIBUTE.sub(lambda match: match.group(1) + f'="{ANONYMOUS}"'.encode(), data)
                data = _INITIALS_ATTRIBUTE.sub(lambda match: match.group(1) + b'=""', data)
            elif name.endswith(".rels"):
                data = _FILE_TARGET.sub(b'Target="template.dotx"', data)
            clean = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            clean.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(clean, data)
    return buffer.getvalue()


# ---------------------------------------------------------------- PDF

# The information dictionary, and "/T": the author of an annotation (a comment) in the page.
_INFO_KEYS = re.compile(rb"/(Author|Creator|Producer|Title|Subject|Keywords|T)\s*([(<])")
_XMP = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>|<\?xpacket begin.*?<\?xpacket end[^>]*>", re.DOTALL)
_STREAM = re.compile(rb"stream\r?\n")
_REVEALING = (b"/Author", b"xmpmeta", b"dc:creator", b"pdf:Producer", b"xmp:CreatorTool")


def _string_end(data: bytes, start: int) -> int:
    """The index just after the PDF string that starts at ``start`` (a "(" literal or a "<" hex string)."""
    if data[start : start + 1] == b"<":
        end = data.find(b">", start)
        return -1 if end < 0 else end + 1
    depth, index = 0, start
    while index < len(data):
        char = data[index : index + 1]
        if char == b"\\":
            index += 2
            continue
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return -1


def _blank_strings(data: bytearray) -> None:
    for match in list(_INFO_KEYS.finditer(bytes(data))):
        start = match.start(2)
        if data[start : start + 2] == b"<<":
            continue  # a dictionary, not a string
        end = _string_end(bytes(data), start)
        if end < 0:
            continue
        opening, closing = data[start : start + 1], data[end - 1 : end]
        data[start:end] = opening + b" " * (end - start - 2) + closing


def _compressed_streams_reveal(data: bytes) -> bool:
    """Whether a Flate-compressed stream (an object stream may hold the information dictionary) names an
    author or holds XMP metadata."""
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        try:
            inflated = zlib.decompressobj().decompress(data[start:end], 5_000_000)
        except zlib.error:
            continue
        if any(marker in inflated for marker in _REVEALING):
            return True
    return False


def blind_pdf(content: bytes) -> bytes | None:
    """A copy of the PDF with its metadata blanked in place, or None when that cannot be done safely."""
    if b"/Encrypt" in content:
        return None
    data = bytearray(content)
    _blank_strings(data)
    for match in list(_XMP.finditer(bytes(data))):
        data[match.start() : match.end()] = b" " * (match.end() - match.start())
    cleaned = bytes(data)
    if _compressed_streams_reveal(cleaned):
        return None
    return cleaned


def blind_copy(content: bytes, extension: str) -> bytes | None:
    """The reviewer copy of a presentation file, or None when it must be made by hand."""
    if extension == ".docx":
        try:
            return blind_docx(content)
        except (zipfile.BadZipFile, KeyError, ValueError):
            return None
    if extension == ".pdf":
        return blind_pdf(content)
    return None


# ---------------------------------------------------------------- photos


def clean_photo(file) -> tuple[bytes, str, int, int]:
    """(bytes, extension, width, height) of the photo re-encoded without metadata; a ValidationError for
    anything that is not a JPEG or PNG picture within the size limit."""
    from PIL import Image, UnidentifiedImageError

    if file is None:
        raise ValidationError({"photo": _("Chọn ảnh cần tải lên.")})
    extension = Path(file.name or "").suffix.lower()
    if extension not in PHOTO_EXTENSIONS:
        raise ValidationError({"photo": _("Ảnh phải là tệp JPEG hoặc PNG.")})
    if file.size == 0:
        raise ValidationError({"photo": _("Tệp rỗng.")})
    if file.size > photo_max_bytes():
        raise ValidationError({"photo": _("Ảnh lớn hơn giới hạn %(size)s MB.") % {"size": _limit_label(photo_max_bytes())}})
    if not content_matches(extension, file):
        raise ValidationError({"photo": _("Nội dung tệp không phải ảnh %(kind)s; tệp có thể đã bị đổi tên.") % {"kind": "JPEG" if extension != ".png" else "PNG"}})
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.width * image.height > 40_000_000:
                raise ValidationError({"photo": _("Ảnh quá lớn (tối đa 40 triệu điểm ảnh).")})
            image.load()
            buffer = io.BytesIO()
            if extension == ".png":
                image.save(buffer, format="PNG", optimize=True)
            else:
                image.convert("RGB").save(buffer, format="JPEG", quality=88, optimize=True)
            width, height = image.width, image.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": _("Không đọc được ảnh: tệp bị hỏng hoặc không phải ảnh.")}) from None
    finally:
        file.seek(0)
    return buffer.getvalue(), ".png" if extension == ".png" else ".jpg", width, height
