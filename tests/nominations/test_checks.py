"""The checks officers rely on: duplicates across units and rounds, achievements already rewarded,
quotas from the ruleset, deadlines in working days (Tết skipped), and what the pages show of them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from thidua.common.models import Holiday
from thidua.common.workdays import add_working_days, working_days_between
from thidua.nominations import checks, services
from thidua.nominations.enums import NominationStatus, NomineeStatus, Track
from thidua.nominations.models import Nomination, Nominee
from thidua.records.models import AwardRecord
from thidua.records.services import award_record_create
from thidua.rules.models import AwardType
from thidua.rules.services import rule_override_create

TODAY = datetime.date(2026, 1, 5)  # under Decree 152 (no national quota)
UNDER_DECREE_91 = datetime.date(2023, 1, 16)  # CSTĐCS ≤ 15% of LĐTT, mode "block", verified


def _award(code):
    return AwardType.objects.get(code=code)


def _round(unit, title="Xét khen thưởng năm 2025", *, start=2025, end=2025, deadline=datetime.date(2026, 1, 10),
           codes=("LDTT", "CSTDCS", "GIAY_KHEN"), track=Track.REGULAR):
    return services.round_create(
        actor=None, awarding_unit=unit, title=title, period_start=start, period_end=end, track=track,
        opens_on=datetime.date(2020, 1, 1), submission_deadline=deadline, accepted_awards=AwardType.objects.filter(code__in=codes),
    )


def _dossier(round_, unit, title):
    return services.nomination_create(actor=None, round=round_, proposing_unit=unit, title=title)


def _propose(dossier, person, code="LDTT"):
    return services.nominee_add(actor=None, nomination=dossier, award=_award(code), person=person)


def _set_status(dossier, status, **fields):
    Nomination.objects.filter(pk=dossier.pk).update(status=status, **fields)
    dossier.refresh_from_db()
    return dossier


def _codes(result, nominee):
    return [(finding.code, finding.severity) for finding in result.for_nominee(nominee.pk)]


@pytest.fixture
def round_(department):
    return _round(department)


@pytest.fixture
def person(office):
    return make_person("Nguyễn Văn An", unit=office)


@pytest.fixture
def dossier(round_, office):
    return _dossier(round_, office, "Đề nghị của Văn phòng Sở năm 2025")


# ---------------------------------------------------------------- duplicates


def test_duplicate_by_another_unit_in_the_same_round_is_an_error(round_, dossier, department, person):
    mine = _propose(dossier, person)
    theirs = _dossier(round_, department, "Đề nghị của Sở năm 2025")
    # nominee_add refuses this; two units adding at the same moment (or an import) can still get it in.
    Nominee.objects.create(nomination=theirs, person=person, award=_award("LDTT"))

    result = checks.dossier_checks(dossier, today=TODAY)

    (finding,) = result.for_nominee(mine.pk)
    assert (finding.code, finding.severity) == ("duplicate", "error")
    assert finding.message == (
        "Cũng được đề nghị Lao động tiên tiến trong hồ sơ “Đề nghị của Sở năm 2025” của Sở Khoa học và Công nghệ "
        "(đợt “Xét khen thưởng năm 2025”, thành tích năm 2025)."
    )
    assert finding.link == ""  # no user given: no link
    # The other dossier sees the same clash from its side.
    assert _codes(checks.dossier_checks(theirs, today=TODAY), theirs.nominees.get()) == [("duplicate", "error")]


def test_duplicate_in_an_overlapping_round_of_another_unit(department, office2, dossier, person):
    mine = _propose(dossier, person)
    other_round = _round(department, "Bằng khen giai đoạn 2024–2025", start=2024, end=2025)
    other = _dossier(other_round, office2, "Đề nghị của Phòng Quản lý khoa học")
    Nominee.objects.create(nomination=other, person=person, award=_award("LDTT"))

    (finding,) = checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk)

    assert finding.code == "duplicate"
    assert "“Đề nghị của Phòng Quản lý khoa học” của Phòng Quản lý khoa học" in finding.message
    assert "giai đoạn 2024–2025" in finding.message


def test_duplicate_not_flagged_when_withdrawn_or_not_overlapping_or_another_award(department, office, dossier, person):
    mine = _propose(dossier, person)
    earlier = _dossier(_round(department, "Năm 2024", start=2023, end=2024), office, "Hồ sơ năm 2024")
    _propose(earlier, person)
    withdrawn = _dossier(_round(department, "Đợt bổ sung 2025"), office, "Hồ sơ đã rút")
    _propose(withdrawn, person)
    _set_status(withdrawn, NominationStatus.WITHDRAWN)
    other_award = _dossier(_round(department, "Đợt Giấy khen 2025"), office, "Hồ sơ Giấy khen")
    _propose(other_award, person, "GIAY_KHEN")

    assert checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk) == []


def test_rejected_other_proposal_is_only_information(department, office, dossier, person):
    mine = _propose(dossier, person)
    other = _dossier(_round(department, "Đợt bổ sung 2025"), office, "Hồ sơ bị từ chối")
    _propose(other, person)
    _set_status(other, NominationStatus.REJECTED)

    assert _codes(checks.dossier_checks(dossier, today=TODAY), mine) == [("duplicate_rejected", "info")]


def test_proposal_carried_to_the_next_level_is_not_a_duplicate(province, department, dossier, person):
    mine = _propose(dossier, person)
    upper = _dossier(_round(province, "Tỉnh xét năm 2025"), department, "Sở trình tỉnh")
    Nominee.objects.create(nomination=upper, person=person, award=_award("LDTT"), source_nominee=mine)

    assert checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk) == []


# ---------------------------------------------------------------- already rewarded


def _record(person, code, start, end=None, *, number="12/QĐ-SKHCN", **fields):
    return award_record_create(
        actor=None, award=_award(code), person=person, period_start=start, period_end=end or start, decision_number=number,
        decision_date=datetime.date((end or start) + 1, 1, 20), **fields,
    )


def test_already_rewarded_same_award_overlapping_period(dossier, person, department):
    mine = _propose(dossier, person)
    _record(person, "LDTT", 2025, issuing_unit=department)

    (finding,) = checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk)

    assert (finding.code, finding.severity) == ("already_rewarded", "error")
    assert finding.message == (
        "Đã được tặng Lao động tiên tiến cho thành tích năm 2025 theo Quyết định số 12/QĐ-SKHCN ngày 20/01/2026 "
        "của Sở Khoa học và Công nghệ."
    )


def test_another_form_for_exactly_the_same_period_is_a_warning(dossier, person):
    mine = _propose(dossier, person, "GIAY_KHEN")
    _record(person, "BANG_KHEN_TINH", 2025, number="45/QĐ-UBND")
    _record(person, "BANG_KHEN_TINH", 2024, 2025, number="46/QĐ-UBND")  # another period: another achievement
    _record(person, "LDTT", 2025)  # a title for the same year stacks with a form

    (finding,) = checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk)

    assert (finding.code, finding.severity) == ("one_achievement_one_form", "warning")
    assert finding.message == (
        "Thành tích năm 2025 đã được khen thưởng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh theo Quyết định số 45/QĐ-UBND "
        "ngày 20/01/2026. Mỗi thành tích chỉ được khen thưởng một hình thức."
    )


def test_sudden_award_is_another_achievement_than_the_years_work(dossier, person):
    mine = _propose(dossier, person, "GIAY_KHEN")
    _record(person, "BANG_KHEN_TINH", 2025, counts_for_regular=False)

    assert checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk) == []


def test_revoked_record_is_not_flagged(dossier, person):
    mine = _propose(dossier, person)
    record = _record(person, "LDTT", 2025)
    AwardRecord.objects.filter(pk=record.pk).update(revoked=True)

    assert checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk) == []


def test_decided_proposal_of_another_dossier_counts_as_rewarded(department, office, dossier, person):
    mine = _propose(dossier, person)
    other = _dossier(_round(department, "Đợt bổ sung 2025"), office, "Hồ sơ đã có quyết định")
    Nominee.objects.filter(pk=_propose(other, person).pk).update(status=NomineeStatus.DECIDED)
    _set_status(other, NominationStatus.DECIDED)

    (finding,) = checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk)

    assert (finding.code, finding.severity) == ("already_rewarded", "error")
    assert "qua hồ sơ “Hồ sơ đã có quyết định” của Văn phòng Sở" in finding.message
    # Once the decision reaches the register, the register finding (with its number) replaces it.
    _record(person, "LDTT", 2025)
    (finding,) = checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk)
    assert "theo Quyết định số 12/QĐ-SKHCN" in finding.message


def test_a_decided_nominee_is_not_flagged_by_its_own_decision(dossier, person):
    mine = _propose(dossier, person)
    Nominee.objects.filter(pk=mine.pk).update(status=NomineeStatus.DECIDED)
    _set_status(dossier, NominationStatus.DECIDED)
    _record(person, "LDTT", 2025)

    assert checks.dossier_checks(dossier, today=TODAY).for_nominee(mine.pk) == []


# ---------------------------------------------------------------- quotas


def _people(unit, count, prefix):
    return [make_person(f"{prefix} {index:02d}", unit=unit) for index in range(count)]


def test_quota_at_the_boundary_from_a_province_override(province, office, office2, round_, dossier):
    rule_override_create(
        actor=None, unit=province, target="parameters.quotas.CSTDCS.max_share", value=0.15, valid_from=datetime.date(2025, 1, 1),
        legal_source="Quyết định 25/2025/QĐ-UBND", certainty="provincial",
    )
    people = _people(office, 20, "Trần Văn Người")
    # The base: 10 proposed for LĐTT in this round, 10 already holding LĐTT 2025 in the register.
    for person in people[:10]:
        _propose(dossier, person)
    for person in people[10:]:
        _record(person, "LDTT", 2025)
    _record(people[0], "LDTT", 2025)  # proposed and recorded: counted once
    outside = _people(office2, 5, "Lê Thị Khác")  # another unit's proposals count for that unit only
    other_unit = _dossier(round_, office2, "Đề nghị của Phòng Quản lý khoa học")
    for person in outside:
        _propose(other_unit, person, "CSTDCS")
    cstdcs = [_propose(dossier, person, "CSTDCS") for person in people[:3]]

    result = checks.dossier_checks(dossier, today=TODAY)

    (quota,) = result.findings
    assert (quota.code, quota.severity) == ("quota", "info")
    assert quota.message == (
        "Chiến sĩ thi đua cơ sở: Văn phòng Sở đề nghị 3, trong định mức tối đa 3 (15% của 20 người đạt Lao động tiên tiến)."
    )
    assert quota.source == "Quyết định 25/2025/QĐ-UBND (Ủy ban nhân dân tỉnh Tiền Giang)"
    assert quota.unverified is True
    assert all(result.for_nominee(n.pk) == [] for n in cstdcs)

    # A fourth proposal, in a second dossier of the same unit in the same round.
    second = _dossier(round_, office, "Đề nghị bổ sung của Văn phòng Sở")
    fourth = _propose(second, people[3], "CSTDCS")
    result = checks.dossier_checks(dossier, today=TODAY)
    (quota,) = result.findings
    assert (quota.severity, "vượt định mức tối đa 3" in quota.message, "đề nghị 4" in quota.message) == ("warning", True, True)
    assert all(result.for_nominee(n.pk) == [] for n in cstdcs)  # the first three are within the quota
    (flag,) = checks.dossier_checks(second, today=TODAY).for_nominee(fourth.pk)
    assert (flag.code, flag.severity) == ("quota", "warning")
    assert flag.message == "Vượt định mức Chiến sĩ thi đua cơ sở của Văn phòng Sở: đề nghị thứ 4, tối đa 3."


def test_quota_blocks_under_decree_91_and_cites_it(department, office):
    round_ = _round(department, "Xét khen thưởng năm 2022", start=2022, end=2022, deadline=datetime.date(2023, 1, 20))
    dossier = _dossier(round_, office, "Đề nghị năm 2022")
    people = _people(office, 10, "Phạm Văn Hội")
    for person in people:
        _propose(dossier, person)
    first, second = (_propose(dossier, person, "CSTDCS") for person in people[:2])

    result = checks.dossier_checks(dossier, today=UNDER_DECREE_91)

    (quota,) = result.findings
    assert (quota.severity, quota.source, quota.unverified) == ("error", "Khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP", False)
    assert "tối đa 1 (15% của 10 người" in quota.message
    assert result.for_nominee(first.pk) == []
    assert _codes(result, second) == [("quota", "error")]


def test_no_quota_finding_without_a_share_in_force(dossier, office):
    for person in _people(office, 3, "Võ Văn Ba"):
        _propose(dossier, person, "CSTDCS")
    assert checks.dossier_checks(dossier, today=TODAY).findings == []  # Decree 152: no national cap


# ---------------------------------------------------------------- deadlines


@pytest.fixture
def tet_2026(db):
    # Tết Bính Ngọ: 16–20/02/2026 off (Monday to Friday), with the weekends around them.
    for day in range(16, 21):
        Holiday.objects.create(day=datetime.date(2026, 2, day), name="Tết Nguyên đán")


def _deadline(result, code):
    return next(deadline for deadline in result.deadlines if deadline.code == code)


def test_submission_countdown_skips_the_weekend_and_tet(department, office, tet_2026):
    round_ = _round(department, "Đợt xét đầu năm 2026", deadline=datetime.date(2026, 2, 23))
    dossier = _dossier(round_, office, "Hồ sơ đầu năm")
    friday = datetime.date(2026, 2, 13)

    deadline = _deadline(checks.dossier_checks(dossier, today=friday), "submission")

    assert (deadline.calendar_days_left, deadline.working_days_left, deadline.overdue, deadline.severity) == (10, 1, False, "warning")
    assert deadline.working_days_left == working_days_between(friday, round_.submission_deadline)
    late = _deadline(checks.dossier_checks(dossier, today=datetime.date(2026, 2, 25)), "submission")
    assert (late.overdue, late.days_overdue, late.working_days_overdue, late.severity) == (True, 2, 2, "error")
    far = _deadline(checks.dossier_checks(dossier, today=datetime.date(2026, 1, 26)), "submission")
    assert (far.working_days_left, far.severity) == (15, "info")  # 27–30/01, 02–06/02, 09–13/02, then 23/02 after Tết


def test_submission_countdown_only_while_the_unit_holds_the_dossier(dossier):
    _set_status(dossier, NominationStatus.SUBMITTED, submitted_at=datetime.datetime(2026, 1, 12, 9, tzinfo=datetime.UTC))
    result = checks.dossier_checks(dossier, today=TODAY)
    assert [d.code for d in result.deadlines] == []
    (late,) = result.findings
    assert (late.code, late.severity, late.message) == (
        "submitted_late", "warning", "Hồ sơ gửi ngày 12/01/2026, sau hạn nộp 10/01/2026 của đợt xét.")


def test_appraisal_and_refusal_clocks_under_review(dossier, person, tet_2026):
    _propose(dossier, person)
    received = datetime.date(2026, 2, 12)
    due = add_working_days(received, 20)
    _set_status(dossier, NominationStatus.UNDER_REVIEW, received_on=received, appraisal_due=due)
    today = datetime.date(2026, 2, 13)

    result = checks.dossier_checks(dossier, today=today)

    appraisal, refusal = _deadline(result, "appraisal"), _deadline(result, "refusal_notice")
    assert (appraisal.due, appraisal.working_days_left) == (due, 19)
    assert due == datetime.date(2026, 3, 19)  # Tết week skipped
    assert refusal.due == add_working_days(received, 10) == datetime.date(2026, 3, 5)
    assert refusal.source == "Luật TĐKT 2022; Nghị định 152/2025/NĐ-CP" and refusal.unverified is False
    assert "submission" not in [d.code for d in result.deadlines]

    overdue = checks.dossier_checks(dossier, today=datetime.date(2026, 3, 23))
    assert (_deadline(overdue, "appraisal").working_days_overdue, _deadline(overdue, "appraisal").severity) == (2, "error")
    assert _deadline(overdue, "refusal_notice").severity == "warning"  # binds only if the dossier is refused


def test_state_level_proposal_has_its_own_clock_and_the_council_rule(province, department, tet_2026):
    round_ = _round(province, "Tỉnh trình Thủ tướng năm 2025", codes=("BANG_KHEN_TTG",))
    dossier = _dossier(round_, department, "Sở đề nghị Bằng khen Thủ tướng")
    _propose(dossier, make_person("Đặng Thị Nhà Nước", unit=department), "BANG_KHEN_TTG")
    received = datetime.date(2026, 2, 12)
    _set_status(dossier, NominationStatus.UNDER_REVIEW, received_on=received, appraisal_due=add_working_days(received, 20))

    result = checks.dossier_checks(dossier, today=received)
    assert _deadline(result, "state_level").due == add_working_days(received, 30)
    assert [f.code for f in result.findings] == ["publish_before_council"]

    council = datetime.date(2026, 3, 2)  # Monday after Tết: 10 working days back crosses it
    planned = checks.dossier_checks(dossier, today=received, council_date=council)
    assert _deadline(planned, "publish_before_council").due == datetime.date(2026, 2, 9)
    assert working_days_between(datetime.date(2026, 2, 9), council) == 10


def test_round_deadline_days_left_many_one_query_for_a_page(department, office, office2, dossier, tet_2026):
    other = _dossier(_round(department, "Đợt đầu năm 2026", deadline=datetime.date(2026, 2, 23)), office2, "Hồ sơ đầu năm")
    sent = _set_status(_dossier(_round(department, "Đợt khác"), office, "Đã gửi"), NominationStatus.SUBMITTED)
    returned = _set_status(_dossier(_round(department, "Đợt trả lại"), office, "Bị trả lại"), NominationStatus.RETURNED)
    rows = list(Nomination.objects.select_related("round").filter(pk__in=[dossier.pk, other.pk, sent.pk, returned.pk]))
    friday = datetime.date(2026, 2, 13)

    with CaptureQueriesContext(connection) as queries:
        countdowns = checks.round_deadline_days_left_many(rows, friday)

    assert len(queries.captured_queries) == 1
    assert set(countdowns) == {dossier.pk, other.pk, returned.pk}
    assert (countdowns[other.pk].working_days_left, countdowns[other.pk].calendar_days_left) == (1, 10)
    assert countdowns[dossier.pk].overdue and countdowns[dossier.pk].days_overdue == 34


# ---------------------------------------------------------------- cost


def test_checks_do_not_grow_with_nominees(province, department, office, office2, round_, dossier, django_assert_max_num_queries):
    rule_override_create(actor=None, unit=province, target="parameters.quotas.CSTDCS.max_share", value=0.15,
                         valid_from=datetime.date(2025, 1, 1), legal_source="QĐ tỉnh")
    _set_status(dossier, NominationStatus.UNDER_REVIEW, received_on=TODAY, appraisal_due=add_working_days(TODAY, 20))
    elsewhere = _dossier(round_, department, "Đề nghị của Sở")

    def add(person):
        Nominee.objects.create(nomination=dossier, person=person, award=_award("CSTDCS"))
        Nominee.objects.create(nomination=dossier, person=person, award=_award("LDTT"))
        Nominee.objects.create(nomination=elsewhere, person=person, award=_award("LDTT"))
        _record(person, "LDTT", 2025)

    add(make_person("Người Thứ Nhất", unit=office))
    with CaptureQueriesContext(connection) as one:
        small = checks.dossier_checks(dossier, today=TODAY)
    assert small.for_nominee(dossier.nominees.first().pk)  # every path ran
    for index in range(6):
        add(make_person(f"Người Thêm {index}", unit=office))
    with django_assert_max_num_queries(len(one.captured_queries)):
        large = checks.dossier_checks(dossier, today=TODAY)
    # 7 LĐTT proposals clash (register and the other dossier); 6 of 7 CSTĐCS exceed 15% of 7.
    assert len(large.nominee_findings) == 13


# ---------------------------------------------------------------- pages


def test_detail_page_shows_the_checks(officer_client, manager_client, round_, dossier, department, person):
    mine = _propose(dossier, person)
    theirs = _dossier(round_, department, "Đề nghị của Sở năm 2025")
    Nominee.objects.create(nomination=theirs, person=person, award=_award("LDTT"))
    url = reverse("nominations:nomination_detail", args=[dossier.pk])

    officer_page = officer_client.get(url).text
    manager_page = manager_client.get(url).text

    for page in (officer_page, manager_page):
        assert '<section class="card" id="kiem-tra">' in page
        assert "Cũng được đề nghị Lao động tiên tiến trong hồ sơ “Đề nghị của Sở năm 2025” của Sở Khoa học và Công nghệ" in page
        assert '<span class="badge badge-no">Lỗi</span>' in page
        assert "Hạn nộp hồ sơ" in page
    # The awarding unit's officer may open the other dossier; the office's manager may not.
    other_url = reverse("nominations:nomination_detail", args=[theirs.pk])
    assert f'<a href="{other_url}">Xem hồ sơ</a>' in officer_page
    assert other_url not in manager_page
    assert mine.pk  # the row carrying the finding


def test_detail_page_highlights_an_overdue_submission(manager_client, department, office):
    late_round = _round(department, "Đợt đã hết hạn", deadline=datetime.date(2020, 1, 10), start=2019, end=2019)
    dossier = _dossier(late_round, office, "Hồ sơ nộp muộn")
    page = manager_client.get(reverse("nominations:nomination_detail", args=[dossier.pk])).text
    assert '<li class="alert alert-error">' in page
    assert '<span class="badge badge-no">quá hạn' in page


def test_inbox_shows_the_submission_deadline_of_held_dossiers(manager_client, department, office):
    _dossier(_round(department, "Đợt đã hết hạn", deadline=datetime.date(2020, 1, 10), start=2019, end=2019), office, "Hồ sơ trễ hạn")
    page = manager_client.get(reverse("nominations:inbox")).text
    assert "Hạn nộp</small> 10/01/2020" in page
    assert '<span class="badge badge-no">quá hạn' in page
