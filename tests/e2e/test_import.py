import io

import pytest
from openpyxl import Workbook

from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def _people_file(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã đơn vị", "Chức vụ"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_with_an_error_shows_row_and_column_and_saves_nothing(page, live_server, officer, office, login, screenshot, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(
        _people_file(
            [
                ["Nguyễn Văn An", "Nam", "12/03/1985", "082085000001", "SKHCN_VP", "Chuyên viên"],
                ["Trần Thị Bích", "Nữ", "31/02/1990", "082190000002", "SKHCN_VP", "Kế toán"],
            ]
        )
    )
    login("vanphong")
    page.goto(f"{live_server.url}/nhap-excel/ca-nhan/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Nhập dữ liệu").click()

    errors = page.locator("#import-errors")
    errors.wait_for()
    assert page.get_by_text("Không có dữ liệu nào được lưu.").is_visible()
    first_row = errors.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first_row[0] == "3" and first_row[1].startswith("C")
    assert "31/02/1990" in first_row[2]
    screenshot("import-error")
    assert Person.objects.count() == 0

    path.write_bytes(_people_file([["Nguyễn Văn An", "Nam", "12/03/1985", "082085000001", "SKHCN_VP", "Chuyên viên"]]))
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Nhập dữ liệu").click()
    page.wait_for_url(f"{live_server.url}/nhap-excel/*/")
    assert Person.objects.get().full_name == "Nguyễn Văn An"
