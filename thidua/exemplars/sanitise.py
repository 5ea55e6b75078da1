"""A small allow-list HTML sanitiser for the exemplar stories, built on Python's ``html.parser``.

Everything not listed is dropped: unknown tags lose their markup but keep their text, except the tags
whose content is code or a widget (script, style, iframe…), which are dropped with what they hold. Every
attribute not listed is dropped (``on*`` handlers, ``style``, ``class``…). Links keep only http(s),
mailto and same-site paths; images only the exemplar photo addresses of this site
(``/vinh-danh/anh/<id>/``), so a story can neither run code nor load anything from elsewhere (the CSP
would refuse it too). Text and attribute values are escaped again on the way out, tags are balanced,
and the output is NFC.
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a", "img", "figure", "figcaption",
}
VOID_TAGS = {"br", "img"}
ALLOWED_ATTRIBUTES = {"a": ("href", "title"), "img": ("src", "alt")}
# Dropped together with everything inside them.
DROP_CONTENT_TAGS = {
    "script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select", "svg", "math", "head", "title",
    "frame", "frameset", "applet", "noembed", "noframes", "xmp", "plaintext",
}
PHOTO_SRC = re.compile(r"^/vinh-danh/anh/(\d{1,12})/$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
MAX_INPUT = 200_000


def safe_href(value: str) -> str | None:
    """The link when it is http(s), mailto or a path of this site; None otherwise."""
    # Browsers ignore control characters and white space inside a scheme ("java\tscript:"): so do we.
    compact = _INVISIBLE.sub("", value or "")
    if not compact:
        return None
    match = _SCHEME.match(compact)
    if match:
        return value.strip() if match.group(1).lower() in ("http", "https", "mailto") else None
    if compact.startswith("/") and not compact.startswith(("//", "/\\")):
        return value.strip()
    return None


def photo_ids(text: str) -> list[int]:
    """The photos a cleaned story shows, in order."""
    return [int(match) for match in re.findall(r'src="/vinh-danh/anh/(\d+)/"', text or "")]


class _Cleaner(HTMLParser):
    def __init__(self, *, allow_images: bool, allowed_photos: set[int] | None):
        super().__init__(convert_charrefs=True)
        self.allow_images = allow_images
        self.allowed_photos = allowed_photos
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping: list[str] = []

    # ------------------------------------------------------------ tags

    def _attributes(self, tag: str, attrs) -> list[tuple[str, str]] | None:
        kept: list[tuple[str, str]] = []
        allowed = ALLOWED_ATTRIBUTES.get(tag, ())
        values = {name.lower(): value or "" for name, value in attrs if name}
        for name in allowed:
            if name not in values:
                continue
            value = values[name]
            if name == "href":
                href = safe_href(value)
                if href is None:
                    continue
                value = href
            elif name == "src":
                match = PHOTO_SRC.match(value.strip())
                if match is None or not self.allow_images:
                    return None
                if self.allowed_photos is not None and int(match.group(1)) not in self.allowed_photos:
                    return None
                value = value.strip()
            kept.append((name, value[:500]))
        if tag == "img" and not any(name == "src" for name, _ in kept):
            return None
        if tag == "a":
            kept.append(("rel", "nofollow noopener"))
        return kept

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if self.dropping:
            if tag in DROP_CONTENT_TAGS:
                self.dropping.append(tag)
            return
        if tag in DROP_CONTENT_TAGS:
            self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        kept = self._attributes(tag, attrs)
        if kept is None:
            return
        rendered = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in kept)
        self.out.append(f"<{tag}{rendered}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        tag = tag.lower()
        if tag in DROP_CONTENT_TAGS:
            return  # "<svg/>": nothing to keep, nothing opened
        self.handle_starttag(tag, attrs)
        # "<p/>" is not a void element: close what was opened.
        if tag not in VOID_TAGS and self.open and self.open[-1] == tag and not self.dropping:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag not in self.open:
            return  # a stray end tag
        while self.open:
            current = self.open.pop()
            self.out.append(f"</{current}>")
            if current == tag:
                break

    # ------------------------------------------------------------ text

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass

    def result(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def clean_html(text: str | None, *, allow_images: bool = True, allowed_photos: set[int] | None = None) -> str:
    """The allow-listed part of ``text``. ``allow_images=False`` drops every image (a public page whose
    holder did not consent to photos); ``allowed_photos`` keeps only images of those photo ids."""
    if not text:
        return ""
    source = unicodedata.normalize("NFC", str(text)[:MAX_INPUT])
    cleaner = _Cleaner(allow_images=allow_images, allowed_photos=allowed_photos)
    cleaner.feed(source)
    cleaned = cleaner.result().strip()
    # A story that is only empty paragraphs is empty.
    return "" if not re.sub(r"<[^>]+>|\s|&nbsp;", "", cleaned) and "<img" not in cleaned else cleaned


def plain_text(text: str | None) -> str:
    """The story's words without markup (for search and for the documents)."""
    if not text:
        return ""
    stripped = re.sub(r"<(br|/p|/li|/h3|/h4|/blockquote|/figcaption)\s*/?>", "\n", text)
    stripped = re.sub(r"<[^>]+>", "", stripped)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(stripped)).strip()
