"""The council pages: happy paths and forbidden access for each, the secretary's session page step by step,
the live progress partial, the member's voting page and receipt, the tally page."""

import datetime
import io

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from tests.council.conftest import SESSION_DAY, ballot, open_session, scan
from tests.factories import make_user
from thidua.council import ballots, services
from thidua.council.enums import MemberRole, SessionStatus
from thidua.council.models import Council, Membership, Participation, Session
from thidua.nominations.models import Nominee


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- councils


def test_council_list_for_officers_and_members_not_for_staff(officer_client, staff_client, council, department):
    response = officer_client.get(reverse("council:council_list"))
    assert response.status_code == 200
    assert council.name in response.content.decode()
    assert staff_client.get(reverse("council:council_list")).status_code == 403
    # A member with no role at all still finds their council.
    lone = make_user("thanhvienle")
    services.membership_add(actor=None, council=council, user=lone, role=MemberRole.MEMBER, start_on=datetime.date(2026, 1, 1))
    assert council.name in _client(lone).get(reverse("council:council_list")).content.decode()


def test_council_list_makes_the_same_queries_for_one_or_three_councils(officer, officer_client, department, office, office2, council):
    with CaptureQueriesContext(connection) as one:
        officer_client.get(reverse("council:council_list"))
    services.council_create(actor=officer, unit=office, name="Hội đồng Văn phòng")
    services.council_create(actor=officer, unit=office2, name="Hội đồng Phòng QLKH")
    with CaptureQueriesContext(connection) as three:
        response = officer_client.get(reverse("council:council_list"))
    assert response.content.decode().count("/hoi-dong/") >= 3
    assert len(three) == len(one)


def test_council_is_created_by_officers_only(officer_client, manager_client, department):
    assert manager_client.get(reverse("council:council_create")).status_code == 403
    response = officer_client.post(reverse("council:council_create"), {"unit": department.pk, "name": "Hội đồng Thi đua – Khen thưởng Sở"})
    council = Council.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("council:council_detail", args=[council.pk])
    empty = officer_client.post(reverse("council:council_create"), {"unit": department.pk, "name": ""})
    assert empty.status_code == 400 and "Nhập tên Hội đồng." in empty.content.decode()


def test_members_are_added_and_ended_on_the_council_page(officer, officer_client, council, members, department):
    newcomer = make_user("uyvienmoi", role="council_member", unit=department)
    url = reverse("council:membership_add", args=[council.pk])
    bad = officer_client.post(url, {"user": newcomer.pk, "role": "member", "start_on": "2026-02-01", "end_on": "2026-01-01"})
    assert bad.status_code == 400 and "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu." in bad.content.decode()
    assert officer_client.post(url, {"user": newcomer.pk, "role": "member", "title": "Chủ tịch Công đoàn", "start_on": "2026-02-01"}).status_code == 302
    membership = Membership.objects.get(user=newcomer)
    officer_client.post(reverse("council:membership_end", args=[council.pk, membership.pk]), {"end_on": "2026-06-30"})
    membership.refresh_from_db()
    assert membership.end_on == datetime.date(2026, 6, 30)
    page = officer_client.get(reverse("council:council_detail", args=[council.pk])).content.decode()
    assert "Chủ tịch Công đoàn" in page and "30/06/2026" in page


def test_council_pages_are_out_of_sight_for_other_departments(outsider_client, council, members):
    assert outsider_client.get(reverse("council:council_detail", args=[council.pk])).status_code == 404
    response = outsider_client.post(reverse("council:membership_end", args=[council.pk, members[2].pk]), {"end_on": "2026-01-01"})
    assert response.status_code == 404


def test_members_cannot_edit_the_council(council, members):
    response = _client(members[1].user).post(reverse("council:membership_end", args=[council.pk, members[2].pk]), {"end_on": "2026-06-30"})
    assert response.status_code == 403
    members[2].refresh_from_db()
    assert members[2].end_on is None


# ---------------------------------------------------------------- sessions


def test_the_secretary_creates_a_session_from_the_waiting_nominees(council, members, nominees):
    secretary = _client(members[1].user)
    form = secretary.get(reverse("council:session_create", args=[council.pk])).content.decode()
    assert all(n.person.full_name in form for n in nominees)
    response = secretary.post(reverse("council:session_create", args=[council.pk]),
                              {"held_on": "2026-03-10", "title": "", "place": "Phòng họp Sở", "nominees": [n.pk for n in nominees[:2]]})
    session = Session.objects.get()
    assert response.status_code == 302 and session.items.count() == 2 and session.place == "Phòng họp Sở"
    refused = _client(members[3].user).post(reverse("council:session_create", args=[council.pk]),
                                            {"held_on": "2026-03-10", "nominees": [nominees[2].pk]})
    assert refused.status_code == 403
    empty = secretary.post(reverse("council:session_create", args=[council.pk]), {"held_on": "2026-03-10"})
    assert empty.status_code == 400 and "Chọn ít nhất một đề nghị đưa ra Hội đồng." in empty.content.decode()


def test_session_list_filters_and_scopes(officer_client, outsider_client, staff_client, council, members, nominees):
    open_session(council, members, nominees)
    assert "Phiên họp xét khen thưởng ngày 10/03/2026" in officer_client.get(reverse("council:session_list")).content.decode()
    assert "Phiên họp xét khen thưởng" not in officer_client.get(reverse("council:session_list") + "?status=closed").content.decode()
    assert "Phiên họp xét khen thưởng" in officer_client.get(reverse("council:session_list") + "?status=voting&year=2026").content.decode()
    assert "Chưa có phiên họp nào." in outsider_client.get(reverse("council:session_list")).content.decode()
    assert staff_client.get(reverse("council:session_list")).status_code == 403


def test_the_secretary_runs_the_session_page_step_by_step(council, members, nominees, django_capture_on_commit_callbacks):
    secretary = _client(members[1].user)
    session = services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)
    detail = reverse("council:session_detail", args=[session.pk])
    page = secretary.get(detail).content.decode()
    assert "Gửi chương trình cho thành viên" in page and "Lưu điểm danh" in page
    assert "chưa xác thực" in page and "trên 50% tổng số thành viên Hội đồng" in page

    with django_capture_on_commit_callbacks(execute=True):
        assert secretary.post(reverse("council:session_publish", args=[session.pk])).status_code == 302
    below = secretary.post(reverse("council:attendance", args=[session.pk]), {"present": [m.pk for m in members[:6]]})
    assert below.status_code == 302
    refused = secretary.post(reverse("council:voting_open", args=[session.pk]), {"scope": "all"})
    assert refused.status_code == 409
    assert "Chưa đủ số thành viên dự họp để biểu quyết: có mặt 6/10, cần ít nhất 7" in refused.content.decode()

    secretary.post(reverse("council:attendance", args=[session.pk]), {"present": [m.pk for m in members[:9]]})
    part = secretary.post(reverse("council:voting_open", args=[session.pk]), {"scope": "part"})
    assert part.status_code == 400 and "Chọn ít nhất một đề nghị để biểu quyết." in part.content.decode()
    assert secretary.post(reverse("council:voting_open", args=[session.pk]), {"scope": "all"}).status_code == 302
    page = secretary.get(detail).content.decode()
    assert 'hx-trigger="every 3s"' in page and "0/9" in page
    assert "Nhập ý kiến bằng văn bản của thành viên vắng mặt" in page and "Kết thúc biểu quyết" in page


def test_a_non_secretary_is_refused_on_every_step(council, members, nominees, officer_client):
    session = services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)
    member = _client(members[2].user)
    assert "Lưu điểm danh" not in member.get(reverse("council:session_detail", args=[session.pk])).content.decode()
    for name, data in (("session_publish", {}), ("attendance", {"present": [members[0].pk]}), ("voting_open", {"scope": "all"})):
        assert member.post(reverse(f"council:{name}", args=[session.pk]), data).status_code == 403
        assert officer_client.post(reverse(f"council:{name}", args=[session.pk]), data).status_code == 403


def test_the_progress_partial_shows_counts_only(council, members, nominees, officer_client):
    session = open_session(council, members, nominees)
    ballots.ballot_cast(actor=members[0].user, session=session, votes=ballot(nominees, "khong_dong_y"))
    response = officer_client.get(reverse("council:progress", args=[session.pk]))
    content = response.content.decode()
    assert "1/10" in content and "thành viên đã bỏ phiếu" in content and 'hx-trigger="every 3s"' in content
    assert "Không đồng ý" not in content and "khong_dong_y" not in content
    assert "no-store" in response["Cache-Control"]


def test_a_member_votes_on_their_own_page_and_gets_the_receipt_once(council, members, nominees):
    session = open_session(council, members, nominees)
    member = _client(members[4].user)
    url = reverse("council:ballot", args=[session.pk])
    page = member.get(url).content.decode()
    assert page.count('value="dong_y"') == 3 and "checked" not in page
    incomplete = member.post(url, {f"nominee_{nominees[0].pk}": "dong_y"})
    assert incomplete.status_code == 400 and "Phiếu chưa đầy đủ" in incomplete.content.decode()
    assert not Participation.objects.filter(session=session).exists()
    receipt = member.post(url, {f"nominee_{n.pk}": "dong_y" for n in nominees})
    content = receipt.content.decode()
    assert receipt.status_code == 200 and "Mã biên nhận" in content and "chỉ hiển thị một lần" in content
    again = member.post(url, {f"nominee_{n.pk}": "khong_dong_y" for n in nominees})
    assert again.status_code == 409 and "Bạn đã bỏ phiếu trong phiên họp này" in again.content.decode()
    assert "Bạn đã bỏ phiếu trong phiên họp này" in member.get(url).content.decode()


def test_the_voting_page_turns_away_absent_members_and_non_members(council, members, nominees, staff):
    session = open_session(council, members, nominees, present=members[:8])
    absent = _client(members[9].user).get(reverse("council:ballot", args=[session.pk])).content.decode()
    assert "Bạn không có tên trong danh sách thành viên có mặt." in absent
    refused = _client(members[9].user).post(reverse("council:ballot", args=[session.pk]), {f"nominee_{n.pk}": "dong_y" for n in nominees})
    assert refused.status_code == 403
    assert _client(staff).get(reverse("council:ballot", args=[session.pk])).status_code == 404


def test_written_votes_and_paper_ballots_through_the_page(council, members, nominees):
    session = open_session(council, members, nominees[:1], present=members[:8])
    secretary = _client(members[1].user)
    written = secretary.post(reverse("council:written_vote", args=[session.pk]), {
        "written-membership": members[9].pk, "written-file": scan(), f"written-nominee_{nominees[0].pk}": "dong_y"})
    assert written.status_code == 302
    participation = Participation.objects.get(session=session, membership=members[9])
    url = reverse("council:session_file", args=[session.pk, "van-ban", participation.pk])
    assert secretary.get(url).status_code == 200
    assert _client(members[0].user).get(url).status_code == 403  # the signed written vote shows its choices
    paper = secretary.post(reverse("council:paper_entry", args=[session.pk]), {
        f"yes_{nominees[0].pk}": 6, f"no_{nominees[0].pk}": 1, f"abstain_{nominees[0].pk}": 1, "sheet": scan("kiem-phieu.pdf")})
    assert paper.status_code == 302
    too_many = secretary.post(reverse("council:paper_entry", args=[session.pk]), {
        f"yes_{nominees[0].pk}": 9, f"no_{nominees[0].pk}": 0, f"abstain_{nominees[0].pk}": 0, "sheet": scan("kiem-phieu.pdf")})
    assert too_many.status_code == 400 and "vượt quá số thành viên có mặt chưa bỏ phiếu điện tử (8)" in too_many.content.decode()
    unconfirmed = secretary.post(reverse("council:session_close", args=[session.pk]), {"conclusion": ""})
    assert unconfirmed.status_code == 400 and "Đánh dấu xác nhận" in unconfirmed.content.decode()
    closed = secretary.post(reverse("council:session_close", args=[session.pk]), {"confirm": "on", "conclusion": "Thống nhất."})
    assert closed.status_code == 302 and closed["Location"] == reverse("council:session_tally", args=[session.pk])
    assert Nominee.objects.get(pk=nominees[0].pk).status == "approved"
    tally = secretary.get(closed["Location"]).content.decode()
    assert "7/10" not in tally  # counts are shown per column, not as a fraction
    assert "70,00%" in tally and "Được thông qua" in tally and "Thống nhất." in tally


def test_the_tally_page_is_for_closed_sessions_and_offers_the_documents(council, members, nominees, auditor_client):
    session = open_session(council, members, nominees)
    assert auditor_client.get(reverse("council:session_tally", args=[session.pk])).status_code == 302
    for membership in members:
        ballots.ballot_cast(actor=membership.user, session=session, votes=ballot(nominees, "dong_y"))
    services.session_close(actor=members[1].user, session=session)
    page = auditor_client.get(reverse("council:session_tally", args=[session.pk])).content.decode()
    assert "3/3" in page and "Biên bản họp Hội đồng" in page and "Kiểm tra biên nhận" in page
    document = session_document(session, "bien_ban_kiem_phieu")
    response = auditor_client.get(reverse("council:document_file", args=[session.pk, document.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    # Regenerating is the secretary's (or a council manager's), not an auditor's.
    assert auditor_client.post(reverse("council:document_generate", args=[session.pk]), {"kind": "bien_ban_hop"}).status_code == 403


def session_document(session, kind):
    from thidua.council.documents import session_documents

    return session_documents(session).filter(kind=kind).first()


def test_closed_session_page_has_no_forms_left(council, members, nominees):
    session = open_session(council, members, nominees)
    for membership in members:
        ballots.ballot_cast(actor=membership.user, session=session, votes=ballot(nominees, "dong_y"))
    services.session_close(actor=members[1].user, session=session)
    page = _client(members[1].user).get(reverse("council:session_detail", args=[session.pk])).content.decode()
    assert Session.objects.get().status == SessionStatus.CLOSED
    for form_action in ("phieu-giay/", "y-kien-van-ban/", "mo-bo-phieu/", "diem-danh/", "ket-thuc/"):
        assert f'action="/hoi-dong/phien-hop/{session.pk}/{form_action}"' not in page
    assert 'hx-trigger="every 3s"' not in page
    assert _client(members[1].user).post(reverse("council:paper_entry", args=[session.pk]), {"sheet": scan()}).status_code in (400, 409)


def test_the_sidebar_shows_the_council_entry_to_council_roles(council, members, staff_client):
    page = _client(members[3].user).get(reverse("common:dashboard")).content.decode()
    assert "Hội đồng TĐKT" in page
    assert "Hội đồng TĐKT" not in staff_client.get(reverse("common:dashboard")).content.decode()


def test_a_present_member_is_sent_to_the_voting_page(council, members, nominees):
    session = open_session(council, members, nominees, present=members[:9])
    page = _client(members[0].user).get(reverse("council:session_detail", args=[session.pk])).content.decode()
    assert f'href="/hoi-dong/phien-hop/{session.pk}/bo-phieu/"' in page
    absent = _client(members[9].user).get(reverse("council:session_detail", args=[session.pk])).content.decode()
    assert f'href="/hoi-dong/phien-hop/{session.pk}/bo-phieu/"' not in absent


def test_the_secretary_moves_the_meeting_and_the_roster_follows_the_date(council, members, nominees):
    secretary = _client(members[1].user)
    session = services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)
    services.attendance_set(actor=members[1].user, session=session, present=members)
    url = reverse("council:session_edit", args=[session.pk])
    before_term = secretary.post(url, {"held_on": "2024-06-01", "title": "", "place": ""})
    assert before_term.status_code == 400 and "Bạn không là thư ký Hội đồng vào ngày họp này." in before_term.content.decode()
    moved = secretary.post(url, {"held_on": "2026-04-02", "title": "Phiên họp tháng Tư", "place": "Hội trường"})
    assert moved.status_code == 302
    session.refresh_from_db()
    assert (session.held_on, session.title, session.place) == (datetime.date(2026, 4, 2), "Phiên họp tháng Tư", "Hội trường")
    assert not session.attendance.exists()
    assert _client(members[0].user).post(url, {"held_on": "2026-04-03"}).status_code == 403
