"""The demo's 2020 decision of the Director (thidua.demo.decisions_data), built once for this module inside
a transaction that is rolled back at the end."""

import datetime

import pytest
from django.db import transaction
from django.test import Client, override_settings

from thidua.common.documents import generated_versions
from thidua.decisions.enums import DecisionStatus
from thidua.decisions.models import Certificate, Decision
from thidua.demo.data import STAGES, build_demo, decisions
from thidua.nominations.enums import NominationStatus
from thidua.records.models import AwardRecord


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    isolated = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=demo_media,
                                 TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
    with django_db_blocker.unblock(), transaction.atomic(), isolated:
        yield build_demo(STAGES[: STAGES.index(decisions) + 1])
        transaction.set_rollback(True)


@pytest.fixture
def media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.mark.django_db
def test_the_directors_2020_decision_is_issued_before_the_conference(demo, media):
    decision = Decision.objects.get(issuing_unit__code="SKHCN_TG", year=2020)
    assert decision.status == DecisionStatus.ISSUED
    assert decision.decision_date == datetime.date(2020, 8, 7) < datetime.date(2020, 8, 10)
    # The number continues the department's 2020 register (decisions dated that year before it).
    used = [int(number.split("/")[0]) for number in AwardRecord.objects.filter(
        decision_date__year=2020, decision_date__lt=decision.decision_date, decision_number__endswith="/QĐ-SKHCN", source="imported",
    ).values_list("decision_number", flat=True)]
    assert decision.number > max(used, default=0) and decision.reference == f"{decision.number:02d}/QĐ-SKHCN"
    assert (decision.signer.username, decision.signer_name, decision.signature_lines()) == ("giamdoc", "Dương Văn Bon", ["GIÁM ĐỐC"])
    lines = list(decision.recipients.all())
    assert sum(line.subject == "collective" for line in lines) == 2 and sum(line.subject == "individual" for line in lines) == 14
    assert {line.subject: line.amount for line in lines} == {"collective": 900000, "individual": 450000}
    assert [basis.text.split(" ")[2] for basis in decision.bases.all()][2:4] == ["Kế", "Hướng"]
    dossiers = {line.nominee.nomination.status for line in lines}
    assert dossiers == {NominationStatus.DECIDED}
    assert AwardRecord.objects.filter(decision_number=decision.reference, source="decision", revoked=False).count() == 16


@pytest.mark.django_db
def test_certificates_payments_and_documents_are_kept(demo, media):
    decision = Decision.objects.get(issuing_unit__code="SKHCN_TG", year=2020)
    kinds = set(generated_versions(decision).values_list("kind", flat=True))
    assert {"quyet_dinh", "giay_khen_full", "chi_tien_thuong_xlsx", "chi_tien_thuong_pdf"} <= kinds
    assert Certificate.objects.filter(decision=decision).count() == 16
    certificate = Certificate.objects.filter(decision=decision).first()
    assert certificate.qr_payload == f"HTTP://127.0.0.1:8000/XAC-THUC/{certificate.code}"
    page = Client().get(f"/xac-thuc/{certificate.code}")
    assert page.status_code == 200 and decision.reference in page.content.decode()
