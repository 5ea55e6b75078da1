"""The launch letter (Kế hoạch phát động) in the Decree 30 layout: opened with python-docx and read;
its number, date and signature; stored versions; the pages that list and serve them."""

import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import make_person, make_unit, make_user
from tests.movements.helpers_movements import SEED_TASKS, awards, launch, make_document, make_movement
from thidua.common.models import GeneratedDocument
from thidua.movements.documents import (
    launch_letter_docx,
    launch_letter_generate,
    legal_basis_line,
    place_of,
    subject_of,
)


def paragraphs(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]


def table_texts(content: bytes) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in Document(io.BytesIO(content)).tables
    ]


@pytest.fixture
def movement(officer, department, office, office2):
    basis = make_document(None)
    guidance = make_document(
        None,
        number="140/HD-SNV",
        issued_on=datetime.date(2019, 8, 22),
        issuer="Sở Nội vụ tỉnh Tiền Giang",
        title="Hướng dẫn tổng kết phong trào thi đua giai đoạn 2015–2020",
    )
    draft = make_movement(
        officer,
        department,
        legal_bases=[guidance, basis],
        criteria=[("Hoàn thành nhiệm vụ chuyên môn", 60), ("Cải cách hành chính", 40)],
        planned_awards=awards("TTLDTT", "LDTT", "GIAY_KHEN"),
    )
    return launch(officer, draft, on=datetime.date(2020, 8, 10))


def test_letter_has_the_decree_30_heading_number_and_date(movement):
    tables = table_texts(launch_letter_docx(movement))

    letterhead = tables[0]
    assert letterhead[0][0] == "ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert letterhead[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert letterhead[1] == ["Số: 01/KH-SKHCN", "Tiền Giang, ngày 10 tháng 8 năm 2020"]


def test_letter_date_takes_leading_zeros_for_small_days_and_the_first_two_months(officer, department):
    movement = launch(officer, make_movement(officer, department), on=datetime.date(2024, 2, 5))

    letterhead = table_texts(launch_letter_docx(movement))[0]

    assert letterhead[1][1] == "Tiền Giang, ngày 05 tháng 02 năm 2024"


def test_letter_body_has_its_bases_sections_numbered_tasks_grid_and_awards(movement):
    content = launch_letter_docx(movement)
    text = paragraphs(content)

    assert text[:2] == ["KẾ HOẠCH", "Phát động phong trào thi đua yêu nước giai đoạn 2020–2025"]
    assert text[2:5] == [
        "Căn cứ Kế hoạch số 204/KH-UBND ngày 12/07/2019 của Ủy ban nhân dân tỉnh Tiền Giang về tổ chức Hội nghị điển hình tiên tiến giai đoạn 2015–2020;",
        "Căn cứ Hướng dẫn số 140/HD-SNV ngày 22/08/2019 của Sở Nội vụ tỉnh Tiền Giang về hướng dẫn tổng kết phong trào thi đua giai đoạn 2015–2020;",
        "Sở Khoa học và Công nghệ ban hành Kế hoạch phát động phong trào thi đua “Thi đua yêu nước giai đoạn 2020–2025” như sau:",
    ]
    document = Document(io.BytesIO(content))
    assert all(run.italic for run in document.paragraphs[2].runs)
    headings = [line for line in text if line[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG THI ĐUA",
        "III. TIÊU CHÍ THI ĐUA",
        "IV. HÌNH THỨC KHEN THƯỞNG",
        "V. TỔ CHỨC THỰC HIỆN",
    ]
    tasks_start = text.index("Các nhiệm vụ trọng tâm:")
    assert text[tasks_start + 1 : tasks_start + 7] == [
        f"{number}. {task}{';' if number < 6 else '.'}" for number, task in enumerate(SEED_TASKS, start=1)
    ]
    assert table_texts(content)[1] == [
        ["STT", "Tiêu chí", "Điểm tối đa"],
        ["1", "Hoàn thành nhiệm vụ chuyên môn", "60"],
        ["2", "Cải cách hành chính", "40"],
        ["", "Tổng cộng", "100"],
    ]
    assert "Danh hiệu thi đua: Lao động tiên tiến; Tập thể lao động tiên tiến." in text
    assert "Hình thức khen thưởng: Giấy khen." in text
    assert (
        "2. Các đơn vị tổ chức phát động, đăng ký thi đua và gửi bản đăng ký về Sở Khoa học và Công nghệ trước ngày 30/09/2020."
        in text
    )


def test_letter_without_a_grid_renumbers_its_sections(officer, department):
    movement = make_movement(officer, department)

    text = paragraphs(launch_letter_docx(movement))

    assert [line for line in text if line.split(". ")[0] in ("I", "II", "III", "IV")] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG THI ĐUA",
        "III. HÌNH THỨC KHEN THƯỞNG",
        "IV. TỔ CHỨC THỰC HIỆN",
    ]


def test_letter_signature_without_a_signer_leaves_the_name_blank(movement):
    signature = table_texts(launch_letter_docx(movement))[-1][0]

    assert signature[1].split("\n")[0] == "GIÁM ĐỐC"
    assert signature[1].split("\n")[-1] == ""
    assert signature[0].split("\n") == [
        "Nơi nhận:",
        "- Văn phòng Sở;",
        "- Phòng Quản lý khoa học;",
        "- Lưu: VT, TĐKT;",
    ]


def test_letter_is_signed_by_the_director_holding_the_signer_role(movement, department):
    director = make_person("Dương Văn Bon", unit=department, position="Giám đốc")
    make_user("giamdoc", role="signer", unit=department, person=director)

    right = table_texts(launch_letter_docx(movement))[-1][0][1].split("\n")

    assert (right[0], right[-1]) == ("GIÁM ĐỐC", "Dương Văn Bon")


def test_letter_signed_by_a_deputy_says_kt(movement, department):
    deputy = make_person("Nguyễn Văn Phó", unit=department, position="Phó Giám đốc")
    make_user("phogiamdoc", role="signer", unit=department, person=deputy)

    right = table_texts(launch_letter_docx(movement))[-1][0][1].split("\n")

    assert (right[0], right[1], right[-1]) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Phó")


def test_letter_numbers_follow_the_launch_order_within_the_year(officer, department, movement):
    second = launch(
        officer,
        make_movement(officer, department, title="Chuyên đề chuyển đổi số"),
        on=datetime.date(2020, 9, 1),
    )
    draft = make_movement(officer, department, title="Dự thảo")

    assert table_texts(launch_letter_docx(second))[0][1][0] == "Số: 02/KH-SKHCN"
    assert table_texts(launch_letter_docx(movement))[0][1][0] == "Số: 01/KH-SKHCN"
    assert table_texts(launch_letter_docx(draft))[0][1][0].endswith("/KH-SKHCN")


def test_place_comes_from_the_province_in_the_tree(department):
    lone = make_unit("Sở Tài chính", kind="so_nganh", code="STC")

    assert place_of(department) == "Tiền Giang"
    assert place_of(lone) == "Sở Tài chính"


def test_subject_does_not_repeat_phong_trao_thi_dua():
    class Stub:
        title = "Phong trào thi đua “Chung tay xây dựng nông thôn mới”"

    assert subject_of(Stub()) == "Phát động phong trào thi đua “Chung tay xây dựng nông thôn mới”"


def test_legal_basis_line_names_a_law_by_its_title(db):
    document = make_document(
        None,
        number="06/2022/QH15",
        issued_on=datetime.date(2022, 6, 15),
        issuer="Quốc hội",
        title="Thi đua, khen thưởng",
    )

    assert legal_basis_line(document) == "Căn cứ Luật Thi đua, khen thưởng ngày 15/06/2022;"


# ---------------------------------------------------------------- stored versions


def test_versions_are_kept_with_their_hashes_when_the_content_changes(officer, movement):
    first = launch_letter_generate(actor=officer, movement=movement)
    movement.tasks.update(text="Nhiệm vụ đã sửa")
    second = launch_letter_generate(actor=officer, movement=movement)

    assert (first.version, second.version) == (1, 2)
    assert first.sha256 != second.sha256
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == first.sha256
    assert "1. Nhiệm vụ đã sửa;" not in paragraphs(stored)


def test_letter_page_lists_versions_to_participants(officer, staff_client, movement):
    launch_letter_generate(actor=officer, movement=movement)

    response = staff_client.get(reverse("movements:launch_letter", args=[movement.pk]))

    assert response.status_code == 200
    assert [letter.version for letter in response.context["letters"]] == [1]
    assert "Tạo phiên bản mới từ dữ liệu hiện tại" not in response.content.decode()


def test_letter_page_generates_a_new_version_for_a_manager(officer_client, movement):
    response = officer_client.post(reverse("movements:launch_letter", args=[movement.pk]))

    assert response.status_code == 302
    assert list(GeneratedDocument.objects.values_list("kind", "version")) == [("launch_letter", 1)]


def test_letter_page_forbids_generating_to_a_participant_and_hides_from_an_outsider(
    staff_client, outsider_client, movement
):
    url = reverse("movements:launch_letter", args=[movement.pk])

    assert staff_client.post(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert not GeneratedDocument.objects.exists()


def test_generated_file_is_served_only_through_its_own_movement(
    officer, staff_client, outsider_client, department, movement
):
    letter = launch_letter_generate(actor=officer, movement=movement)
    other = make_movement(officer, department, title="Khác")
    url = reverse("movements:generated_file", args=[movement.pk, letter.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="ke-hoach-phat-dong-{movement.pk}-v1.docx"'
    )
    assert paragraphs(b"".join(response.streaming_content))[0] == "KẾ HOẠCH"
    assert outsider_client.get(url).status_code == 404
    assert (
        staff_client.get(reverse("movements:generated_file", args=[other.pk, letter.pk])).status_code == 404
    )
