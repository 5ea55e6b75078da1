import unicodedata

import pytest
from django.db import transaction

from tests.factories import make_person
from thidua.common import audit
from thidua.common.models import AuditAction, AuditEntry, ImmutableRecordError
from thidua.organizations import services
from thidua.organizations.models import Person


@pytest.mark.django_db
def test_person_update_records_old_and_new_values(officer, office):
    person = make_person("Nguyễn Văn An", unit=office)
    services.person_update(actor=officer, person=person, full_name="Nguyễn Văn Ánh", ethnicity="Hoa")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(person.pk)).get()
    assert entry.actor == officer
    assert entry.changes == {"ethnicity": ["Kinh", "Hoa"], "given_name": ["An", "Ánh"]}
    assert entry.unit_path == office.path


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(officer, office):
    make_person("Nguyễn Văn An", unit=office)
    entry = AuditEntry.objects.first()
    entry.note = "sửa"
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused(officer):
    with pytest.raises(RuntimeError):
        audit.record(actor=officer, action=AuditAction.UPDATE, obj=officer)


@pytest.mark.django_db
def test_failed_service_leaves_no_audit_row(office):
    make_person("Trần Văn Một", unit=office, cccd="082000000001")
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):
        with transaction.atomic():
            services.person_create(actor=None, full_name="Trần Văn Hai", unit=office, cccd="082000000001")
    assert AuditEntry.objects.count() == before
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_text_is_stored_in_nfc(office):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    person = make_person(decomposed, unit=office, ethnicity=unicodedata.normalize("NFD", "Khơ Me"))
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", person.family_name + person.given_name + person.ethnicity)
    assert Person.objects.filter(given_name=unicodedata.normalize("NFD", "Ánh")).count() == 1


@pytest.mark.django_db
def test_duplicate_cccd_is_refused_with_vietnamese_message(office):
    from django.core.exceptions import ValidationError

    make_person("Trần Văn Một", unit=office, cccd="082000000001")
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=None, full_name="Trần Văn Hai", unit=office, cccd="082000000001")
    assert error.value.message_dict == {"cccd": ["Số CCCD 082000000001 đã có trong hồ sơ của người khác."]}


@pytest.mark.django_db
def test_cccd_must_have_12_digits(office):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.person_create(actor=None, full_name="Trần Văn Hai", unit=office, cccd="12345")
    assert error.value.message_dict["cccd"] == ["Số CCCD phải gồm đúng 12 chữ số."]
