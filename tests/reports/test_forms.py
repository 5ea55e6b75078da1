"""The standard forms: versioned by legal basis, filled from the hand-counted register, and their XLSX
opened with openpyxl and checked cell by cell (headings, merged cells, totals); the PDFs rendered."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import AFTER_MERGER
from thidua.reports import pdf, spreadsheets, standard_forms
from thidua.reports.scope import resolve_scope

pytestmark = pytest.mark.django_db


def _rows(filled) -> dict[str, list]:
    return {line.row.code: line.cells for line in filled.rows if line.row.code}


def test_templates_are_chosen_by_the_legal_basis_in_force_on_30_november():
    assert sorted(t.slug for t in standard_forms.templates_in_force(2020)) == ["0701", "0702", "0703"]
    assert sorted(t.slug for t in standard_forms.templates_in_force(2023)) == ["0601", "0602", "0603", "0604", "0605"]
    assert sorted(t.slug for t in standard_forms.templates_in_force(2022)) == ["0701", "0702", "0703"]


def test_every_template_has_a_consistent_header():
    for template in standard_forms.templates():
        height, cells = template.header()
        width = len(template.label_columns) + len(template.leaves)
        covered = set()
        for cell in cells:
            for row in range(cell.row, cell.row + cell.row_span):
                for column in range(cell.column, cell.column + cell.column_span):
                    assert (row, column) not in covered, (template.slug, cell.text)
                    covered.add((row, column))
        # Every header position is covered exactly once: the merged cells tile the header.
        assert covered == {(row, column) for row in range(height) for column in range(width)}, template.slug


def test_form_0602_counts_state_level_awards_of_the_statistical_year(register, department):
    filled = standard_forms.fill_form(standard_forms.template_by_slug("0602"), resolve_scope(department, AFTER_MERGER), 2022)
    leaves = [leaf.index for leaf in filled.template.leaves]
    rows = _rows(filled)

    def cell(code, index):
        return rows[code][leaves.index(index)]

    # Bằng khen of the Prime Minister: An (individual, a manager on the decision date) and the office.
    assert cell("01", "1") == 2 and cell("01", "7a") == 1 and cell("01", "7b") == 1
    assert cell("01", "2a") == 0 and cell("01", "9b") == 0
    assert rows["02"] == [None] * len(leaves)  # left blank: not a ministry
    assert cell("03", "1") == 2
    assert (cell("06", "1"), cell("07", "1"), cell("08", "1"), cell("09", "1")) == (1, 0, 0, 1)
    assert [cell(code, "1") for code in ("10", "11", "12", "13", "14")] == [0, 0, 0, 1, 0]
    assert cell("15", "1") == 2 and cell("16", "1") == 0
    assert rows["17"] == [None] * len(leaves)  # sudden awards: not told apart by the register yet


def test_form_0603_counts_provincial_awards(register, department):
    filled = standard_forms.fill_form(standard_forms.template_by_slug("0603"), resolve_scope(department, AFTER_MERGER), 2022)
    rows = _rows(filled)

    # Columns: 1 total, 2 Bằng khen, 3 CSTĐ cấp tỉnh, 4 Cờ thi đua, 5 Huy hiệu.
    assert rows["01"] == [2, 1, 1, 0, 0]
    assert rows["05"] == [2, 1, 1, 0, 0]
    assert rows["09"] == [1, 0, 1, 0, 0]  # An, a manager: "lãnh đạo khác từ phó phòng trở lên"
    assert rows["10"] == [1, 1, 0, 0, 0]  # Bình, a direct worker
    assert rows["11"] == [2, 1, 1, 0, 0]  # regular


def test_the_revoked_award_is_not_in_any_form(register, department):
    # Chí's revoked CSTĐCS is base-level: no form counts it; the provincial form still says 2.
    filled = standard_forms.fill_form(standard_forms.template_by_slug("0603"), resolve_scope(department, AFTER_MERGER), 2022)
    assert _rows(filled)["01"][0] == 2


def test_form_0602_workbook_has_the_official_headings_and_totals(register, department):
    filled = standard_forms.fill_form(standard_forms.template_by_slug("0602"), resolve_scope(department, AFTER_MERGER), 2022)

    sheet = load_workbook(io.BytesIO(spreadsheets.form_workbook(filled)))["0602"]

    assert sheet["A1"].value == "Biểu số: 0602.N/BNV-TĐKT"
    assert sheet["A2"].value == "Ban hành theo Thông tư số 2/2023/TT-BNV ngày 23/3/2023"
    assert sheet["A3"].value == "Ngày nhận báo cáo: Ngày 15 tháng 12 năm báo cáo"
    assert sheet["I1"].value == "Đơn vị báo cáo: Sở Khoa học và Công nghệ"
    assert sheet["I2"].value == "Đơn vị nhận báo cáo: Ủy ban nhân dân tỉnh Tiền Giang"
    assert sheet["A5"].value == "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"
    assert sheet["A6"].value == "Thời điểm báo cáo: từ ngày 01/12/2021 đến ngày 30/11/2022"
    # The header: A–D span its three rows; "Chia ra" spans every kind; each kind its Tập thể/Cá nhân pair.
    assert (sheet["B9"].value, sheet["C9"].value, sheet["D9"].value, sheet["E9"].value) == ("Mã số", "Đơn vị tính", "Tổng số", "Chia ra")
    assert sheet["E10"].value == "Các loại huân chương, huy chương"
    assert (sheet["E11"].value, sheet["F11"].value) == ("Tập thể", "Cá nhân")
    assert sheet["L10"].value == "Bằng khen của Thủ tướng Chính phủ"
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A9:A11", "B9:B11", "D9:D11", "E9:P9", "E10:F10", "G10:G10"} - {"G10:G10"} <= merged
    assert "G11:G11" not in merged and "G11" not in merged
    assert [sheet.cell(row=12, column=c).value for c in range(1, 17)] == [
        "A", "B", "C", "1", "2a", "2b", "3", "4", "5a", "5b", "6", "7a", "7b", "8", "9a", "9b"
    ]
    # Row 01 "Tổng số", then its figures: total 2, of which 7a (collective) 1 and 7b (individual) 1.
    assert (sheet["A13"].value, sheet["B13"].value, sheet["D13"].value, sheet["L13"].value, sheet["M13"].value) == ("Tổng số", "01", 2, 1, 1)
    assert sheet["E13"].value == 0
    assert sheet["A14"].value.startswith("1. Chia theo đơn vị ban hành tờ trình") and sheet["D14"].value is None
    labels = {sheet.cell(row=r, column=2).value: r for r in range(13, sheet.max_row + 1) if sheet.cell(row=r, column=2).value}
    assert sheet.cell(row=labels["09"], column=3).value == "Người"
    assert sheet.cell(row=labels["09"], column=4).value == 1
    assert sheet.cell(row=labels["13"], column=13).value == 1
    assert sheet.cell(row=labels["02"], column=4).value is None
    assert any(sheet.cell(row=r, column=1).value == "NGƯỜI LẬP BIỂU" for r in range(1, sheet.max_row + 1))
    notes = load_workbook(io.BytesIO(spreadsheets.form_workbook(filled)))["Ghi chú"]
    assert notes["B2"].value.startswith("Thông tư số 02/2023/TT-BNV")
    assert notes["B6"].value == "Chưa xác thực"


def test_five_year_table_and_its_workbook(register, department):
    table = standard_forms.five_year_table(resolve_scope(department, AFTER_MERGER), 2020, 2021)
    by_code = {row.code: row for row in table.rows if row.code}
    totals = [row for row in table.rows if row.style in ("subtotal", "total")]

    assert by_code["LDTT"].by_year == [1, 3] and by_code["LDTT"].individual == 4
    assert by_code["BANG_KHEN_TTG"].collective == 1 and by_code["BANG_KHEN_TTG"].individual == 1
    assert [(row.by_year, row.total) for row in totals] == [([1, 7], 8), ([0, 4], 4), ([1, 11], 12)]
    assert (totals[0].collective, totals[0].individual, totals[0].household) == (1, 6, 1)

    sheet = load_workbook(io.BytesIO(spreadsheets.five_year_workbook(table))).active
    assert sheet["A1"].value == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert sheet["A3"].value == "BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG GIAI ĐOẠN 2020–2021"
    assert [sheet.cell(row=6, column=c).value for c in range(1, 9)] == [
        "STT", "Danh hiệu, hình thức khen thưởng", "2020", "2021", "Tổng cộng", "Trong đó", None, None
    ]
    assert [sheet.cell(row=7, column=c).value for c in range(6, 9)] == ["Tập thể", "Cá nhân", "Hộ gia đình"]
    assert "F6:H6" in {str(cells) for cells in sheet.merged_cells.ranges}
    last = next(r for r in range(8, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "Tổng số lượt khen thưởng")
    assert [sheet.cell(row=last, column=c).value for c in range(3, 9)] == [1, 11, 12, 2, 9, 1]


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_form_and_five_year_pdfs_carry_the_vietnamese_text(register, department, tmp_path):
    scope = resolve_scope(department, AFTER_MERGER)
    form = pdf.form_pdf(standard_forms.fill_form(standard_forms.template_by_slug("0603"), scope, 2022))
    table = pdf.five_year_pdf(standard_forms.five_year_table(scope, 2020, 2021))

    assert form.startswith(b"%PDF")
    text = _pdf_text(form, tmp_path)
    assert "Biểu số: 0603.N/BNV-TĐKT" in text
    assert "Chiến sĩ thi đua" in text and "Bằng khen" in text  # header words (wrapped in their cells)
    assert "Thời điểm báo cáo: từ ngày 01/12/2021 đến ngày 30/11/2022" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ KHEN THƯỞNG GIAI ĐOẠN 2020–2021" in _pdf_text(table, tmp_path)


def test_form_0601_counts_movements_launched_in_the_statistical_year(department, office, officer):
    import datetime

    from thidua.movements.services import movement_create, movement_transition

    movement = movement_create(
        actor=officer, title="Thi đua năm 2022", kind="thuong_xuyen", launching_unit=department,
        start=datetime.date(2022, 1, 1), end=datetime.date(2022, 12, 31), purpose="Thi đua hoàn thành nhiệm vụ.",
        tasks=["Cải cách hành chính"],
    )
    movement_transition(actor=officer, movement=movement, to="launched", on=datetime.date(2022, 1, 5))
    movement_create(  # a draft is not counted
        actor=officer, title="Thi đua chuyên đề", kind="chuyen_de", launching_unit=office,
        start=datetime.date(2022, 3, 1), end=datetime.date(2022, 6, 30), purpose="Chuyên đề.",
    )

    filled = standard_forms.fill_form(standard_forms.template_by_slug("0601"), resolve_scope(department, AFTER_MERGER), 2022)
    rows = _rows(filled)

    # Columns: 1 total, 2 central, 3 province, 4 agencies and units.
    assert rows["01"] == [1, 0, 0, 1]
    assert rows["05"] == [1, 0, 0, 1]
    assert rows["07"] == [1, 0, 0, 1]  # one year
    assert rows["12"] == [1, 0, 0, 1]  # regular, yearly
