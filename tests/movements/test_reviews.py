"""Reviews (sơ kết, tổng kết): the launching unit's request, the units' reports with their files, the
consolidated table with totals and overdue units, its Excel export and the summary report DOCX."""

import datetime
import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from tests.movements.test_registrations import launch_movement
from thidua.common.models import Deadline, GeneratedDocument
from thidua.common.spreadsheets import workbook_bytes
from thidua.movements import services
from thidua.movements.forms_participation import REPORT_FILE_MAX_BYTES
from thidua.movements.models import ReviewReport, ReviewRequest

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def movement(officer, department, office, office2):
    return launch_movement(officer, department)


def make_request(
    officer,
    movement,
    *,
    deadline_in: int = 14,
    kind: str = "so_ket",
    title: str = "Báo cáo sơ kết 6 tháng đầu năm",
):
    today = timezone.localdate()
    return services.review_request_create(
        actor=officer,
        movement=movement,
        kind=kind,
        title=title,
        period_start=movement.start,
        period_end=today,
        deadline=today + datetime.timedelta(days=deadline_in),
        instructions="Báo cáo số liệu và nhận xét.",
    )


@pytest.fixture
def review(officer, movement):
    return make_request(officer, movement)


@pytest.fixture
def office2_manager(office2):
    return make_user("qlkh", role="unit_manager", unit=office2)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit_url(review, unit=None):
    url = reverse("movements:review_submit", args=[review.pk])
    return f"{url}?unit={unit.code}" if unit is not None else url


def figures(**overrides):
    values = {
        "registrations_met": 5,
        "titles_achieved": 4,
        "initiatives": 2,
        "commendations": 3,
        "remarks": "Hoàn thành tốt.",
    }
    values.update(overrides)
    return values


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo sơ kết của Văn phòng Sở")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the request


def test_review_request_create_asks_every_participating_unit(
    officer_client, movement, department, office, office2
):
    today = timezone.localdate()
    data = {
        "kind": "so_ket",
        "title": "Báo cáo sơ kết 6 tháng đầu năm",
        "period_start": movement.start.isoformat(),
        "period_end": today.isoformat(),
        "deadline": f"{today + datetime.timedelta(days=10):%d/%m/%Y}",
        "instructions": "Gửi kèm báo cáo bằng văn bản.",
    }

    response = officer_client.post(reverse("movements:review_request_create", args=[movement.pk]), data)

    review = ReviewRequest.objects.get(movement=movement)
    assert response.status_code == 302
    assert response["Location"] == reverse("movements:review_detail", args=[review.pk])
    assert review.deadline == today + datetime.timedelta(days=10)
    keys = set(
        Deadline.objects.filter(key__contains=f":review:{review.pk}:").values_list("unit__code", flat=True)
    )
    assert keys == {"SKHCN", "SKHCN_VP", "SKHCN_QLKH"}


def test_review_request_create_checks_the_period(officer_client, movement):
    today = timezone.localdate()
    data = {
        "kind": "tong_ket",
        "title": "Tổng kết",
        "period_start": today.isoformat(),
        "period_end": (today - datetime.timedelta(days=1)).isoformat(),
        "deadline": today.isoformat(),
    }

    response = officer_client.post(reverse("movements:review_request_create", args=[movement.pk]), data)

    assert response.status_code == 400
    assert "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu." in response.content.decode()
    assert not ReviewRequest.objects.exists()


def test_review_request_create_is_forbidden_to_managers_and_hidden_from_outsiders(
    manager_client, outsider_client, movement
):
    url = reverse("movements:review_request_create", args=[movement.pk])

    assert manager_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


# ---------------------------------------------------------------- the units' reports


def test_review_submit_saves_figures_and_file_and_marks_the_deadline_done(manager_client, review, office):
    data = {**figures(), "file": SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")}

    response = manager_client.post(submit_url(review), data, follow=True)

    assert response.status_code == 200
    assert "Đã gửi báo cáo của Văn phòng Sở." in response.content.decode()
    report = ReviewReport.objects.get(request=review, unit=office)
    assert (report.registrations_met, report.titles_achieved, report.initiatives, report.commendations) == (
        5,
        4,
        2,
        3,
    )
    assert report.file.name.endswith(".pdf")
    deadline = Deadline.objects.get(key=f"movement:{review.movement_id}:review:{review.pk}:unit:{office.pk}")
    assert deadline.done_at is not None
    other = Deadline.objects.get(key__endswith=f":review:{review.pk}:unit:{office.parent_id}")
    assert other.done_at is None


def test_review_submit_again_updates_the_report(manager_client, review, office):
    manager_client.post(submit_url(review), {**figures(), "file": SimpleUploadedFile("bao-cao.pdf", PDF)})
    first_file = ReviewReport.objects.get().file.name

    response = manager_client.post(
        submit_url(review), figures(initiatives=7, remarks="Bổ sung số liệu."), follow=True
    )

    assert "Đã cập nhật báo cáo của Văn phòng Sở." in response.content.decode()
    report = ReviewReport.objects.get()
    assert (report.initiatives, report.remarks) == (7, "Bổ sung số liệu.")
    assert report.file.name == first_file
    assert response.context["form"]["initiatives"].value() == 7


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("bao-cao.pdf", PDF, True),
        ("bao-cao.docx", docx_bytes(), True),
        ("so-lieu.xlsx", workbook_bytes(sheet_title="Số liệu", headers=["A"], rows=[[1]]), True),
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf", False),
        ("bao-cao.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", False),
        ("bao-cao.exe", b"MZ\x90\x00", False),
        ("bao-cao.docx", PDF, False),
        ("so-lieu.xlsx", docx_bytes(), False),
    ],
)
def test_review_submit_checks_the_file_by_extension_and_content(
    manager_client, review, name, content, accepted
):
    response = manager_client.post(
        submit_url(review), {**figures(), "file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == (302 if accepted else 400)
    assert ReviewReport.objects.exists() is accepted


def test_review_submit_refuses_files_over_20_mb(manager_client, review):
    big = PDF + b"0" * (REPORT_FILE_MAX_BYTES + 1 - len(PDF))

    response = manager_client.post(
        submit_url(review), {**figures(), "file": SimpleUploadedFile("lon.pdf", big)}
    )

    assert response.status_code == 400
    assert "Tệp lớn hơn giới hạn 20 MB." in response.content.decode()
    assert not ReviewReport.objects.exists()


def test_review_submit_refuses_negative_figures(manager_client, review):
    response = manager_client.post(submit_url(review), figures(initiatives=-1))

    assert response.status_code == 400
    assert "Số liệu không được âm." in response.content.decode()


def test_review_submit_is_for_the_units_own_report(
    manager_client, staff_client, outsider_client, review, office2
):
    assert manager_client.get(submit_url(review, office2)).status_code == 404
    assert staff_client.get(submit_url(review)).status_code == 403
    assert outsider_client.get(submit_url(review)).status_code == 404
    assert manager_client.get(submit_url(review)).status_code == 200


# ---------------------------------------------------------------- the consolidated table


def submit(user, review, unit, **values):
    return services.review_report_submit(actor=user, request=review, unit=unit, **figures(**values))


def test_review_detail_shows_every_unit_with_totals_and_overdue(
    officer, manager, office2_manager, officer_client, movement, office, office2
):
    review = make_request(officer, movement, deadline_in=-1)
    submit(manager, review, office, registrations_met=5, titles_achieved=4, initiatives=2, commendations=3)
    submit(
        office2_manager,
        review,
        office2,
        registrations_met=7,
        titles_achieved=1,
        initiatives=0,
        commendations=6,
    )

    response = officer_client.get(reverse("movements:review_detail", args=[review.pk]))

    assert response.status_code == 200
    table = response.context["table"]
    assert [(row.unit.code, row.report is not None, row.overdue) for row in table.rows] == [
        ("SKHCN", False, True),
        ("SKHCN_VP", True, False),
        ("SKHCN_QLKH", True, False),
    ]
    assert table.totals == {
        "registrations_met": 12,
        "titles_achieved": 5,
        "initiatives": 2,
        "commendations": 9,
    }
    assert (table.submitted, table.overdue) == (2, 1)
    html = response.content.decode()
    assert 'class="overdue"' in html and "Quá hạn" in html
    assert "Tổng cộng (2 đơn vị đã gửi)" in html

    overdue_only = officer_client.get(
        reverse("movements:review_detail", args=[review.pk]), {"status": "overdue"}
    )
    assert [row.unit.code for row in overdue_only.context["rows"]] == ["SKHCN"]


def test_review_detail_is_for_the_launching_unit(manager_client, staff_client, outsider_client, review):
    url = reverse("movements:review_detail", args=[review.pk])

    assert manager_client.get(url).status_code == 403
    assert staff_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


def test_review_detail_query_count_does_not_grow_with_units(
    officer, manager, officer_client, department, office, office2
):
    one = make_request(officer, launch_movement(officer, department, chosen=[office]))
    three = make_request(officer, launch_movement(officer, department, chosen=[department, office, office2]))
    for review in (one, three):
        submit(manager, review, office)
    submit(officer, three, office2)

    with CaptureQueriesContext(connection) as small:
        officer_client.get(reverse("movements:review_detail", args=[one.pk]))
    with CaptureQueriesContext(connection) as large:
        response = officer_client.get(reverse("movements:review_detail", args=[three.pk]))

    assert len(response.context["rows"]) == 3
    assert len(large) == len(small)


def test_review_export_has_every_unit_and_the_totals(
    officer, manager, officer_client, manager_client, review, office
):
    submit(manager, review, office, registrations_met=5, titles_achieved=4, initiatives=2, commendations=3)

    response = officer_client.get(reverse("movements:review_export", args=[review.pk]))

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:5]] == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]
    assert rows[3][3] == "Đã gửi" and rows[3][5:9] == (5, 4, 2, 3)
    assert rows[5][2] == "Tổng cộng" and rows[5][5:9] == (5, 4, 2, 3)
    assert manager_client.get(reverse("movements:review_export", args=[review.pk])).status_code == 403


def test_review_file_is_seen_by_the_launching_unit_and_the_reporting_unit_only(
    officer_client, manager_client, manager, office2_manager, outsider_client, review, office
):
    report = services.review_report_submit(
        actor=manager, request=review, unit=office, file=SimpleUploadedFile("bao-cao.pdf", PDF), **figures()
    )
    url = reverse("movements:review_file", args=[report.pk])

    response = officer_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert manager_client.get(url).status_code == 200
    assert client_for(office2_manager).get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404


# ---------------------------------------------------------------- the summary report


def summary_url(review):
    return reverse("movements:review_summary_docx", args=[review.pk])


def summary_form(**overrides):
    values = {
        "day": "15/12/2027",
        "place": "Tiền Giang",
        "number": "",
        "signer_title": "Giám đốc",
        "signer_name": "Dương Văn Bon",
    }
    values.update(overrides)
    return values


def open_latest(client, review) -> docx.Document:
    response = client.get(summary_url(review))
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def test_review_summary_docx_final_review_has_figures_totals_and_tasks(
    officer, manager, office2_manager, officer_client, movement, office, office2
):
    review = make_request(officer, movement, kind="tong_ket", title="Báo cáo tổng kết năm 2027")
    submit(
        manager,
        review,
        office,
        registrations_met=5,
        titles_achieved=4,
        initiatives=2,
        commendations=3,
        remarks="Cần thêm kinh phí.",
    )
    submit(
        office2_manager,
        review,
        office2,
        registrations_met=7,
        titles_achieved=1,
        initiatives=0,
        commendations=6,
        remarks="",
    )

    response = officer_client.post(summary_url(review), summary_form())

    assert response.status_code == 302
    document = open_latest(officer_client, review)
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Tổng kết phong trào thi đua “Đổi mới, sáng tạo” năm 2027" in texts
    assert (
        f"(Kỳ báo cáo từ ngày {review.period_start:%d/%m/%Y} đến ngày {review.period_end:%d/%m/%Y})" in texts
    )
    assert "I. KẾT QUẢ THỰC HIỆN PHONG TRÀO" in texts
    assert "- Văn phòng Sở: Cần thêm kinh phí." in texts
    direction = texts.index("II. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    assert texts[direction + 1 : direction + 3] == [
        "1. Đẩy mạnh cải cách hành chính",
        "2. Ứng dụng công nghệ thông tin",
    ]
    letterhead = document.tables[0]
    assert letterhead.cell(1, 1).text == "Tiền Giang, ngày 15 tháng 12 năm 2027"
    assert letterhead.cell(0, 0).text.split("\n")[1] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    figures_table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in figures_table.rows]
    assert rows[0] == [
        "STT",
        "Đơn vị",
        "Đăng ký đạt",
        "Danh hiệu đạt được",
        "Sáng kiến, đề tài",
        "Được khen thưởng",
    ]
    assert rows[1] == ["1", "Sở Khoa học và Công nghệ (chưa báo cáo)", "—", "—", "—", "—"]
    assert rows[2] == ["2", "Văn phòng Sở", "5", "4", "2", "3"]
    assert rows[-1] == ["", "Tổng cộng", "12", "5", "2", "9"]
    signature = document.tables[-1].cell(0, 1).text.split("\n")
    assert (signature[0], signature[-1]) == ("GIÁM ĐỐC", "Dương Văn Bon")


def test_review_summary_docx_mid_term_has_no_direction_section(officer, officer_client, review):
    officer_client.post(summary_url(review), summary_form(signer_title="KT. Giám đốc / Phó Giám đốc"))

    document = open_latest(officer_client, review)
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert document.tables[-1].cell(0, 1).text.split("\n")[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]

    assert "Sơ kết phong trào thi đua “Đổi mới, sáng tạo” năm 2027" in texts
    assert not any(text.startswith("II. PHƯƠNG HƯỚNG") for text in texts)
    assert "Các đơn vị không có nhận xét, kiến nghị." in texts


def test_review_summary_docx_keeps_every_version_and_downloads_the_latest(
    officer, manager, officer_client, review, office
):
    officer_client.post(summary_url(review), summary_form())
    submit(manager, review, office, registrations_met=9)

    response = officer_client.post(summary_url(review), summary_form(), follow=True)

    assert "Đã tạo báo cáo tổng hợp, phiên bản 2." in response.content.decode()
    versions = GeneratedDocument.objects.filter(object_id=str(review.pk), kind="review_summary").order_by(
        "version"
    )
    assert [version.version for version in versions] == [1, 2]
    assert versions[0].sha256 != versions[1].sha256
    download = officer_client.get(summary_url(review))
    assert f'filename="bao-cao-so-ket-{review.pk}-v2.docx"' in download["Content-Disposition"]
    table = docx.Document(io.BytesIO(b"".join(download.streaming_content))).tables[1]
    assert table.rows[-1].cells[2].text == "9"


def test_review_summary_docx_is_for_the_launching_unit(
    manager_client, outsider_client, officer_client, review
):
    assert manager_client.post(summary_url(review), summary_form()).status_code == 403
    assert outsider_client.post(summary_url(review), summary_form()).status_code == 404
    assert officer_client.get(summary_url(review)).status_code == 404  # nothing generated yet
    assert not GeneratedDocument.objects.exists()


def test_review_summary_docx_form_errors_show_on_the_table_page(officer_client, review):
    response = officer_client.post(summary_url(review), summary_form(day="31/02/2027"))

    assert response.status_code == 400
    assert "Nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_summary_docx_is_a_valid_word_file(officer, officer_client, review):
    officer_client.post(summary_url(review), summary_form())
    content = b"".join(officer_client.get(summary_url(review)).streaming_content)

    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
