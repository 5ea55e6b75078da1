"""Revocation (Law 2022 art. 93): a revocation decision, numbered and signed like any other, revokes the
chosen awards; the register, the verification page, the API and the money totals show them revoked;
the money to return is listed with its deadline of 15 working days."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.api.conftest import bearer_client
from tests.decisions.conftest import issue
from thidua.common.models import Deadline, Holiday
from thidua.common.workdays import add_working_days
from thidua.decisions import payments, services
from thidua.decisions.enums import DecisionKind
from thidua.decisions.selectors import decision_links, decisions_visible_to
from thidua.records.models import AwardRecord


@pytest.fixture
def revoked_pair(issued, officer, signer):
    """Two individuals of the issued decision, revoked for a false declaration."""
    lines = list(issued.recipients.order_by("order")[1:3])
    draft = services.revocation_draft(actor=officer, records=[line.award_record_id for line in lines], ground="khai_man",
                                      reason="Kê khai sáng kiến không có thật.")
    return issue(draft, officer=officer, signer=signer), lines


def test_revocation_draft_changes_nothing_until_issued(issued, officer):
    lines = list(issued.recipients.order_by("order")[1:3])
    draft = services.revocation_draft(actor=officer, records=[line.award_record_id for line in lines], ground="gia_mao")
    assert draft.kind == DecisionKind.REVOCATION and draft.amends == issued
    assert draft.subject == "Về việc hủy bỏ quyết định khen thưởng và thu hồi hiện vật, tiền thưởng (Quyết định số 01/QĐ-SKHCN)"
    assert not AwardRecord.objects.filter(revoked=True).exists()


def test_issuing_revokes_the_awards_and_lists_the_money_with_the_deadline(revoked_pair, issued):
    revocation, lines = revoked_pair
    day = timezone.localdate()
    assert revocation.reference == "02/QĐ-SKHCN"
    assert list(AwardRecord.objects.filter(revoked=True).order_by("pk").values_list("pk", flat=True)) == sorted(line.award_record_id for line in lines)
    items = list(revocation.revocation_items.order_by("order"))
    assert [(item.amount_to_recover, item.return_due) for item in items] == [(760000, add_working_days(day, 15))] * 2
    deadline = Deadline.objects.get(key=f"decision:{revocation.pk}:recover")
    assert (deadline.due_on, deadline.unit.code) == (add_working_days(day, 15), "SKHCN")
    assert decision_links(issued)["amended_by"] == [revocation]
    record = AwardRecord.objects.get(pk=lines[0].award_record_id)
    assert "Thu hồi theo Quyết định số 02/QĐ-SKHCN" in record.note


def test_the_return_deadline_skips_holidays(issued, officer, signer):
    day = timezone.localdate()
    Holiday.objects.bulk_create([Holiday(day=day + datetime.timedelta(days=offset), name="Nghỉ bù") for offset in range(1, 8)])
    draft = services.revocation_draft(actor=officer, records=[issued.recipients.order_by("order")[1].award_record_id], ground="trai_luat")
    revocation = issue(draft, officer=officer, signer=signer)
    due = revocation.revocation_items.get().return_due
    assert due == add_working_days(day, 15) and (due - day).days > 21


def test_revoked_everywhere_register_verification_api_totals(revoked_pair, issued, officer, auditor):
    revocation, lines = revoked_pair
    certificate = lines[0].certificate
    page = Client().get(f"/xac-thuc/{certificate.code}")
    assert page.status_code == 200 and "Đã thu hồi" in page.content.decode()
    assert Client().get(f"/api/v1/verify/{certificate.code}").json()["status"] == "revoked"
    other = issued.recipients.order_by("order")[0].certificate
    assert Client().get(f"/api/v1/verify/{other.code}").json()["status"] == "valid"
    # The register (the evidence pages and the API read AwardRecord.revoked).
    history = bearer_client(officer).get(f"/api/v1/awards/history?person={lines[0].person_id}").json()
    assert [item["revoked"] for item in history["items"]] == [True]
    listing = Client()
    listing.force_login(officer)
    assert lines[1].name in listing.get("/minh-chung/khen-thuong/?revoked=yes").content.decode()
    # Money: the revoked part of the year's payments, and what must come back.
    (year,) = payments.totals_by_fund_and_year(decisions_visible_to(auditor))
    assert (year["funds"][0]["revoked"], year["to_recover"], year["returned"]) == (1520000, 1520000, 0)
    # The payment list marks the lines.
    notes = [row.note for row in payments.payment_rows(issued)]
    assert notes == ["", "đã thu hồi", "đã thu hồi", ""]


def test_recording_the_return_closes_the_deadline(revoked_pair, officer):
    revocation, _lines = revoked_pair
    first, second = revocation.revocation_items.order_by("order")
    services.revocation_returned(actor=officer, item=first, returned_on=timezone.localdate())
    assert Deadline.objects.get(key=f"decision:{revocation.pk}:recover").done_at is None
    services.revocation_returned(actor=officer, item=second, returned_on=timezone.localdate())
    assert Deadline.objects.get(key=f"decision:{revocation.pk}:recover").done_at is not None
    with pytest.raises(ValidationError):
        services.revocation_returned(actor=officer, item=second, returned_on=timezone.localdate() + datetime.timedelta(days=1))


def test_an_award_cannot_be_revoked_twice_nor_by_another_unit(revoked_pair, issued, officer, outsider):
    _revocation, lines = revoked_pair
    with pytest.raises(ValidationError) as error:
        services.revocation_draft(actor=officer, records=[lines[0].award_record_id], ground="khai_man")
    assert error.value.messages[0].startswith("Đã bị thu hồi: ")
    with pytest.raises(PermissionDenied):
        services.revocation_draft(actor=outsider, records=[issued.recipients.order_by("order")[0].award_record_id], ground="khai_man")


def test_a_ground_from_article_93_is_required(issued, officer):
    with pytest.raises(ValidationError) as error:
        services.revocation_draft(actor=officer, records=[issued.recipients.first().award_record_id], ground="ly_do_khac")
    assert error.value.message_dict == {"ground": ["Chọn căn cứ hủy bỏ khen thưởng (Điều 93 Luật Thi đua, khen thưởng)."]}


def test_two_drafts_cannot_revoke_the_same_award(issued, officer):
    record = issued.recipients.first().award_record_id
    services.revocation_draft(actor=officer, records=[record], ground="khai_man")
    with pytest.raises(ValidationError) as error:
        services.revocation_draft(actor=officer, records=[record], ground="khai_man")
    assert error.value.messages[0].startswith("Đã có dự thảo quyết định thu hồi khác cho: ")
