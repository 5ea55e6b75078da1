"""The register's records written by a decision are changed only by decisions: no direct edit or
delete; a revocation marks them revoked (kept, audited) and refuses a second revocation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_person
from thidua.common.models import AuditAction, AuditEntry
from thidua.records import services
from thidua.rules.models import AwardType


@pytest.fixture
def record(office, officer):
    person = make_person("Nguyễn Văn An", unit=office)
    return services.award_record_create(
        actor=officer, award=AwardType.objects.get(code="GIAY_KHEN"), person=person, period_start=2020, period_end=2020,
        decision_number="05/QĐ-SKHCN", decision_date=datetime.date(2021, 1, 15), source="decision", amount=450_000,
    )


def test_a_decision_record_cannot_be_edited_or_deleted_directly(record, officer):
    with pytest.raises(ValidationError, match="quyết định sửa đổi"):
        services.award_record_update(actor=officer, record=record, amount=1)
    with pytest.raises(ValidationError, match="quyết định thu hồi"):
        services.award_record_delete(actor=officer, record=record)
    record.refresh_from_db()
    assert record.amount == 450_000


def test_revocation_keeps_the_record_marked_and_audited(record, officer):
    revoked = services.award_record_revoke(actor=officer, record=record, reference="12/QĐ-SKHCN", day=datetime.date(2022, 3, 1))
    assert revoked.revoked is True and "Thu hồi theo Quyết định số 12/QĐ-SKHCN ngày 01/03/2022." in revoked.note
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(record.pk), note__contains="12/QĐ-SKHCN").exists()
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        services.award_record_revoke(actor=officer, record=record, reference="13/QĐ-SKHCN", day=datetime.date(2022, 3, 2))
