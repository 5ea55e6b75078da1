"""The decisions API: draft, workflow, issue with its number, downloads, revocation, verification."""

import io

import pytest
from django.test import Client
from docx import Document

from tests.api.conftest import bearer_client
from thidua.decisions.models import Decision


@pytest.fixture
def officer_api(officer):
    return bearer_client(officer)


@pytest.fixture
def signer_api(signer):
    return bearer_client(signer)


def _create(api, nominees, **extra):
    return api.post("/api/v1/decisions", {"nominees": nominees, **extra}, content_type="application/json")


def test_the_whole_flow_over_the_api(officer_api, signer_api, dossier):
    ids = list(dossier.nominees.values_list("pk", flat=True))
    response = _create(officer_api, ids, signer="giamdoc", fund="Quỹ thi đua, khen thưởng của Sở")
    assert response.status_code == 201
    (created,) = response.json()["decisions"]
    assert (created["status"], created["number"], created["signer"], created["signer_name"]) == ("draft", None, "giamdoc", "Dương Văn Bon")
    assert [line["name"] for line in created["recipients"]] == ["Văn phòng Sở", "Nguyễn Văn Ánh", "Trần Thị Bích Ngọc", "Lê Hoàng Dũng"]
    assert created["allowed_transitions"] == ["submitted", "cancelled"]
    url = f"/api/v1/decisions/{created['id']}"

    assert officer_api.post(f"{url}/issue", {}, content_type="application/json").status_code == 409
    assert officer_api.post(f"{url}/transitions", {"to": "submitted"}, content_type="application/json").json()["status"] == "submitted"
    assert officer_api.post(f"{url}/transitions", {"to": "approved"}, content_type="application/json").status_code == 403
    assert signer_api.post(f"{url}/transitions", {"to": "approved"}, content_type="application/json").json()["status"] == "approved"
    issued = officer_api.post(f"{url}/issue", {"decision_date": "2026-01-20"}, content_type="application/json")
    assert issued.status_code == 200
    body = issued.json()
    assert (body["number"], body["sequence"], body["decision_date"], body["total_amount"]) == ("01/QĐ-SKHCN", 1, "2026-01-20", 3540000)  # 1,410,000 + 3 × 710,000
    assert body["recipients"][1]["amount"] == 710000 and body["recipients"][1]["register_number"] == "002/2026"
    assert all(len(line["certificate_code"]) == 19 for line in body["recipients"])
    assert officer_api.post(f"{url}/issue", {}, content_type="application/json").status_code == 409

    docx = officer_api.get(f"{url}/document.docx")
    text = [p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs]
    assert "QUYẾT ĐỊNH" in text
    certificates = officer_api.get(f"{url}/certificates.pdf")
    assert certificates.status_code == 200 and b"".join(certificates.streaming_content).startswith(b"%PDF-")
    payments = officer_api.get(f"{url}/payments.xlsx")
    assert payments.status_code == 200 and payments["Content-Type"].startswith("application/vnd.openxmlformats")


def test_create_refuses_what_cannot_be_decided(officer_api, manager, dossier):
    assert _create(officer_api, []).status_code == 422
    response = _create(officer_api, [999999])
    assert response.status_code == 422 and response.json()["errors"] == {"nominees": ["Không có đề nghị số 999999."]}
    assert _create(officer_api, list(dossier.nominees.values_list("pk", flat=True)), signer="khongco").status_code == 422
    assert _create(bearer_client(manager), list(dossier.nominees.values_list("pk", flat=True))).status_code == 403
    assert not Decision.objects.exists()
    assert Client().post("/api/v1/decisions", {"nominees": [1]}, content_type="application/json").status_code == 401


def test_returning_needs_a_note_and_outsiders_get_404(signer_api, officer_api, outsider, draft):
    officer_api.post(f"/api/v1/decisions/{draft.pk}/transitions", {"to": "submitted"}, content_type="application/json")
    response = signer_api.post(f"/api/v1/decisions/{draft.pk}/transitions", {"to": "returned"}, content_type="application/json")
    assert response.status_code == 409 and response.json() == {"detail": "Ghi rõ ý kiến khi trả lại dự thảo."}
    assert bearer_client(outsider).get(f"/api/v1/decisions/{draft.pk}").status_code == 404
    bad = officer_api.post(f"/api/v1/decisions/{draft.pk}/transitions", {"to": "issued"}, content_type="application/json")
    assert bad.status_code == 422


def test_revoke_then_issue_marks_the_certificate_revoked(officer_api, signer_api, issued):
    line = issued.recipients.order_by("order")[1]
    response = officer_api.post(f"/api/v1/decisions/{issued.pk}/revoke",
                                {"awards": [line.award_record_id], "ground": "khai_man", "reason": "Kê khai sai."}, content_type="application/json")
    assert response.status_code == 201
    revocation = response.json()
    assert (revocation["kind"], revocation["amends"]["number"], revocation["revocation_items"][0]["amount_to_recover"]) == ("revocation", "01/QĐ-SKHCN", 760000)
    url = f"/api/v1/decisions/{revocation['id']}"
    officer_api.post(f"{url}/transitions", {"to": "submitted"}, content_type="application/json")
    signer_api.post(f"{url}/transitions", {"to": "approved"}, content_type="application/json")
    done = officer_api.post(f"{url}/issue", {}, content_type="application/json").json()
    assert done["number"] == "02/QĐ-SKHCN" and done["revocation_items"][0]["return_due"] is not None
    original = officer_api.get(f"/api/v1/decisions/{issued.pk}").json()
    assert original["amended_by"] == [{"id": revocation["id"], "number": "02/QĐ-SKHCN", "status": "issued"}]
    assert [line["revoked"] for line in original["recipients"]] == [False, True, False, False]
    code = original["recipients"][1]["certificate_code"]
    assert Client().get(f"/api/v1/verify/{code}").json()["status"] == "revoked"
    foreign = officer_api.post(f"/api/v1/decisions/{issued.pk}/revoke", {"awards": [123456], "ground": "khai_man"}, content_type="application/json")
    assert foreign.status_code == 422 and foreign.json()["errors"] == {"awards": ["Không thuộc quyết định này: 123456."]}


def test_documents_of_a_draft_and_missing_ones(officer_api, draft):
    docx = officer_api.get(f"/api/v1/decisions/{draft.pk}/document.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert officer_api.get(f"/api/v1/decisions/{draft.pk}/certificates.pdf").status_code == 404
    assert officer_api.get(f"/api/v1/decisions/{draft.pk}/payments.xlsx").status_code == 404


def test_a_deputy_signs_on_the_heads_behalf(officer_api, dossier, department, signer):
    from tests.factories import make_person, make_user

    deputy = make_person("Nguyễn Văn Phó", unit=department, position="Phó Giám đốc", gender="nam")
    make_user("phogiamdoc", role="signer", unit=department, person=deputy)
    response = _create(officer_api, list(dossier.nominees.values_list("pk", flat=True)), signer="phogiamdoc")
    (created,) = response.json()["decisions"]
    assert (created["signer"], created["signer_name"], created["signature"]) == ("phogiamdoc", "Nguyễn Văn Phó", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])
