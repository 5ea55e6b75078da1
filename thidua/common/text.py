"""Vietnamese text: NFC normalisation, accent folding for search, dictionary order for sorting.

Every text that enters thidua is NFC (composed): decomposed input puts tone marks in the wrong place in
PDFs and makes "Nguyễn" typed on a Mac differ from "Nguyễn" typed on Windows.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with the Latin
# letters Vietnamese does not use (f j w z) in their Latin places, digits before letters.
_ALPHABET = (
    list("0123456789")
    + ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n"]
    + ["o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _code(index: int) -> str:
    # Two lower-case ASCII letters per Vietnamese letter. Codes start at "ab" so that the part
    # separator "aa" sorts before every letter ("An" before "Anh"). Plain a–z compares the same under
    # PostgreSQL's C and en_US collations and SQLite's BINARY, so ORDER BY needs no special collation.
    index += 1
    return _LETTERS[index // 26] + _LETTERS[index % 26]


_PRIMARY = {letter: _code(i) for i, letter in enumerate(_ALPHABET)}
_PART_SEPARATOR = "aa"

# Letter-forming marks make a different letter (a → ă, â); tone marks only order words that are
# otherwise equal, in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONE_MARKS = {"\u0300": "b", "\u0309": "c", "\u0303": "d", "\u0301": "e", "\u0323": "f"}
_MARKED_LETTERS = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}


def nfc(value: str | None) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


def clean_text(value: str | None) -> str:
    """NFC, trimmed, inner runs of white space collapsed to one space."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Accent-insensitive, case-insensitive form: "Nguyễn Văn Ân" → "nguyen van an"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def _letters_with_tones(word: str) -> list[tuple[str, str]]:
    """Split a word into (Vietnamese letter, tone letter) pairs; tone "a" means no tone."""
    result: list[tuple[str, str]] = []
    for char in unicodedata.normalize("NFC", word.lower()):
        if char == "đ":
            result.append(("đ", "a"))
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        letter, tone = base, "a"
        for mark in marks:
            if mark in _LETTER_MARKS:
                letter = _MARKED_LETTERS.get((base, _LETTER_MARKS[mark]), base)
            elif mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
        if letter in _PRIMARY:
            result.append((letter, tone))
    return result


def sort_key(*parts: str | None) -> str:
    """A key that sorts name parts in Vietnamese dictionary order with plain byte comparison.

    People are sorted by given name, then family name, then middle name: call
    ``sort_key(given, family, middle)``. Letters decide first (all parts), tone marks only break ties.
    """
    primary: list[str] = []
    secondary: list[str] = []
    for part in parts:
        pairs = _letters_with_tones(part or "")
        primary.append("".join(_PRIMARY[letter] for letter, _ in pairs) + _PART_SEPARATOR)
        secondary.append("".join(tone for _, tone in pairs) + "a")
    return "".join(primary) + "".join(secondary)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """"Nguyễn Thị Minh Khai" → ("Nguyễn", "Thị Minh", "Khai"): family first, given last."""
    words = clean_text(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def search_terms(query: str | None) -> list[str]:
    """The folded words of a search box, each of which must appear."""
    return [term for term in fold(query).split(" ") if term]
