"""The words of a decision that are computed from its data: award phrases, periods, counts, the signer
and the authority line, the default legal bases. Shared by the drafting service, the DOCX and the
certificates, so that the three say the same thing."""

import datetime
from collections import Counter

from django.db.models import Q

from thidua.movements.documents import COLLECTIVE_BODIES, HEAD_TITLES
from thidua.rules.enums import AwardCategory


def lower_first(text: str) -> str:
    """ "Phong trào thi đua…" → "phong trào thi đua…" (an acronym such as "UBND" is left alone)."""
    text = (text or "").strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def period_text(start: int, end: int) -> str:
    return f"năm {end}" if start == end else f"giai đoạn {start}–{end}"


def award_phrase(award) -> str:
    """What Điều 1 does with the award: a title is recognised, a form is given."""
    if award.category == AwardCategory.TITLE:
        return f"công nhận danh hiệu “{award.name}”"
    return f"tặng {award.name}"


def certificate_title(award) -> str:
    """The big word on the certificate: "GIẤY KHEN", "BẰNG KHEN", or "GIẤY CHỨNG NHẬN" for a title."""
    if award.category == AwardCategory.TITLE:
        return "GIẤY CHỨNG NHẬN"
    artifact = (award.artifacts or award.name).split(",")[0].strip()
    return artifact.upper() or award.name.upper()


def salutation_of(person=None, unit=None, household_name: str = "") -> str:
    if person is not None:
        return {"nam": "Ông", "nu": "Bà"}.get(person.gender or "", "")
    if unit is not None:
        return "Tập thể"
    return "Hộ"


def counts_text(subjects: list[str]) -> str:
    """ "02 tập thể và 14 cá nhân" from the recipients' subjects (individual, collective, household)."""
    counts = Counter(subjects)
    parts = []
    for subject, label in (("collective", "tập thể"), ("household", "hộ gia đình"), ("individual", "cá nhân")):
        if counts[subject]:
            parts.append(f"{counts[subject]:02d} {label}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " và " + parts[-1]
    return parts[0] if parts else ""


def who_text(subjects: list[str]) -> str:
    """ "các tập thể, cá nhân", "các cá nhân", "tập thể" … for the subject line."""
    kinds = set(subjects)
    many = len(subjects) > 1
    if kinds == {"individual"}:
        return "các cá nhân" if many else "cá nhân"
    if kinds == {"collective"}:
        return "các tập thể" if many else "tập thể"
    if kinds == {"household"}:
        return "các hộ gia đình" if many else "hộ gia đình"
    return "các tập thể, cá nhân"


def head_title(unit) -> str:
    return HEAD_TITLES.get(unit.kind, "THỦ TRƯỞNG ĐƠN VỊ")


def authority_line(unit) -> str:
    """The line naming who decides, above the legal bases: "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"; a People's
    Committee decides as a body ("ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG" → "CHỦ TỊCH ỦY BAN NHÂN DÂN …")."""
    return f"{head_title(unit)} {unit.name.upper()}"


def default_signer(unit, user=None) -> dict:
    """The signer proposed for a new draft — ``user``, else a user holding ``signer`` on the issuing unit (the
    head before a deputy) — with the authority word and titles of the signature block (a deputy signs "KT.")."""
    from thidua.accounts.models import RoleAssignment
    from thidua.common.text import clean_text, fold

    head = head_title(unit)
    body = COLLECTIVE_BODIES.get(unit.kind, "").removeprefix("TM. ")
    signers = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(role="signer", unit=unit, user__is_active=True)
        .select_related("user__person")
        .order_by("user__username")
    ]

    def position(user) -> str:
        return clean_text(user.person.current_position) if user.person_id else ""

    signers.sort(key=lambda user: fold(position(user)).startswith("pho "))
    if user is not None:
        signers = [user]
    result = {"signer": None, "signer_authority": "", "signer_body_title": head, "signer_title": head, "signer_name": ""}
    if body:
        # A People's Committee: "TM. ỦY BAN NHÂN DÂN" over "CHỦ TỊCH".
        result.update(signer_authority="TM.", signer_body_title=body)
    if not signers:
        return result
    chosen = signers[0]
    title = position(chosen).upper()
    result["signer"] = chosen
    result["signer_name"] = chosen.person.full_name if chosen.person_id else chosen.get_full_name()
    if fold(title).startswith("pho "):
        result.update(signer_authority="KT.", signer_body_title=head, signer_title=title)
    elif not body:
        result["signer_title"] = head
    return result


def default_bases(day: datetime.date, unit) -> list[str]:
    """The laws the ruleset in force on ``day`` rests on, one "Căn cứ …;" line each."""
    from thidua.rules.rulesets import ruleset_for

    ruleset = ruleset_for(day, unit)
    return [f"Căn cứ {source};" for source in ruleset.document.get("sources", [])]


def positions_on(people, day: datetime.date) -> dict[int, str]:
    """ "Chuyên viên, Văn phòng Sở" for each person as their employment stood on ``day`` (one query), the
    current post when the history does not cover that day."""
    from thidua.organizations.models import Employment

    people = list(people)
    found: dict[int, str] = {}
    rows = (
        Employment.objects.filter(person__in=people, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("unit")
        .order_by("person_id", "start_date", "id")
    )
    for row in rows:
        found[row.person_id] = ", ".join(part for part in (row.position, row.unit.name) if part)
    for person in people:
        if person.pk not in found:
            unit_name = person.current_unit.name if person.current_unit_id else ""
            found[person.pk] = ", ".join(part for part in (person.current_position, unit_name) if part)
    return found


def money_text(amount: int | None) -> str:
    """1.490.000 the Vietnamese way."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".")


def coefficient_text(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def date_short(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""
