"""The interface is written in Vietnamese; the English catalog (thidua/locale/en) must translate all of it."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("common:dashboard")
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"


# --- switching language -------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    content = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content
    assert "Log in" not in content


@pytest.mark.django_db
def test_login_page_in_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content
    assert "Username" in content and "Password" in content
    assert "Đăng nhập" not in content


@pytest.mark.django_db
def test_set_language_view_switches_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get(LOGIN).content.decode()

    client.post(reverse("set_language"), {"language": "vi", "next": LOGIN})
    assert "Đăng nhập" in client.get(LOGIN).content.decode()


@pytest.mark.django_db
def test_dashboard_in_english(officer_client):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = officer_client.get(DASHBOARD).content.decode()
    assert "Overview" in content
    assert "Log out" in content
    assert "Tổng quan" not in content


# --- the catalog itself ---------------------------------------------------------------------------


def _po_entries(path: Path) -> list[dict]:
    """A small .po reader: one dict per entry with flags, msgctxt, msgid, msgid_plural, msgstr (list)."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def finish():
        if "msgid" in entry:
            entries.append(entry.copy())
        entry.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            field = None
        elif line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            if "msgid" in entry:
                finish()
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                if keyword == "msgstr" or keyword.startswith("msgstr["):
                    entry.setdefault("msgstr", []).append(value)
                field = "msgstr"
            else:
                if keyword == "msgid" and "msgstr" in entry:
                    finish()
                entry[keyword] = value
                field = keyword
    finish()
    return [e for e in entries if e["msgid"] and not e.get("obsolete")]


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


def test_english_catalog_has_every_message_translated():
    entries = _po_entries(PO_FILE)
    assert len(entries) > 1000
    untranslated = [
        e["msgid"] for e in entries if not e.get("msgstr") or not all(s.strip() for s in e["msgstr"])
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]
    assert untranslated == []
    assert fuzzy == []
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals and all(len(e["msgstr"]) == 2 for e in plurals)


def test_english_translations_keep_the_placeholders():
    mismatched = []
    for entry in _po_entries(PO_FILE):
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, translation in enumerate(entry["msgstr"]):
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(source)):
                # A singular form may leave out the count ("one more role"), never add a name.
                if not (
                    "msgid_plural" in entry
                    and index == 0
                    and set(PLACEHOLDER.findall(translation)) <= set(PLACEHOLDER.findall(source))
                ):
                    mismatched.append(entry["msgid"])
    assert mismatched == []


def test_compiled_catalog_matches_the_po_file():
    """django.mo is committed next to django.po: it must hold every translation of the .po."""
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in _po_entries(PO_FILE):
        key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            got = [
                catalog.ngettext(key, entry["msgid_plural"], 1),
                catalog.ngettext(key, entry["msgid_plural"], 2),
            ]
        else:
            got = [catalog.gettext(key)]
        if got != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == [], "run: python manage.py compilemessages -l en --ignore=.venv"
