"""A council of the department with its members, and nominees waiting in the council, built through the
real services (rounds, dossiers, the nomination workflow)."""

import datetime
import itertools

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_person, make_user
from thidua.council import services
from thidua.council.enums import MemberRole
from thidua.nominations import services as nominations
from thidua.nominations.enums import AttachmentKind
from thidua.nominations.models import NominationAttachment
from thidua.rules.models import AwardType

SESSION_DAY = datetime.date(2026, 3, 10)
TERM_START = datetime.date(2025, 1, 1)
_names = itertools.count(1)

PDF = b"%PDF-1.4\n% scanned tally sheet\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def scan(name: str = "bien-ban.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_council(officer, unit, *, size: int = 10, start_on: datetime.date = TERM_START, prefix: str = "hd"):
    """A council of ``size`` members: [0] the chair, [1] the secretary, the rest members; users
    ``{prefix}1`` … with person records named after them."""
    council = services.council_create(actor=officer, unit=unit, name=f"Hội đồng Thi đua – Khen thưởng {unit.name}",
                                      established_by="Quyết định số 12/QĐ-SKHCN ngày 05/01/2025")
    memberships = []
    for index in range(size):
        role = MemberRole.CHAIR if index == 0 else MemberRole.SECRETARY if index == 1 else MemberRole.MEMBER
        person = make_person(f"Thành Viên Số {next(_names)}", unit=unit, position="Phó Giám đốc Sở" if index else "Giám đốc Sở")
        user = make_user(f"{prefix}{index + 1}", role="council_member", unit=unit, person=person)
        memberships.append(services.membership_add(actor=officer, council=council, user=user, role=role, start_on=start_on,
                                                   title=person.current_position))
    return council, memberships


def _attach(nomination, *kinds):
    for kind in kinds:
        attachment = NominationAttachment(nomination=nomination, kind=kind, original_name=f"{kind}.pdf", size=10, sha256="0" * 64)
        attachment.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        attachment.save()


def make_in_council(officer, manager, *, office, department, people: int = 3, collectives=(), award: str = "GIAY_KHEN", year: int = 2025):
    """One dossier of ``office`` to a round of ``department`` with ``people`` individuals (and the given
    collectives), moved through the workflow to ``in_council``. Returns its nominees."""
    giay_khen = AwardType.objects.get(code=award)
    round_ = nominations.round_create(
        actor=officer, awarding_unit=department, title=f"Xét khen thưởng năm {year} ({next(_names)})", period_start=year, period_end=year,
        opens_on=datetime.date(year, 12, 1), submission_deadline=datetime.date(year + 1, 1, 10), accepted_awards=[giay_khen],
    )
    nomination = nominations.nomination_create(actor=manager, round=round_, proposing_unit=office)
    for _index in range(people):
        person = make_person(f"Người Được Đề Nghị {next(_names)}", unit=office)
        nominations.nominee_add(actor=manager, nomination=nomination, award=giay_khen, person=person, summary="Hoàn thành xuất sắc nhiệm vụ.")
    for unit in collectives:
        nominations.nominee_add(actor=manager, nomination=nomination, award=giay_khen, unit=unit, summary="Tập thể tiêu biểu.")
    _attach(nomination, AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.AWARD_MINUTES,
            AttachmentKind.SCREENING_MINUTES)
    nominations.nomination_transition(actor=manager, nomination=nomination, to="submitted")
    nominations.nomination_transition(actor=officer, nomination=nomination, to="under_review")
    nominations.nomination_transition(actor=officer, nomination=nomination, to="in_council")
    return list(nomination.nominees.order_by("id"))


@pytest.fixture
def council_and_members(officer, department):
    return make_council(officer, department)


@pytest.fixture
def council(council_and_members):
    return council_and_members[0]


@pytest.fixture
def members(council_and_members):
    return council_and_members[1]


@pytest.fixture
def secretary(members):
    return members[1].user


@pytest.fixture
def nominees(officer, manager, office, department):
    return make_in_council(officer, manager, office=office, department=department, people=3)


def open_session(council, members, nominees, *, present=None, held_on=SESSION_DAY, opened=None):
    """A session of all ``nominees``, attendance taken (all members present unless ``present`` says
    which), voting open (for ``opened`` nominees, or all)."""
    secretary = members[1].user
    session = services.session_create(actor=secretary, council=council, nominees=nominees, held_on=held_on)
    services.attendance_set(actor=secretary, session=session, present=present if present is not None else members)
    return services.voting_open(actor=secretary, session=session, nominees=opened)


def ballot(nominees, *choices):
    """A ballot giving ``choices[i]`` to ``nominees[i]`` (one choice repeated when only one is given)."""
    if len(choices) == 1:
        choices = choices * len(nominees)
    return {nominee.pk: choice for nominee, choice in zip(nominees, choices, strict=True)}
