"""The pages: list (filters, search, Excel, query count), drafting, the decision page, editing, the workflow
buttons, issuing, certificates (inline and as a background task with progress), blanks and their
calibration, the signed scan, revocation, money totals; and who may see and do what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.decisions.conftest import approved_dossier, issue
from tests.factories import make_person
from thidua.common.models import AuditAction, AuditEntry, LegalDocument
from thidua.decisions import certificates, services
from thidua.decisions.enums import BatchStatus, DecisionStatus
from thidua.decisions.models import CertificateBatch, CertificateTemplate, Decision


@pytest.fixture
def signer_client(signer):
    client = Client()
    client.force_login(signer)
    return client


def _decisions(count, *, officer, manager, signer, office, round_):
    made = []
    for index in range(count):
        nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_,
                                      individuals=[make_person(f"Người Danh Sách {index}", unit=office)])
        (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
        made.append(issue(decision, officer=officer, signer=signer))
    return made


# ---------------------------------------------------------------- list


def test_list_shows_decisions_and_filters_by_status_and_search(officer_client, issued, draft_other):
    html = officer_client.get(reverse("decisions:decision_list")).content.decode()
    assert "01/QĐ-SKHCN" in html and "(chưa có số)" in html and "3.800.000" in html
    issued_only = officer_client.get(reverse("decisions:decision_list"), {"status": "issued"}).content.decode()
    assert "01/QĐ-SKHCN" in issued_only and "(chưa có số)" not in issued_only
    # Accent-insensitive search on the number and the subject.
    assert "01/QĐ-SKHCN" in officer_client.get(reverse("decisions:decision_list"), {"q": "giay khen 01/qđ"}).content.decode()
    nothing = officer_client.get(reverse("decisions:decision_list"), {"q": "bang khen thu tuong"}).content.decode()
    assert "Không có quyết định nào khớp với bộ lọc." in nothing


@pytest.fixture
def draft_other(officer, manager, office, round_):
    nomination = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_, individuals=[make_person("Hồ Văn Mười", unit=office)])
    (decision,) = services.decisions_draft_from_nominees(actor=officer, nominees=list(nomination.nominees.all()))
    return decision


def test_list_query_count_does_not_grow_with_rows(officer_client, officer, manager, signer, office, round_):
    _decisions(1, officer=officer, manager=manager, signer=signer, office=office, round_=round_)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(reverse("decisions:decision_list"))
    _decisions(2, officer=officer, manager=manager, signer=signer, office=office, round_=round_)
    with CaptureQueriesContext(connection) as three:
        response = officer_client.get(reverse("decisions:decision_list"))
    assert response.content.decode().count("/QĐ-SKHCN</a>") == 3
    assert len(three) == len(one)


def test_list_exports_excel(officer_client, issued):
    response = officer_client.get(reverse("decisions:decision_export"), {"status": "issued"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Số, ký hiệu", "Ngày ký", "Trích yếu")
    assert rows[2][0] == "01/QĐ-SKHCN" and rows[2][6:] == (4, 3800000)


def test_staff_may_not_open_decisions_and_outsiders_see_nothing(staff_client, outsider_client, issued):
    assert staff_client.get(reverse("decisions:decision_list")).status_code == 403
    assert "01/QĐ-SKHCN" not in outsider_client.get(reverse("decisions:decision_list")).content.decode()
    assert outsider_client.get(reverse("decisions:decision_detail", args=[issued.pk])).status_code == 404
    assert outsider_client.get(reverse("decisions:document_docx", args=[issued.pk])).status_code == 404


def test_auditor_reads_but_cannot_act(auditor_client, draft):
    page = auditor_client.get(reverse("decisions:decision_detail", args=[draft.pk]))
    assert page.status_code == 200 and "Sửa dự thảo" not in page.content.decode()
    response = auditor_client.post(reverse("decisions:decision_transition", args=[draft.pk]), {"to": "submitted"})
    assert response.status_code == 403
    assert auditor_client.get(reverse("decisions:decision_edit", args=[draft.pk])).status_code == 403


# ---------------------------------------------------------------- drafting, editing, the workflow, issuing


def test_drafting_page_lists_approved_nominees_and_creates_decisions(officer_client, dossier, signer):
    page = officer_client.get(reverse("decisions:draft_from_nominees"))
    html = page.content.decode()
    assert "Trần Thị Bích Ngọc" in html and "4 đề nghị đã được chấp thuận" in html
    ids = list(dossier.nominees.values_list("pk", flat=True))
    response = officer_client.post(reverse("decisions:draft_from_nominees"), {"nominees": ids, "grouping": "combined"})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("decisions:decision_detail", args=[decision.pk])
    assert decision.recipients.count() == 4
    # Nothing left to draft from.
    assert "Không có đề nghị nào đã được chấp thuận đang chờ quyết định" in officer_client.get(reverse("decisions:draft_from_nominees")).content.decode()


def test_drafting_page_refuses_bad_input_and_outsiders(officer_client, outsider_client, manager_client, dossier):
    response = officer_client.post(reverse("decisions:draft_from_nominees"), {"nominees": [], "grouping": "combined"})
    assert response.status_code == 400 and "Chọn ít nhất một đề nghị đã được chấp thuận." in response.content.decode()
    assert manager_client.get(reverse("decisions:draft_from_nominees")).status_code == 403
    ids = list(dossier.nominees.values_list("pk", flat=True))
    response = outsider_client.post(reverse("decisions:draft_from_nominees"), {"nominees": ids, "grouping": "combined"})
    assert response.status_code == 400 and not Decision.objects.exists()


def test_editing_a_draft_takes_bases_from_the_register(officer_client, officer, draft, department):
    plan = LegalDocument.objects.create(number="204/KH-UBND", issued_on="2019-07-12", issuer="Ủy ban nhân dân tỉnh Tiền Giang",
                                        title="Tổ chức Đại hội Thi đua yêu nước tỉnh Tiền Giang lần thứ VI", unit=None)
    page = officer_client.get(reverse("decisions:decision_edit", args=[draft.pk]))
    assert "204/KH-UBND" in page.content.decode()
    data = {
        "subject": "Về việc tặng Giấy khen năm 2025", "bases_text": "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
        "legal_documents": [plan.pk], "achievement": "đã có thành tích xuất sắc năm 2025", "with_annex": "on", "fund": "Quỹ thi đua của Sở",
        "effect": "Quyết định này có hiệu lực kể từ ngày ký.", "executors": "Chánh Văn phòng thi hành.", "signer": draft.signer_id,
        "signer_authority": "", "signer_body_title": "GIÁM ĐỐC", "signer_title": "GIÁM ĐỐC", "signer_name": "Dương Văn Bon",
        "distribution": "Như Điều 3\nLưu: VT, TĐKT",
    }
    response = officer_client.post(reverse("decisions:decision_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "Về việc tặng Giấy khen năm 2025" and draft.with_annex and draft.distribution == ["Như Điều 3", "Lưu: VT, TĐKT"]
    assert [(basis.text, basis.document_id) for basis in draft.bases.all()] == [("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;", None), ("", plan.pk)]
    detail = officer_client.get(reverse("decisions:decision_detail", args=[draft.pk])).content.decode()
    assert "204/KH-UBND" in detail


def test_the_whole_flow_through_the_pages(officer_client, signer_client, draft):
    detail = reverse("decisions:decision_detail", args=[draft.pk])
    assert officer_client.post(reverse("decisions:decision_transition", args=[draft.pk]), {"to": "submitted"}).status_code == 302
    page = signer_client.get(detail).content.decode()
    assert "Duyệt dự thảo" in page and "Trả lại dự thảo" in page
    signer_client.post(reverse("decisions:decision_transition", args=[draft.pk]), {"to": "approved"})
    assert "Ban hành, cấp số" in officer_client.get(detail).content.decode()
    response = officer_client.post(reverse("decisions:decision_issue", args=[draft.pk]), {"decision_date": "2026-01-15"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.reference, str(draft.decision_date)) == (DecisionStatus.ISSUED, "01/QĐ-SKHCN", "2026-01-15")
    page = officer_client.get(detail).content.decode()
    assert "Quyết định số 01/QĐ-SKHCN" in page and "Danh sách chi tiền (Excel)" in page and "Tạo tệp PDF giấy khen" in page
    assert officer_client.get(reverse("decisions:decision_edit", args=[draft.pk])).status_code == 302


def test_issue_form_shows_the_date_error(officer_client, officer, signer, draft):
    services.decision_transition(actor=officer, decision=draft, to="submitted")
    services.decision_transition(actor=signer, decision=draft, to="approved")
    response = officer_client.post(reverse("decisions:decision_issue", args=[draft.pk]), {"decision_date": "2099-01-01"})
    assert response.status_code == 400 and "Ngày ký không được ở tương lai." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.APPROVED


def test_editing_and_removing_a_line(officer_client, draft):
    line = draft.recipients.order_by("order")[1]
    response = officer_client.post(reverse("decisions:recipient_edit", args=[draft.pk, line.pk]),
                                   {"salutation": "Ông", "name": "Nguyễn Văn Ánh", "position": "Chuyên viên chính, Văn phòng Sở", "achievement": ""})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.position == "Chuyên viên chính, Văn phòng Sở"
    officer_client.post(reverse("decisions:recipient_remove", args=[draft.pk, line.pk]))
    assert draft.recipients.count() == 3


def test_documents_download(officer_client, issued, draft_other):
    docx = officer_client.get(reverse("decisions:document_docx", args=[issued.pk]))
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith(f'quyet-dinh-01-{issued.year}-skhcn.docx"')
    preview = officer_client.get(reverse("decisions:document_docx", args=[draft_other.pk]))
    assert preview.status_code == 200 and preview.content.startswith(b"PK")
    payments = officer_client.get(reverse("decisions:payments_file", args=[issued.pk, "xlsx"]))
    assert payments.status_code == 200 and payments.content.startswith(b"PK")
    pdf = officer_client.get(reverse("decisions:payments_file", args=[issued.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF-")


# ---------------------------------------------------------------- certificates, blanks, the signed scan


def test_certificates_inline_for_a_small_decision(officer_client, issued):
    response = officer_client.post(reverse("decisions:certificates_start", args=[issued.pk]), {"mode": "full"})
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.total, batch.done) == (BatchStatus.DONE, 4, 4)
    file = officer_client.get(reverse("decisions:generated_file", args=[issued.pk, batch.document_id]))
    assert b"".join(file.streaming_content).startswith(b"%PDF-")
    assert AuditEntry.objects.filter(object_id=str(issued.pk), note="In 4 giấy khen").exists()


def test_a_large_batch_runs_as_a_task_and_reports_progress(officer_client, officer, issued):
    # The tests' task backend runs the task at once; in production db_worker runs it and the page polls.
    batch = certificates.certificate_batch_start(actor=officer, decision=issued, mode="full", inline=False)
    assert (batch.status, batch.done) == (BatchStatus.DONE, 4)
    fragment = officer_client.get(reverse("decisions:batch_progress", args=[issued.pk, batch.pk])).content.decode()
    assert "hx-trigger" not in fragment and batch.document.filename in fragment
    running = CertificateBatch.objects.create(decision=issued, total=4, done=1, status=BatchStatus.RUNNING)
    fragment = officer_client.get(reverse("decisions:batch_progress", args=[issued.pk, running.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and '<progress id="progress-' in fragment and 'value="1"' in fragment


def test_overlay_needs_a_template(officer_client, issued):
    response = officer_client.post(reverse("decisions:certificates_start", args=[issued.pk]), {"mode": "overlay"})
    assert response.status_code == 400 and "Chọn mẫu phôi để in lên phôi." in response.content.decode()


def test_blank_templates_are_calibrated_audited_and_test_printed(officer_client, department):
    page = officer_client.get(reverse("decisions:template_create"))
    form = page.context["form"]
    data = {name: ("on" if value is True else "" if value is False else value) for name, value in
            ((name, field.initial) for name, field in form.fields.items()) if value not in ("",)}
    data = {key: value for key, value in data.items() if value is not None}
    data.update({"unit": department.pk, "name": "Phôi Giấy khen Sở", "width_mm": "297", "height_mm": "210", "name__x": "55.5", "position__visible": ""})
    response = officer_client.post(reverse("decisions:template_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = CertificateTemplate.objects.get()
    assert template.fields["name"]["x"] == 55.5 and template.fields["position"]["visible"] is False
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, content_type__model="certificatetemplate").count() == 1
    data["name__x"] = "60"
    officer_client.post(reverse("decisions:template_edit", args=[template.pk]), data)
    update = AuditEntry.objects.get(action=AuditAction.UPDATE, content_type__model="certificatetemplate")
    assert update.changes["fields"][0]["name"]["x"] == 55.5 and update.changes["fields"][1]["name"]["x"] == 60.0
    printed = officer_client.get(reverse("decisions:template_test_print", args=[template.pk]))
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF-")
    assert "Phôi Giấy khen Sở" in officer_client.get(reverse("decisions:template_list")).content.decode()


def test_template_positions_are_checked(officer, department):
    with pytest.raises(Exception) as error:
        certificates.template_save(actor=officer, unit=department, name="Sai", width_mm=297, height_mm=210, fields={"name": {"x": "abc"}})
    assert "Họ tên, tên tập thể: “abc” không phải là số." in str(error.value)


def test_the_signed_scan_is_kept_with_its_hash_and_checked(officer_client, issued):
    upload = SimpleUploadedFile("qd-01-da-ky.pdf", b"%PDF-1.7 signed scan", content_type="application/pdf")
    response = officer_client.post(reverse("decisions:attachment_add", args=[issued.pk]), {"kind": "ban_ky", "file": upload})
    assert response.status_code == 302
    attachment = issued.attachments.get()
    assert attachment.original_name == "qd-01-da-ky.pdf" and len(attachment.sha256) == 64
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = officer_client.post(reverse("decisions:attachment_add", args=[issued.pk]), {"kind": "ban_ky", "file": fake})
    assert response.status_code == 400 and "Nội dung tệp không đúng định dạng PDF" in response.content.decode()
    assert issued.attachments.count() == 1


def test_a_draft_cannot_take_a_signed_scan(officer_client, draft):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7", content_type="application/pdf")
    response = officer_client.post(reverse("decisions:attachment_add", args=[draft.pk]), {"kind": "ban_ky", "file": upload})
    assert response.status_code == 400 and not draft.attachments.exists()


# ---------------------------------------------------------------- revocation and money pages


def test_revocation_page_drafts_a_revocation(officer_client, issued, manager_client):
    line = issued.recipients.order_by("order")[1]
    page = officer_client.get(reverse("decisions:revocation_create", args=[issued.pk]))
    assert "Nguyễn Văn Ánh — Giấy khen" in page.content.decode()
    response = officer_client.post(reverse("decisions:revocation_create", args=[issued.pk]),
                                   {"awards": [line.award_record_id], "ground": "phat_hien_sau", "reason": "Vi phạm trong năm 2025."})
    revocation = Decision.objects.get(kind="revocation")
    assert response["Location"] == reverse("decisions:decision_detail", args=[revocation.pk])
    assert "Phát hiện sau khi khen thưởng" in officer_client.get(response["Location"]).content.decode()
    bad = officer_client.post(reverse("decisions:revocation_create", args=[issued.pk]), {"awards": [line.award_record_id]})
    assert bad.status_code == 400 and "Chọn căn cứ hủy bỏ khen thưởng." in bad.content.decode()
    assert manager_client.get(reverse("decisions:revocation_create", args=[issued.pk])).status_code == 404


def test_money_totals_page(auditor_client, issued):
    html = auditor_client.get(reverse("decisions:money_totals")).content.decode()
    assert f"Năm {issued.year}" in html and "Quỹ thi đua, khen thưởng của Sở Khoa học và Công nghệ" in html and "3.800.000" in html


def test_sidebar_entry(officer_client, staff_client):
    assert "Quyết định khen thưởng" in officer_client.get(reverse("common:dashboard")).content.decode()
    assert "Quyết định khen thưởng" not in staff_client.get(reverse("common:dashboard")).content.decode()


def test_numbering_page(officer_client, department, staff_client):
    response = officer_client.post(reverse("decisions:numbering"), {"unit": department.pk, "year": 2026, "last": 17})
    assert response.status_code == 302
    html = officer_client.get(reverse("decisions:numbering")).content.decode()
    assert "Sở Khoa học và Công nghệ" in html and ">17<" in html and ">18<" in html
    assert staff_client.get(reverse("decisions:numbering")).status_code == 403


def test_decision_page_query_count_does_not_grow_with_lines(officer_client, officer, manager, signer, office, round_, issued):
    (small,) = _decisions(1, officer=officer, manager=manager, signer=signer, office=office, round_=round_)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(reverse("decisions:decision_detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as four:
        response = officer_client.get(reverse("decisions:decision_detail", args=[issued.pk]))
    assert issued.recipients.count() == 4 and "Trần Thị Bích Ngọc" in response.content.decode()
    assert len(four) == len(one)
