"""Invitation tokens: 20 characters of Crockford base32 (100 random bits from ``secrets``), printed as a QR
code holding the invitation's address and as a code in groups of four for typing at the door.

The QR holds the address in upper case (``HTTP://HOST/THU-MOI/<TOKEN>``): scheme and host are
case-insensitive and the app answers ``/THU-MOI/`` too, so the QR uses its compact alphanumeric mode."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
_READ = str.maketrans({"O": "0", "I": "1", "L": "1"})
# A scanned address: whatever comes before, the token is the last path segment after "thu-moi/".
_IN_URL = re.compile(r"thu-moi/([0-9A-Za-z\-]+)/?\s*$", re.IGNORECASE)


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_token(token: str) -> str:
    return "-".join(token[index : index + 4] for index in range(0, len(token), 4))


def normalise_token(text: str | None) -> str | None:
    """The stored form of a typed code or a scanned address (upper case, no separators, O read as 0 and
    I, L as 1), or None when it cannot be a token."""
    text = (text or "").strip()
    match = _IN_URL.search(text)
    if match:
        text = match.group(1)
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_.").translate(_READ)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def invitation_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/THU-MOI/{token}".upper() if "/" not in base_url.split("://", 1)[-1].rstrip("/") else (
        f"{base_url.rstrip('/')}/thu-moi/{token}"
    )
