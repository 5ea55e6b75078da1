"""The council stage of the demo, built once for this module inside a transaction rolled back at the end."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import override_settings

from thidua.accounts.models import User
from thidua.council import selectors
from thidua.council.documents import session_documents
from thidua.council.enums import MemberRole, SessionStatus
from thidua.council.models import Council, Participation, Receipt, Session
from thidua.demo.data import STAGES, build_demo, councils
from thidua.nominations.enums import NominationStatus, NomineeStatus

USERNAMES = [f"hoidong{n}" for n in range(1, 8)] + ["thuky"]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    # The uploaded and generated files go to a temporary media folder, not to the checkout's var/.
    isolated = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=demo_media)
    # The stages up to this one: later stages (the decisions) move the approved nominees on.
    stages = STAGES[: STAGES.index(councils) + 1]
    with django_db_blocker.unblock(), transaction.atomic(), isolated:
        yield build_demo(stages)
        transaction.set_rollback(True)


@pytest.fixture
def media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.mark.django_db
def test_demo_council_of_the_department_with_its_members(demo):
    council = Council.objects.get()
    assert council.unit.code == "SKHCN_TG"
    members = selectors.memberships_on(council, datetime.date(2020, 8, 5))
    assert [m.user.username for m in members][:1] == ["hoidong1"]
    assert sorted(m.user.username for m in members) == sorted(USERNAMES)
    chair = members[0]
    assert (chair.role, chair.name, chair.title) == (MemberRole.CHAIR, "Dương Văn Bon", "Giám đốc Sở")
    secretary = next(m for m in members if m.role == MemberRole.SECRETARY)
    assert secretary.user.username == "thuky" and secretary.user.person.current_position in {"Chánh Văn phòng", "Phó Chánh Văn phòng"}
    titles = " ".join(m.title for m in members)
    for post in ("Phó Giám đốc Sở", "Bí thư Đảng ủy Sở", "Chủ tịch Công đoàn cơ sở", "Bí thư Chi đoàn Sở", "Chánh Văn phòng Sở"):
        assert post in titles
    # Terms end with the department (the merger of 1/7/2025).
    assert selectors.memberships_on(council, datetime.date(2025, 7, 1)) == []


@pytest.mark.django_db
def test_demo_council_users_log_in_with_the_demo_password(demo):
    for username in USERNAMES:
        user = User.objects.get(username=username)
        assert user.is_demo
        assert authenticate(username=username, password="thidua-demo") == user


@pytest.mark.django_db
def test_demo_2020_session_approved_the_seeds_two_collectives_and_fourteen_individuals(demo):
    session = Session.objects.get(held_on=datetime.date(2020, 8, 5))
    assert session.status == SessionStatus.CLOSED
    items = list(session.items.select_related("nominee"))
    assert len(items) == 16
    assert sum(1 for item in items if item.nominee.unit_id) == 2
    assert {item.result for item in items} == {"approved"}
    assert {item.nominee.status for item in items} == {NomineeStatus.APPROVED}
    assert {item.nominee.nomination.status for item in items} == {NominationStatus.APPROVED}
    assert (session.members_total, session.present_total) == (8, 7)
    assert Participation.objects.filter(session=session).count() == 8  # 7 on screen, 1 in writing
    assert Receipt.objects.filter(session=session).count() == 7
    assert {item.yes_count + item.no_count + item.abstain_count for item in items} == {8}
    assert session.ruleset_code == "ND91_2017"
    assert {document.kind for document in session_documents(session)} == {"bien_ban_hop", "bien_ban_kiem_phieu"}


@pytest.mark.django_db
def test_demo_leaves_a_published_session_ready_to_open(demo):
    session = Session.objects.get(held_on=datetime.date(2020, 9, 16))
    assert session.status == SessionStatus.PUBLISHED
    assert session.items.count() >= 1
    assert {item.nominee.status for item in session.items.select_related("nominee")} == {NomineeStatus.IN_COUNCIL}
    assert session.attendance.filter(present=True).count() == 7
    assert selectors.is_secretary(User.objects.get(username="thuky"), session)


@pytest.mark.django_db
def test_demo_minutes_name_the_units_of_2020_not_the_successors(demo, media):
    import io

    from docx import Document

    session = Session.objects.get(held_on=datetime.date(2020, 8, 5))
    stored = session_documents(session).get(kind="bien_ban_hop")
    with stored.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ngày 05 tháng 8 năm 2020" in text
    assert "Chi cục Tiêu chuẩn Đo lường Chất lượng" in text or "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ" in text
    for successor in ("Trung tâm Khoa học và Công nghệ", "Phòng Tiêu chuẩn, Đo lường, Chất lượng", "tỉnh Đồng Tháp"):
        assert successor not in text
