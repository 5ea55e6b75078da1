"""Councils, members and sessions through the services: permissions, the session table, quorum,
thresholds on all members vs present, paper ballots, written votes, closing into the nomination
workflow, and the immutability of a closed session (services, models and the database)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from tests.council.conftest import SESSION_DAY, ballot, make_council, make_in_council, open_session, scan
from tests.factories import make_user
from thidua.common.models import AuditAction, AuditEntry, GeneratedDocument, Notification
from thidua.council import ballots, services
from thidua.council.enums import MemberRole, SessionStatus, VoteSource
from thidua.council.models import AgendaItem, Participation, SessionClosedError, TallyCounter
from thidua.nominations.enums import NominationStatus, NomineeStatus
from thidua.nominations.models import Nominee
from thidua.rules.services import rule_override_create


def _override(target, value, unit):
    return rule_override_create(actor=None, target=target, value=value, valid_from=datetime.date(2020, 1, 1), legal_source="Quy chế thử", unit=unit)


def _cast_all(session, members, nominees, choices):
    for membership, choice in zip(members, choices, strict=False):
        ballots.ballot_cast(actor=membership.user, session=session, votes=ballot(nominees, *(choice if isinstance(choice, tuple) else (choice,))))


# ---------------------------------------------------------------- councils and members


def test_only_council_managers_create_councils(officer, manager, outsider, department):
    with pytest.raises(PermissionDenied):
        services.council_create(actor=manager, unit=department, name="Hội đồng")
    with pytest.raises(PermissionDenied):
        services.council_create(actor=outsider, unit=department, name="Hội đồng")
    council = services.council_create(actor=officer, unit=department, name="Hội đồng Thi đua – Khen thưởng Sở")
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(council.pk), object_repr=council.name).exists()


def test_membership_terms_do_not_overlap_and_single_roles_have_one_holder(officer, department, council, members):
    user = members[3].user
    with pytest.raises(ValidationError) as overlap:
        services.membership_add(actor=officer, council=council, user=user, role=MemberRole.MEMBER, start_on=datetime.date(2025, 6, 1))
    assert "đã là thành viên Hội đồng trong thời gian này" in str(overlap.value)
    newcomer = make_user("moi", role="council_member", unit=department)
    with pytest.raises(ValidationError) as chair:
        services.membership_add(actor=officer, council=council, user=newcomer, role=MemberRole.CHAIR, start_on=datetime.date(2026, 1, 1))
    assert chair.value.message_dict["role"][0].startswith("Hội đồng đã có Chủ tịch Hội đồng trong thời gian này")
    # After the chair's term ends, a new chair may start.
    services.membership_end(actor=officer, membership=members[0], end_on=datetime.date(2025, 12, 31))
    services.membership_add(actor=officer, council=council, user=newcomer, role=MemberRole.CHAIR, start_on=datetime.date(2026, 1, 1))
    changes = AuditEntry.objects.filter(object_id=str(members[0].pk), action=AuditAction.UPDATE).get().changes
    assert changes == {"end_on": [None, "2025-12-31"]}


def test_members_are_edited_only_by_council_managers(manager, council, members):
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=manager, membership=members[2], end_on=datetime.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=members[1].user, council=council, user=manager, role=MemberRole.MEMBER, start_on=datetime.date(2026, 1, 1))


# ---------------------------------------------------------------- preparing a session


def test_only_the_secretary_in_term_creates_a_session(council, members, nominees, officer):
    for actor in (members[0].user, members[4].user, officer):
        with pytest.raises(PermissionDenied):
            services.session_create(actor=actor, council=council, nominees=nominees, held_on=SESSION_DAY)
    with pytest.raises(PermissionDenied):  # before the secretary's term
        services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=datetime.date(2024, 12, 31))
    session = services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)
    assert session.status == SessionStatus.DRAFT
    assert list(session.items.values_list("nominee", flat=True)) == [n.pk for n in nominees]


def test_agenda_takes_only_nominees_waiting_in_this_council(council, members, nominees, officer, manager, office, other_department):
    secretary = members[1].user
    services.session_create(actor=secretary, council=council, nominees=nominees[:1], held_on=SESSION_DAY)
    with pytest.raises(ValidationError) as taken:
        services.session_create(actor=secretary, council=council, nominees=nominees[:2], held_on=SESSION_DAY)
    assert taken.value.message_dict["nominees"] == [
        f"Đề nghị số {nominees[0].pk} không chờ Hội đồng này xét (phải ở trạng thái “Trình Hội đồng”, thuộc đợt xét của Sở Khoa học và Công nghệ và chưa nằm trong phiên họp khác)."
    ]
    Nominee.objects.filter(pk=nominees[2].pk).update(status=NomineeStatus.PENDING)
    with pytest.raises(ValidationError):
        services.session_create(actor=secretary, council=council, nominees=[nominees[2]], held_on=SESSION_DAY)


def test_publishing_sends_the_agenda_to_the_members_in_term(council, members, nominees, django_capture_on_commit_callbacks):
    session = services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_publish(actor=members[1].user, session=session)
    notified = set(Notification.objects.filter(url=f"/hoi-dong/phien-hop/{session.pk}/").values_list("user__username", flat=True))
    assert notified == {m.user.username for m in members}


def test_below_quorum_voting_cannot_open(council, members, nominees):
    # 10 members, quorum 0.6667 of them → at least 7 present.
    secretary = members[1].user
    session = services.session_create(actor=secretary, council=council, nominees=nominees, held_on=SESSION_DAY)
    services.attendance_set(actor=secretary, session=session, present=members[:6])
    with pytest.raises(ballots.CouncilRefused) as refused:
        services.voting_open(actor=secretary, session=session)
    assert refused.value.message == (
        "Chưa đủ số thành viên dự họp để biểu quyết: có mặt 6/10, cần ít nhất 7 "
        "(66,67% tổng số thành viên theo Quy chế Hội đồng TĐKT (tỉnh quy định))."
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT
    assert not TallyCounter.objects.filter(session=session).exists()
    services.attendance_set(actor=secretary, session=session, present=members[:7])
    assert services.voting_open(actor=secretary, session=session).status == SessionStatus.VOTING


def test_opening_freezes_roster_rules_and_creates_every_counter(council, members, nominees):
    session = open_session(council, members, nominees, present=members[:8])
    assert (session.members_total, session.present_total, session.quorum_required) == (10, 8, 7)
    assert session.ruleset_code == "ND152_2025"
    assert session.rules["votes"]["default"]["min_share"] == 0.5
    assert TallyCounter.objects.filter(session=session, count=0).count() == len(nominees) * 3 * 2
    with pytest.raises(ballots.CouncilRefused):
        services.attendance_set(actor=members[1].user, session=session, present=members)


# ---------------------------------------------------------------- thresholds on all members vs present


def test_default_threshold_is_more_than_half_of_all_members_not_of_those_present(council, members, nominees):
    # 10 members, 8 present; "trên 50% tổng số thành viên": 5 yes fails even though 5/8 > 50%, 6 passes.
    session = open_session(council, members, nominees[:2], present=members[:8])
    _cast_all(session, members[:8], nominees[:2], [("dong_y", "dong_y")] * 5 + [("khong_dong_y", "dong_y")] * 3)
    services.session_close(actor=members[1].user, session=session)
    first, second = (AgendaItem.objects.get(session=session, nominee=n) for n in nominees[:2])
    assert (first.yes_count, first.base, str(first.share), first.result) == (5, 10, "0.5000", "rejected")
    assert (second.yes_count, second.base, second.result) == (8, 10, "approved")
    assert Nominee.objects.get(pk=nominees[0].pk).status == NomineeStatus.REJECTED
    assert Nominee.objects.get(pk=nominees[1].pk).status == NomineeStatus.APPROVED


@pytest.mark.parametrize(("yes", "result"), [(9, "approved"), (8, "rejected")])
def test_ninety_percent_of_all_ten_members_at_the_boundary(council, members, nominees, department, yes, result):
    _override("parameters.votes.GIAY_KHEN", {"min_share": 0.9, "strict": False, "of": "all_members", "source": "Quy chế thử", "certainty": "verified"}, department)
    session = open_session(council, members, nominees[:1])
    _cast_all(session, members, nominees[:1], ["dong_y"] * yes + ["khong_bieu_quyet"] * (10 - yes))
    services.session_close(actor=members[1].user, session=session)
    assert AgendaItem.objects.get(session=session).result == result


def test_ninety_percent_on_all_members_fails_when_members_are_absent(council, members, nominees, department):
    # 8 present all say yes: 8/8 of those present, but 8/10 of the council.
    _override("parameters.votes.GIAY_KHEN", {"min_share": 0.9, "strict": False, "of": "all_members", "source": "x", "certainty": "verified"}, department)
    session = open_session(council, members, nominees[:1], present=members[:8])
    _cast_all(session, members[:8], nominees[:1], ["dong_y"] * 8)
    services.session_close(actor=members[1].user, session=session)
    assert AgendaItem.objects.get(session=session).result == "rejected"


def test_threshold_on_those_present_when_the_ruleset_says_so(council, members, nominees, department):
    _override("parameters.votes.default", {"min_share": 0.5, "strict": True, "of": "present", "source": "Quy chế", "certainty": "provincial"}, department)
    session = open_session(council, members, nominees[:2], present=members[:7])
    _cast_all(session, members[:7], nominees[:2], [("dong_y", "dong_y")] * 4 + [("khong_dong_y", "dong_y")] * 3)
    services.session_close(actor=members[1].user, session=session)
    first = AgendaItem.objects.get(session=session, nominee=nominees[0])
    assert (first.yes_count, first.base, first.result) == (4, 7, "approved")  # 4/7 > 50%, though 4/10 is not


def test_a_tie_is_rejected_as_the_ruleset_says(council, members, nominees, department):
    _override("parameters.votes.default", {"min_share": 0.4, "strict": False, "of": "present", "source": "x", "certainty": "x"}, department)
    session = open_session(council, members, nominees[:1], present=members[:8])
    _cast_all(session, members[:8], nominees[:1], ["dong_y"] * 4 + ["khong_dong_y"] * 4)
    services.session_close(actor=members[1].user, session=session)
    item = AgendaItem.objects.get(session=session)
    assert item.result == "rejected"
    assert "số phiếu đồng ý bằng số phiếu không đồng ý" in item.note


# ---------------------------------------------------------------- opening a part


def test_voting_on_part_of_the_agenda_leaves_the_rest_waiting(council, members, nominees):
    session = open_session(council, members, nominees, opened=[nominees[0].pk])
    with pytest.raises(ballots.BallotInvalid):
        ballots.ballot_cast(actor=members[0].user, session=session, votes=ballot(nominees, "dong_y"))
    _cast_all(session, members, nominees[:1], ["dong_y"] * 10)
    services.session_close(actor=members[1].user, session=session)
    assert [Nominee.objects.get(pk=n.pk).status for n in nominees] == ["approved", "in_council", "in_council"]
    # The rest can go on a new session.
    again = services.session_create(actor=members[1].user, council=council, nominees=nominees[1:], held_on=SESSION_DAY)
    assert again.items.count() == 2


# ---------------------------------------------------------------- ballots refused


def test_ballot_refusals_name_the_problem_and_save_nothing(council, members, nominees, staff):
    session = open_session(council, members, nominees, present=members[:9])
    cases = [
        (staff, ballot(nominees, "dong_y"), ballots.BallotForbidden, "Bạn không phải thành viên Hội đồng trong nhiệm kỳ của phiên họp này."),
        (members[9].user, ballot(nominees, "dong_y"), ballots.BallotForbidden,
         "Bạn không có tên trong danh sách thành viên có mặt. Thành viên vắng mặt gửi ý kiến bằng văn bản cho thư ký Hội đồng."),
        (members[0].user, ballot(nominees[:2], "dong_y"), ballots.BallotInvalid,
         f"Phiếu chưa có ý kiến cho: {nominees[2].person.full_name}. Mỗi đề nghị đang biểu quyết cần đúng một ý kiến."),
        (members[0].user, [{"nominee": nominees[0].pk, "choice": "dong_y"}] * 2 + [{"nominee": n.pk, "choice": "dong_y"} for n in nominees[1:]],
         ballots.BallotInvalid, f"Phiếu có hai ý kiến cho {nominees[0].person.full_name}: mỗi đề nghị chỉ được chọn một lần."),
        (members[0].user, {**ballot(nominees, "dong_y"), nominees[1].pk: "co"}, ballots.BallotInvalid,
         f"Ý kiến cho {nominees[1].person.full_name} không hợp lệ: chỉ nhận dong_y (đồng ý), khong_dong_y (không đồng ý) hoặc khong_bieu_quyet (không biểu quyết)."),
        (members[0].user, {**ballot(nominees, "dong_y"), 999999: "dong_y"}, ballots.BallotInvalid,
         "Đề nghị số 999999 không thuộc phần đang biểu quyết của phiên họp."),
    ]
    for actor, votes, error, message in cases:
        with pytest.raises(error) as refused:
            ballots.ballot_cast(actor=actor, session=session, votes=votes)
        assert refused.value.message == message
    assert not Participation.objects.filter(session=session).exists()
    assert set(TallyCounter.objects.filter(session=session).values_list("count", flat=True)) == {0}


def test_a_second_ballot_is_refused_and_counts_nothing(council, members, nominees):
    session = open_session(council, members, nominees)
    ballots.ballot_cast(actor=members[0].user, session=session, votes=ballot(nominees, "dong_y"))
    before = sorted(TallyCounter.objects.filter(session=session).values_list("pk", "count"))
    with pytest.raises(ballots.AlreadyVoted) as refused:
        ballots.ballot_cast(actor=members[0].user, session=session, votes=ballot(nominees, "khong_dong_y"))
    assert refused.value.status_code == 409
    assert sorted(TallyCounter.objects.filter(session=session).values_list("pk", "count")) == before
    assert Participation.objects.filter(session=session).count() == 1


def test_a_draft_session_takes_no_ballot(council, members, nominees):
    session = services.session_create(actor=members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)
    with pytest.raises(ballots.CouncilRefused) as refused:
        ballots.ballot_cast(actor=members[0].user, session=session, votes=ballot(nominees, "dong_y"))
    assert refused.value.message == "Phiên họp chưa mở bỏ phiếu."


# ---------------------------------------------------------------- paper ballots


def test_paper_counts_are_validated_and_added_to_the_screen_ballots(council, members, nominees):
    session = open_session(council, members, nominees[:2], present=members[:8])
    secretary = members[1].user
    _cast_all(session, members[:5], nominees[:2], ["dong_y"] * 5)
    too_many = {nominees[0].pk: (3, 1, 0), nominees[1].pk: (1, 1, 1)}  # 4 > 8 present − 5 on screen
    with pytest.raises(ValidationError) as over:
        services.paper_tally_enter(actor=secretary, session=session, counts=too_many, sheet=scan())
    assert over.value.message_dict["counts"] == [
        f"Tổng số phiếu giấy của {nominees[0].person.full_name} (4) vượt quá số thành viên có mặt chưa bỏ phiếu điện tử (3)."
    ]
    with pytest.raises(ValidationError) as missing:
        services.paper_tally_enter(actor=secretary, session=session, counts={nominees[0].pk: (1, 1, 1)}, sheet=scan())
    assert missing.value.message_dict["counts"] == [f"Thiếu số phiếu giấy của {nominees[1].person.full_name}."]
    with pytest.raises(ValidationError) as negative:
        services.paper_tally_enter(actor=secretary, session=session, counts={nominees[0].pk: (-1, 1, 1), nominees[1].pk: (0, 0, 0)}, sheet=scan())
    assert "không được âm" in negative.value.message_dict["counts"][0]
    with pytest.raises(ValidationError) as wrong_file:
        services.paper_tally_enter(actor=secretary, session=session, counts={nominees[0].pk: (1, 1, 1), nominees[1].pk: (0, 0, 0)},
                                   sheet=scan("kiem-phieu.docx", b"PK\x03\x04"))
    assert wrong_file.value.message_dict["file"] == ["Chỉ nhận bản quét dạng PDF, JPEG hoặc PNG."]
    with pytest.raises(PermissionDenied):
        services.paper_tally_enter(actor=members[0].user, session=session, counts={}, sheet=scan())

    services.paper_tally_enter(actor=secretary, session=session, counts={nominees[0].pk: (1, 1, 1), nominees[1].pk: (0, 3, 0)}, sheet=scan())
    # A new entry replaces the counts; both sheets are kept.
    services.paper_tally_enter(actor=secretary, session=session, counts={nominees[0].pk: (2, 1, 0), nominees[1].pk: (0, 2, 1)}, sheet=scan("lan-2.png", b"\x89PNG\r\n\x1a\n0000"))
    assert session.paper_sheets.count() == 2
    services.session_close(actor=secretary, session=session)
    first, second = (AgendaItem.objects.get(session=session, nominee=n) for n in nominees[:2])
    assert (first.yes_count, first.no_count, first.abstain_count, first.result) == (7, 1, 0, "approved")
    assert (second.yes_count, second.no_count, second.abstain_count, second.result) == (5, 2, 1, "rejected")


def test_a_paper_only_session_can_close(council, members, nominees):
    session = open_session(council, members, nominees[:1], present=members[:7])
    services.paper_tally_enter(actor=members[1].user, session=session, counts={nominees[0].pk: (6, 1, 0)}, sheet=scan())
    services.session_close(actor=members[1].user, session=session)
    assert AgendaItem.objects.get(session=session).result == "approved"


# ---------------------------------------------------------------- written votes


def test_written_votes_of_absent_members_count_as_their_participation(council, members, nominees, department):
    _override("parameters.votes.default", {"min_share": 0.5, "strict": True, "of": "present", "source": "x", "certainty": "x"}, department)
    session = open_session(council, members, nominees[:1], present=members[:7])
    secretary = members[1].user
    with pytest.raises(ballots.CouncilRefused) as present:
        ballots.written_vote_enter(actor=secretary, session=session, membership=members[0], votes=ballot(nominees[:1], "dong_y"), document=scan())
    assert present.value.message.endswith("có mặt tại phiên họp: thành viên có mặt bỏ phiếu trực tiếp, không gửi ý kiến bằng văn bản.")
    with pytest.raises(ValidationError):
        ballots.written_vote_enter(actor=secretary, session=session, membership=members[7], votes=ballot(nominees[:1], "dong_y"), document=None)
    with pytest.raises(PermissionDenied):
        ballots.written_vote_enter(actor=members[0].user, session=session, membership=members[7], votes=ballot(nominees[:1], "dong_y"), document=scan())

    participation = ballots.written_vote_enter(actor=secretary, session=session, membership=members[7], votes=ballot(nominees[:1], "khong_dong_y"), document=scan())
    assert participation.source == VoteSource.WRITTEN and participation.file.read().startswith(b"%PDF")
    with pytest.raises(ballots.AlreadyVoted):
        ballots.written_vote_enter(actor=secretary, session=session, membership=members[7], votes=ballot(nominees[:1], "dong_y"), document=scan())
    # The absent member cannot vote on screen either: they are not present.
    with pytest.raises(ballots.BallotForbidden):
        ballots.ballot_cast(actor=members[7].user, session=session, votes=ballot(nominees[:1], "dong_y"))
    ballots.written_vote_enter(actor=secretary, session=session, membership=members[8], votes=ballot(nominees[:1], "khong_dong_y"), document=scan())
    _cast_all(session, members[:7], nominees[:1], ["dong_y"] * 5 + ["khong_dong_y"] * 2)
    services.session_close(actor=secretary, session=session)
    item = AgendaItem.objects.get(session=session)
    # Base on "present": 7 present + 2 written = 9; 5/9 > 50%.
    assert (item.yes_count, item.no_count, item.base, item.result) == (5, 4, 9, "approved")
    note = AuditEntry.objects.get(object_id=str(participation.pk)).note
    assert note.startswith("Nhập ý kiến bằng văn bản của") and "dong_y" not in note


def test_written_votes_are_refused_where_the_ruleset_does_not_allow_them(council, members, nominees, department):
    _override("parameters.quorum.absent_may_vote_in_writing", False, department)
    session = open_session(council, members, nominees[:1], present=members[:8])
    with pytest.raises(ballots.CouncilRefused) as refused:
        ballots.written_vote_enter(actor=members[1].user, session=session, membership=members[9], votes=ballot(nominees[:1], "dong_y"), document=scan())
    assert refused.value.message == "Quy định áp dụng cho phiên họp không cho phép thành viên vắng mặt biểu quyết bằng văn bản."


# ---------------------------------------------------------------- closing


def test_closing_decides_the_nominees_settles_the_dossier_and_audits_the_totals(council, members, nominees, django_capture_on_commit_callbacks):
    session = open_session(council, members, nominees)
    _cast_all(session, members, nominees, [("dong_y", "dong_y", "khong_dong_y")] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=members[1].user, session=session, conclusion="Thống nhất đề nghị Giám đốc Sở khen thưởng.")
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.closed_by == members[1].user
    assert [Nominee.objects.get(pk=n.pk).status for n in nominees] == ["approved", "approved", "rejected"]
    assert Nominee.objects.get(pk=nominees[0].pk).nomination.status == NominationStatus.APPROVED
    assert "Hội đồng TĐKT, phiên họp ngày 10/03/2026: 10/10 đồng ý" in Nominee.objects.get(pk=nominees[0].pk).appraisal_note
    entry = AuditEntry.objects.filter(action=AuditAction.TRANSITION, object_id=str(session.pk), changes__has_key="tallies").get()
    assert entry.changes["tallies"][1][str(nominees[2].pk)] == {"yes": 0, "no": 10, "abstain": 0, "base": 10, "result": "rejected"}
    assert set(GeneratedDocument.objects.filter(object_id=str(session.pk)).values_list("kind", flat=True)) == {"bien_ban_hop", "bien_ban_kiem_phieu"}
    assert Notification.objects.filter(url=f"/hoi-dong/phien-hop/{session.pk}/ket-qua/").count() == 10


def test_closing_without_any_vote_is_refused(council, members, nominees):
    session = open_session(council, members, nominees)
    with pytest.raises(ballots.CouncilRefused) as refused:
        services.session_close(actor=members[1].user, session=session)
    assert refused.value.message == "Chưa có phiếu nào: chưa thể kết thúc biểu quyết."


def test_only_the_secretary_closes(council, members, nominees, officer):
    session = open_session(council, members, nominees)
    _cast_all(session, members, nominees, ["dong_y"] * 10)
    for actor in (members[0].user, officer):
        with pytest.raises(PermissionDenied):
            services.session_close(actor=actor, session=session)


def test_a_nominee_decided_outside_the_session_keeps_its_decision(council, members, nominees, officer):
    from thidua.nominations.services import nominee_decide

    session = open_session(council, members, nominees[:2])
    _cast_all(session, members, nominees[:2], [("khong_dong_y", "dong_y")] * 10)
    nominee_decide(actor=officer, nominee=nominees[0], to="approved", note="")
    services.session_close(actor=members[1].user, session=session)
    item = AgendaItem.objects.get(session=session, nominee=nominees[0])
    assert (item.result, item.applied) == ("rejected", False)
    assert Nominee.objects.get(pk=nominees[0].pk).status == NomineeStatus.APPROVED


# ---------------------------------------------------------------- a closed session is immutable


@pytest.fixture
def closed(council, members, nominees):
    session = open_session(council, members, nominees)
    _cast_all(session, members[:9], nominees, ["dong_y"] * 9)
    return services.session_close(actor=members[1].user, session=session)


def test_a_closed_session_refuses_every_service(closed, members, nominees):
    secretary = members[1].user
    closed_message = "Phiên họp đã kết thúc: không thể thay đổi. Muốn điều chỉnh, lập phiên họp mới."
    attempts = [
        lambda: ballots.ballot_cast(actor=members[9].user, session=closed, votes=ballot(nominees, "dong_y")),
        lambda: ballots.written_vote_enter(actor=secretary, session=closed, membership=members[9], votes=ballot(nominees, "dong_y"), document=scan()),
        lambda: services.paper_tally_enter(actor=secretary, session=closed, counts={}, sheet=scan()),
        lambda: services.agenda_set(actor=secretary, session=closed, nominees=nominees),
        lambda: services.attendance_set(actor=secretary, session=closed, present=members),
        lambda: services.voting_open(actor=secretary, session=closed),
        lambda: services.session_close(actor=secretary, session=closed),
        lambda: services.session_publish(actor=secretary, session=closed),
        lambda: services.session_cancel(actor=secretary, session=closed, reason="Sai"),
    ]
    for attempt in attempts:
        with pytest.raises(ballots.CouncilRefused) as refused:
            attempt()
        assert refused.value.message == closed_message


def test_a_closed_session_refuses_model_writes(closed):
    closed.refresh_from_db()
    closed.title = "Sửa"
    with pytest.raises(SessionClosedError):
        closed.save()
    item = closed.items.first()
    item.yes_count = 0
    with pytest.raises(SessionClosedError):
        item.save()
    with pytest.raises(SessionClosedError):
        item.delete()
    with pytest.raises(SessionClosedError):
        closed.participations.first().delete()


def test_a_closed_session_refuses_writes_in_the_database_itself(closed, members):
    attempts = [
        lambda: TallyCounter.objects.filter(session=closed).update(count=99),
        lambda: type(closed).objects.filter(pk=closed.pk).update(status=SessionStatus.VOTING),
        lambda: AgendaItem.objects.filter(session=closed).update(result="approved"),
        lambda: Participation.objects.bulk_create([Participation(session=closed, membership=members[9])]),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert TallyCounter.objects.filter(session=closed, count=99).count() == 0


def test_a_cancelled_session_frees_its_nominees(council, members, nominees):
    secretary = members[1].user
    session = services.session_create(actor=secretary, council=council, nominees=nominees, held_on=SESSION_DAY)
    with pytest.raises(ValidationError):
        services.session_cancel(actor=secretary, session=session, reason="  ")
    services.session_cancel(actor=secretary, session=session, reason="Không đủ thành viên dự họp.")
    assert services.session_create(actor=secretary, council=council, nominees=nominees, held_on=SESSION_DAY).items.count() == 3


def test_the_councils_of_other_units_see_nothing_of_these_nominees(officer, outsider, other_department, nominees):
    council, other_members = make_council(outsider, other_department, size=3, prefix="yte")
    with pytest.raises(ValidationError):
        services.session_create(actor=other_members[1].user, council=council, nominees=nominees, held_on=SESSION_DAY)


def test_collectives_and_people_in_one_dossier(officer, manager, office, office2, department, council, members):
    nominees = make_in_council(officer, manager, office=office, department=department, people=1, collectives=[office])
    session = open_session(council, members, nominees)
    _cast_all(session, members, nominees, ["dong_y"] * 10)
    services.session_close(actor=members[1].user, session=session)
    assert sorted(Nominee.objects.filter(pk__in=[n.pk for n in nominees]).values_list("status", flat=True)) == ["approved", "approved"]
