"""The nominee list import: headings in any order, matching by CCCD or folded name, doubtful rows that a
human confirms or skips, the checks of nominee_add on every row, all-or-nothing apply, and the pages."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import make_person, make_user
from thidua.common.imports import ImportFailed, batch_note
from thidua.common.models import AuditAction, AuditEntry, ImportBatch, ImportKind
from thidua.nominations import imports, services
from thidua.nominations.enums import NominationStatus
from thidua.nominations.models import Nomination, Nominee, NomineeImport, NomineeImportStatus
from thidua.rules.models import AwardType

# Shuffled, with the words units write, under a title line: the award first, the name third.
HEADINGS = ["Đề nghị", "Số định danh", "Họ tên", "STT", "Năm sinh", "Phòng", "Thành tích", "Tên tập thể"]
TITLE = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025"


def _xlsx(rows: list[list], *, headings: list[str] = HEADINGS, title: str | None = TITLE) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    if title:
        sheet.append([title])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(award, *, name=None, cccd=None, born=None, unit=None, summary=None, collective=None, number=None):
    """A data row in HEADINGS order."""
    return [award, cccd, name, number, born, unit, summary, collective]


@pytest.fixture
def round_(officer, department):
    return services.round_create(
        actor=officer,
        awarding_unit=department,
        title="Xét khen thưởng năm 2025",
        period_start=2025,
        period_end=2025,
        opens_on=datetime.date(2025, 12, 1),
        submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT", "CSTDCS", "GIAY_KHEN", "TTLDTT"]),
    )


@pytest.fixture
def dossier(manager, office, round_):
    return services.nomination_create(actor=manager, round=round_, proposing_unit=office)


@pytest.fixture
def an(office):
    return make_person("Nguyễn Văn An", unit=office, birth_date=datetime.date(1980, 5, 1))


@pytest.fixture
def binh(office):
    return make_person(
        "Trần Thị Bình", unit=office, birth_date=datetime.date(1990, 2, 3), cccd="082190000456"
    )


@pytest.fixture
def em(office):
    return make_person("Hoàng Thị Em", unit=office, birth_date=datetime.date(1985, 1, 1), cccd="082185000789")


def _start(actor, dossier, content: bytes, name: str = "danh-sach.xlsx") -> NomineeImport:
    return imports.nominee_import_start(actor=actor, nomination=dossier, uploaded_file=content, filename=name)


def _preview(actor, nominee_import):
    nominee_import.refresh_from_db()
    return imports.build_preview(actor=actor, nominee_import=nominee_import)


def _by_row(preview) -> dict:
    return {row.row: row for row in preview.rows}


# ---------------------------------------------------------------- detection and matching


def test_headings_in_shuffled_order_are_detected_under_a_title(manager, dossier, an):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    assert nominee_import.mapping == {
        "award": "A",
        "cccd": "B",
        "full_name": "C",
        "birth_date": "E",
        "unit": "F",
        "summary": "G",
        "collective_name": "H",
    }
    assert nominee_import.status == NomineeImportStatus.PENDING
    assert nominee_import.file.read().startswith(b"PK")
    assert Nominee.objects.count() == 0


def test_heading_that_only_begins_with_a_synonym_is_detected(manager, dossier):
    content = _xlsx(
        [["Nguyễn Văn An", "Giấy khen"]],
        headings=["Họ và tên người được đề nghị khen", "Danh hiệu đề nghị năm 2025"],
    )
    nominee_import = _start(manager, dossier, content)
    assert nominee_import.mapping == {"full_name": "A", "award": "B"}


def test_cccd_and_folded_name_rows_are_sure(manager, dossier, an, binh, office):
    content = _xlsx(
        [
            _row(
                "Lao động tiên tiến",
                name="NGUYEN VAN AN",
                born="01/05/1980",
                unit="Văn phòng Sở",
                summary="Hoàn thành tốt nhiệm vụ.",
            ),
            _row("LĐTT", name="Trần Thị Bình", cccd="082190000456"),
            _row("TTLĐTT", collective="Văn phòng Sở"),
        ]
    )
    preview = _preview(manager, _start(manager, dossier, content))
    rows = _by_row(preview)
    assert preview.errors == []
    assert [(rows[n].match, rows[n].person, rows[n].unit) for n in (3, 4, 5)] == [
        ("sure", an, None),
        ("sure", binh, None),
        ("sure", None, office),
    ]
    assert [rows[n].award.code for n in (3, 4, 5)] == ["LDTT", "LDTT", "TTLDTT"]
    assert preview.ready


def test_name_match_needs_birth_date_and_unit_to_be_sure(manager, dossier, em):
    content = _xlsx(
        [
            _row("GK", name="Hoàng Thị Em", born="02/02/1986"),  # name + unit, birth date differs
            _row("GK", name="Hoang Thi Em"),  # no birth date
        ]
    )
    rows = _by_row(_preview(manager, _start(manager, dossier, content)))
    assert (rows[3].match, rows[3].reason) == ("doubtful", "Trùng họ tên và đơn vị nhưng khác ngày sinh.")
    assert (rows[4].match, rows[4].reason) == (
        "doubtful",
        "Tệp không ghi ngày sinh: chỉ đối chiếu được theo họ tên.",
    )
    assert [candidate.value for candidate in rows[3].candidates] == [str(em.pk)]
    # Only the last four digits of a candidate's CCCD are shown.
    assert rows[3].candidates[0].cccd == "••••••••0789"


def test_unit_cell_naming_a_unit_of_the_subtree_must_fit(officer, round_, department, office2, an):
    # The department's dossier: An works in its Văn phòng, not in its Phòng Quản lý khoa học.
    department_dossier = services.nomination_create(actor=officer, round=round_, proposing_unit=department)
    content = _xlsx(
        [
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980", unit="SKHCN_VP"),
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980", unit="Phòng Quản lý khoa học"),
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980", unit="Phòng chưa có trong danh sách"),
        ]
    )
    rows = _by_row(_preview(officer, _start(officer, department_dossier, content)))
    assert [rows[n].match for n in (3, 4, 5)] == ["sure", "doubtful", "sure"]
    assert rows[4].reason == "Trùng họ tên và ngày sinh nhưng khác đơn vị."


def test_cccd_not_on_file_matches_a_person_recorded_without_one(manager, dossier, an, em):
    rows = _by_row(
        _preview(
            manager,
            _start(
                manager,
                dossier,
                _xlsx(
                    [
                        _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980", cccd="082080000999"),
                        # Em's record carries another CCCD: the row names someone else, or the number is mistyped.
                        _row("LĐTT", name="Hoàng Thị Em", born="01/01/1985", cccd="082185000000"),
                    ]
                ),
            ),
        )
    )
    assert (rows[3].match, rows[3].person) == ("sure", an)
    assert (rows[4].match, rows[4].reason) == (
        "doubtful",
        "Trùng họ tên, ngày sinh và đơn vị nhưng hồ sơ cá nhân có Số CCCD khác với trong tệp.",
    )


def test_year_of_birth_alone_matches(manager, dossier, an):
    rows = _by_row(
        _preview(manager, _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An", born=1980)])))
    )
    assert (rows[3].match, rows[3].person) == ("sure", an)


def test_cccd_of_someone_with_another_name_is_doubtful(manager, dossier, binh):
    rows = _by_row(
        _preview(
            manager,
            _start(manager, dossier, _xlsx([_row("LĐTT", name="Trần Thị Bích", cccd="082190000456")])),
        )
    )
    assert rows[3].match == "doubtful"
    assert rows[3].reason == "Số CCCD trong tệp là của Trần Thị Bình, khác họ tên ghi trong tệp."
    assert [candidate.value for candidate in rows[3].candidates] == [str(binh.pk)]


def test_name_and_birth_date_in_another_unit_is_doubtful(officer, dossier, office2):
    # The officer sees the whole department: the only "Lê Văn Cường" born that day works in another office.
    other = make_person("Lê Văn Cường", unit=office2, birth_date=datetime.date(1979, 9, 9))
    rows = _by_row(
        _preview(
            officer, _start(officer, dossier, _xlsx([_row("LĐTT", name="Lê Văn Cường", born="09/09/1979")]))
        )
    )
    assert (rows[3].match, rows[3].reason) == ("doubtful", "Trùng họ tên và ngày sinh nhưng khác đơn vị.")
    assert [candidate.value for candidate in rows[3].candidates] == [str(other.pk)]


def test_several_people_with_same_name_birth_date_and_unit_are_doubtful(manager, dossier, office):
    first = make_person("Phạm Văn Dũng", unit=office, birth_date=datetime.date(1982, 3, 3))
    second = make_person("Phạm Văn Dũng", unit=office, birth_date=datetime.date(1982, 3, 3))
    rows = _by_row(
        _preview(
            manager, _start(manager, dossier, _xlsx([_row("LĐTT", name="Phạm Văn Dũng", born="03/03/1982")]))
        )
    )
    assert rows[3].match == "doubtful"
    assert {candidate.value for candidate in rows[3].candidates} == {str(first.pk), str(second.pk)}


def test_unknown_person_is_an_error_pointing_to_the_people_import(manager, dossier):
    preview = _preview(
        manager, _start(manager, dossier, _xlsx([_row("LĐTT", name="Đỗ Văn Không", born="01/01/1990")]))
    )
    assert preview.rows[0].match == "none"
    [error] = preview.errors
    assert (error.row, error.column) == (3, "C")
    assert "Không tìm thấy “Đỗ Văn Không” (sinh 01/01/1990)" in error.message
    assert "Nhập danh sách cá nhân" in error.message
    assert not preview.ready


def test_people_outside_the_users_sight_are_not_candidates(manager, dossier, other_department):
    make_person(
        "Vũ Thị Giang", unit=other_department, birth_date=datetime.date(1988, 8, 8), cccd="082188000111"
    )
    preview = _preview(
        manager,
        _start(
            manager,
            dossier,
            _xlsx(
                [
                    _row("LĐTT", name="Vũ Thị Giang", born="08/08/1988"),
                    _row("LĐTT", name="Vũ Thị Giang", cccd="082188000111"),
                ]
            ),
        ),
    )
    assert [row.match for row in preview.rows] == ["none", "none"]
    assert [(error.row, error.column) for error in preview.errors] == [(3, "C"), (4, "B")]
    assert "ngoài phạm vi bạn được xem" in preview.errors[1].message
    assert "082188000111" not in preview.errors[1].message


def test_trailing_lines_without_award_are_ignored(manager, dossier, an):
    content = _xlsx(
        [
            [None, None, None, "(1)", "(2)", None, None, None],  # column numbers under the headings
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980", number=1),
            _row(None, name="Tổng cộng: 01 người"),
            _row(None, name="THỦ TRƯỞNG ĐƠN VỊ"),
        ]
    )
    preview = _preview(manager, _start(manager, dossier, content))
    assert [row.row for row in preview.rows] == [4]
    assert preview.ignored_rows == [5, 6]
    assert preview.ready


def test_award_aliases(round_):
    lookup = imports.AwardLookup(round_.accepted_awards.all(), AwardType.objects.all())
    resolved = {
        text: lookup.resolve(text)[0].code
        for text in (
            "Giấy khen",
            "GK",
            "LĐTT",
            "ldtt",
            "Lao động tiên tiến",
            "Danh hiệu Lao động tiên tiến",
            "LAO DONG TIEN TIEN",
            "Chiến sĩ thi đua cơ sở",
            "CSTĐCS",
            "GIAY_KHEN",
            "Tập thể lao động tiên tiến",
        )
    }
    assert resolved == {
        "Giấy khen": "GIAY_KHEN",
        "GK": "GIAY_KHEN",
        "LĐTT": "LDTT",
        "ldtt": "LDTT",
        "Lao động tiên tiến": "LDTT",
        "Danh hiệu Lao động tiên tiến": "LDTT",
        "LAO DONG TIEN TIEN": "LDTT",
        "Chiến sĩ thi đua cơ sở": "CSTDCS",
        "CSTĐCS": "CSTDCS",
        "GIAY_KHEN": "GIAY_KHEN",
        "Tập thể lao động tiên tiến": "TTLDTT",
    }


# ---------------------------------------------------------------- confirming doubtful rows and applying


def test_doubtful_row_must_be_confirmed_before_apply(manager, dossier, an, em):
    content = _xlsx(
        [
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980"),
            _row("Giấy khen", name="Hoàng Thị Em", born="1986", summary="Có sáng kiến."),
        ]
    )
    nominee_import = _start(manager, dossier, content)
    assert _preview(manager, nominee_import).unconfirmed[0].row == 4

    with pytest.raises(ImportFailed) as refused:
        imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    assert [(error.row, error.column) for error in refused.value.errors] == [(4, "C")]
    assert "Chưa xác nhận “Hoàng Thị Em”" in refused.value.errors[0].message
    assert Nominee.objects.count() == 0

    imports.nominee_import_confirm(actor=manager, nominee_import=nominee_import, choices={"4": str(em.pk)})
    nominee_import.refresh_from_db()
    assert nominee_import.confirmations == {"4": em.pk}
    batch = imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)

    nominees = list(
        dossier.nominees.order_by("id").values_list("person__given_name", "award__code", "summary")
    )
    assert nominees == [("An", "LDTT", ""), ("Em", "GIAY_KHEN", "Có sáng kiến.")]
    nominee_import.refresh_from_db()
    assert (nominee_import.status, nominee_import.batch) == (NomineeImportStatus.APPLIED, batch)
    assert (batch.kind, batch.created_count, batch.row_count, batch.unit_path) == (
        ImportKind.NOMINEES,
        2,
        2,
        dossier.proposing_unit.path,
    )
    assert batch.file.read().startswith(b"PK")
    audited = AuditEntry.objects.filter(
        action=AuditAction.IMPORT,
        content_type=ContentType.objects.get_for_model(Nominee),
        note=batch_note(batch),
    )
    assert sorted(int(pk) for pk in audited.values_list("object_id", flat=True)) == sorted(
        dossier.nominees.values_list("pk", flat=True)
    )
    batch_type = ContentType.objects.get_for_model(ImportBatch)
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.IMPORT, content_type=batch_type, object_id=str(batch.pk)
        ).count()
        == 1
    )
    assert list(imports.imported_nominees(nominee_import)) == list(dossier.nominees.order_by("id"))


def test_skip_leaves_the_row_out(manager, dossier, an, em):
    content = _xlsx(
        [_row("LĐTT", name="Nguyễn Văn An", born="01/05/1980"), _row("Bằng khen tỉnh", name="Hoàng Thị Em")]
    )
    nominee_import = _start(manager, dossier, content)
    # The skipped row's own problems (an award the round does not accept) no longer block.
    assert [(error.row, error.column) for error in _preview(manager, nominee_import).errors] == [(4, "A")]
    imports.nominee_import_confirm(actor=manager, nominee_import=nominee_import, choices={"4": "skip"})
    preview = _preview(manager, nominee_import)
    assert (preview.errors, preview.skipped_count, preview.ready) == ([], 1, True)
    batch = imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    assert list(dossier.nominees.values_list("person", flat=True)) == [an.pk]
    assert (batch.created_count, batch.unchanged_count) == (1, 1)


def test_confirm_refuses_a_person_who_is_not_a_candidate(manager, dossier, an, em):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Hoàng Thị Em")]))
    with pytest.raises(ValidationError):
        imports.nominee_import_confirm(
            actor=manager, nominee_import=nominee_import, choices={"3": str(an.pk)}
        )
    with pytest.raises(ValidationError):
        imports.nominee_import_confirm(actor=manager, nominee_import=nominee_import, choices={"7": "skip"})
    nominee_import.refresh_from_db()
    assert nominee_import.confirmations == {}


def test_wrong_award_is_refused_with_row_and_column_and_nothing_saved(manager, dossier, an, binh):
    content = _xlsx(
        [
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980"),
            _row("Bằng khen tỉnh", name="Trần Thị Bình", cccd="082190000456"),
            _row("Huy chương vàng", name="Nguyễn Văn An", born="01/05/1980"),
            _row("LĐTT", collective="Văn phòng Sở"),
        ]
    )
    nominee_import = _start(manager, dossier, content)
    with pytest.raises(ImportFailed) as refused:
        imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    errors = [(error.row, error.column, error.message) for error in refused.value.errors]
    accepted = "Lao động tiên tiến (LĐTT); Tập thể lao động tiên tiến (TTLĐTT); Giấy khen; Chiến sĩ thi đua cơ sở (CSTĐCS)"
    assert errors == [
        (
            4,
            "A",
            f"Đợt xét không nhận đề nghị Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh. Đợt xét nhận: {accepted}.",
        ),
        (5, "A", f"Không nhận ra danh hiệu, hình thức “Huy chương vàng”. Đợt xét nhận: {accepted}."),
        (6, "A", "Lao động tiên tiến không dành cho tập thể."),
    ]
    assert Nominee.objects.count() == 0
    assert not ImportBatch.objects.exists()
    nominee_import.refresh_from_db()
    assert nominee_import.status == NomineeImportStatus.PENDING


def test_duplicates_in_the_round_in_the_dossier_and_in_the_file_are_refused(
    manager, officer, dossier, round_, department, an, binh, em
):
    ldtt = AwardType.objects.get(code="LDTT")
    services.nominee_add(actor=manager, nomination=dossier, award=ldtt, person=an)
    # The department's own dossier in the same round already proposes Bình.
    other = services.nomination_create(actor=officer, round=round_, proposing_unit=department)
    services.nominee_add(actor=officer, nomination=other, award=ldtt, person=binh)
    content = _xlsx(
        [
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980"),
            _row("LĐTT", name="Trần Thị Bình", cccd="082190000456"),
            _row("GK", name="Hoàng Thị Em", cccd="082185000789"),
            _row("Giấy khen", name="HOANG THI EM", cccd="082185000789"),
        ]
    )
    with pytest.raises(ImportFailed) as refused:
        imports.nominee_import_apply(actor=manager, nominee_import=_start(manager, dossier, content))
    errors = [(error.row, error.column, error.message) for error in refused.value.errors]
    assert errors == [
        (3, "C", "Nguyễn Văn An đã có trong hồ sơ này với đề nghị Lao động tiên tiến."),
        (
            4,
            "A",
            "Trần Thị Bình đã được đề nghị Lao động tiên tiến trong đợt này (hồ sơ của Sở Khoa học và Công nghệ).",
        ),
        (6, "C", "Trùng với dòng 5: cùng Hoàng Thị Em, cùng đề nghị Giấy khen."),
    ]
    assert list(dossier.nominees.values_list("person", flat=True)) == [an.pk]


def test_duplicate_in_a_withdrawn_dossier_does_not_count(manager, officer, dossier, round_, department, an):
    other = services.nomination_create(actor=officer, round=round_, proposing_unit=department)
    services.nominee_add(actor=officer, nomination=other, award=AwardType.objects.get(code="LDTT"), person=an)
    services.nomination_transition(actor=officer, nomination=other, to=NominationStatus.WITHDRAWN)
    preview = _preview(
        manager, _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An", born="01/05/1980")]))
    )
    assert preview.errors == []


def test_person_outside_the_proposing_unit_is_refused(officer, dossier, office2):
    make_person("Lý Văn Hùng", unit=office2, birth_date=datetime.date(1975, 7, 7), cccd="082175000222")
    preview = _preview(
        officer, _start(officer, dossier, _xlsx([_row("LĐTT", name="Lý Văn Hùng", cccd="082175000222")]))
    )
    assert preview.rows[0].match == "sure"
    assert [(error.row, error.column, error.message) for error in preview.errors] == [
        (
            3,
            "C",
            "Lý Văn Hùng (Phòng Quản lý khoa học) không thuộc Văn phòng Sở: chỉ đề nghị cá nhân, tập thể thuộc đơn vị đề nghị.",
        ),
    ]


def test_apply_is_all_or_nothing_when_someone_adds_the_same_person_meanwhile(manager, dossier, an, binh):
    content = _xlsx(
        [
            _row("LĐTT", name="Nguyễn Văn An", born="01/05/1980"),
            _row("LĐTT", name="Trần Thị Bình", cccd="082190000456"),
        ]
    )
    nominee_import = _start(manager, dossier, content)
    assert _preview(manager, nominee_import).ready
    services.nominee_add(
        actor=manager, nomination=dossier, award=AwardType.objects.get(code="LDTT"), person=binh
    )

    with pytest.raises(ImportFailed) as refused:
        imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    assert [(error.row, error.column) for error in refused.value.errors] == [(4, "C")]
    assert list(dossier.nominees.values_list("person", flat=True)) == [binh.pk]  # An was not added either
    assert not ImportBatch.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()
    nominee_import.refresh_from_db()
    assert nominee_import.status == NomineeImportStatus.PENDING


def test_mapping_correction_changes_the_result(manager, dossier, an):
    # "Danh hiệu năm trước" is read as the award column; the proposal is in "Đề xuất", which nothing recognises.
    content = _xlsx(
        [["Nguyễn Văn An", "01/05/1980", "Lao động tiên tiến", "Giấy khen"]],
        headings=["Họ và tên", "Ngày sinh", "Danh hiệu năm trước", "Đề xuất"],
        title=None,
    )
    nominee_import = _start(manager, dossier, content)
    assert nominee_import.mapping == {"full_name": "A", "birth_date": "B", "award": "C"}
    assert _preview(manager, nominee_import).rows[0].award.code == "LDTT"

    imports.nominee_import_map(
        actor=manager,
        nominee_import=nominee_import,
        mapping={"full_name": "A", "birth_date": "B", "award": "D"},
    )
    assert _preview(manager, nominee_import).rows[0].award.code == "GIAY_KHEN"
    imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    assert list(dossier.nominees.values_list("award__code", flat=True)) == ["GIAY_KHEN"]


def test_mapping_correction_clears_earlier_choices(manager, dossier, em):
    content = _xlsx(
        [["Hoàng Thị Em", "LĐTT", "Giấy khen"]], headings=["Họ và tên", "Danh hiệu", "Đề xuất"], title=None
    )
    nominee_import = _start(manager, dossier, content)
    imports.nominee_import_confirm(actor=manager, nominee_import=nominee_import, choices={"2": str(em.pk)})
    imports.nominee_import_map(
        actor=manager, nominee_import=nominee_import, mapping={"full_name": "A", "award": "C"}
    )
    nominee_import.refresh_from_db()
    assert nominee_import.confirmations == {}


def test_mapping_needs_name_and_award_and_distinct_columns(manager, dossier):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    with pytest.raises(ValidationError) as refused:
        imports.nominee_import_map(actor=manager, nominee_import=nominee_import, mapping={"cccd": "B"})
    assert set(refused.value.message_dict) == {"full_name", "award"}
    with pytest.raises(ValidationError) as refused:
        imports.nominee_import_map(
            actor=manager, nominee_import=nominee_import, mapping={"full_name": "C", "award": "C"}
        )
    assert refused.value.message_dict == {"award": ["Cột C đã được chọn cho “Họ và tên”."]}
    with pytest.raises(ValidationError):
        imports.nominee_import_map(
            actor=manager, nominee_import=nominee_import, mapping={"full_name": "C", "award": "Z"}
        )


def test_unreadable_file_is_refused_and_nothing_kept(manager, dossier):
    with pytest.raises(ImportFailed) as refused:
        _start(manager, dossier, b"not a workbook", name="ds.xlsx")
    assert "Không đọc được tệp" in refused.value.errors[0].message
    with pytest.raises(ImportFailed):
        _start(manager, dossier, _xlsx([_row("LĐTT")]), name="ds.xls")
    assert not NomineeImport.objects.exists()


def test_cancel(manager, dossier, an):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An", born="01/05/1980")]))
    imports.nominee_import_cancel(actor=manager, nominee_import=nominee_import)
    nominee_import.refresh_from_db()
    assert nominee_import.status == NomineeImportStatus.CANCELLED
    with pytest.raises(ValidationError):
        imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    assert Nominee.objects.count() == 0


# ---------------------------------------------------------------- who and when


def test_other_units_cannot_import(outsider, dossier, office2):
    with pytest.raises(PermissionDenied):
        _start(outsider, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    with pytest.raises(PermissionDenied):
        _start(
            make_user("qlkh", role="unit_manager", unit=office2),
            dossier,
            _xlsx([_row("LĐTT", name="Nguyễn Văn An")]),
        )


def test_dossier_not_editable_refuses(manager, dossier, an):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An", born="01/05/1980")]))
    # Arrange: the dossier has been sent meanwhile.
    Nomination.objects.filter(pk=dossier.pk).update(status=NominationStatus.SUBMITTED)
    dossier.refresh_from_db()
    with pytest.raises(ValidationError):
        imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    with pytest.raises(ValidationError):
        _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    assert Nominee.objects.count() == 0
    assert NomineeImport.objects.count() == 1


# ---------------------------------------------------------------- the pages


def _upload(client, dossier, content: bytes, name: str = "danh-sach.xlsx"):
    return client.post(
        reverse("nominations:import_upload", args=[dossier.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def test_dossier_page_links_to_the_import_while_editable(manager_client, dossier):
    url = reverse("nominations:import_upload", args=[dossier.pk])
    assert url in manager_client.get(reverse("nominations:nomination_detail", args=[dossier.pk])).text
    Nomination.objects.filter(pk=dossier.pk).update(status=NominationStatus.SUBMITTED)
    assert url not in manager_client.get(reverse("nominations:nomination_detail", args=[dossier.pk])).text


def test_full_flow_through_the_pages(manager_client, dossier, an, em):
    content = _xlsx(
        [
            _row("LĐTT", name="NGUYEN VAN AN", born="01/05/1980", unit="VP"),
            _row("GK", name="Hoàng Thị Em", born="1986"),
        ]
    )
    page = manager_client.get(reverse("nominations:import_upload", args=[dossier.pk]))
    assert page.status_code == 200
    assert "Họ và tên" in page.text and "Chưa nhập danh sách nào vào hồ sơ này." in page.text

    response = _upload(manager_client, dossier, content)
    nominee_import = NomineeImport.objects.get()
    mapping_url = reverse("nominations:import_mapping", args=[dossier.pk, nominee_import.pk])
    assert response.status_code == 302 and response.url == mapping_url

    page = manager_client.get(mapping_url)
    assert page.status_code == 200
    assert '<option value="C" selected>C · Họ tên · “NGUYEN VAN AN”</option>' in page.text

    preview_url = reverse("nominations:import_preview", args=[dossier.pk, nominee_import.pk])
    response = manager_client.post(mapping_url, dict(nominee_import.mapping))
    assert response.status_code == 302 and response.url == preview_url

    page = manager_client.get(preview_url)
    assert page.status_code == 200
    assert f'name="row-4" value="{em.pk}"' in page.text
    assert "••••••••0789" in page.text and "082185000789" not in page.text
    assert "disabled>" in page.text  # apply waits for the choice

    apply_url = reverse("nominations:import_apply", args=[dossier.pk, nominee_import.pk])
    refused = manager_client.post(apply_url)
    assert refused.status_code == 422
    assert "Chưa xác nhận “Hoàng Thị Em”" in refused.text
    assert Nominee.objects.count() == 0

    response = manager_client.post(preview_url + "?xem=can-xac-nhan", {"row-4": str(em.pk)})
    assert response.status_code == 302 and response.url == preview_url + "?xem=can-xac-nhan"
    response = manager_client.post(apply_url)
    assert response.status_code == 302
    assert response.url == reverse("nominations:nomination_detail", args=[dossier.pk]) + "#de-nghi"
    assert sorted(dossier.nominees.values_list("person", flat=True)) == sorted([an.pk, em.pk])
    assert ImportBatch.objects.get().kind == ImportKind.NOMINEES

    result = manager_client.get(preview_url)
    assert result.status_code == 200
    assert "Các đề nghị đã thêm" in result.text and "Hoàng Thị Em" in result.text


def test_preview_page_queries_do_not_grow_with_the_rows(manager_client, manager, dossier, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [
        make_person(f"Người Số {index}", unit=office, birth_date=datetime.date(1980, 1, index + 1))
        for index in range(6)
    ]
    for person in people[3:]:
        make_person(person.full_name, unit=office, birth_date=person.birth_date)  # namesakes: doubtful rows

    def count(persons) -> int:
        content = _xlsx(
            [_row("LĐTT", name=person.full_name, born=f"{person.birth_date:%d/%m/%Y}") for person in persons]
        )
        nominee_import = _start(manager, dossier, content)
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get(
                reverse("nominations:import_preview", args=[dossier.pk, nominee_import.pk])
            )
        assert response.status_code == 200
        return len(queries)

    assert count(people[:1] + people[3:4]) == count(people)


def test_preview_page_shows_errors_with_row_and_column(manager_client, manager, dossier, an):
    nominee_import = _start(
        manager, dossier, _xlsx([_row("Bằng khen tỉnh", name="Nguyễn Văn An", born="01/05/1980")])
    )
    page = manager_client.get(reverse("nominations:import_preview", args=[dossier.pk, nominee_import.pk]))
    assert page.status_code == 200
    assert 'id="import-errors"' in page.text
    assert '<td class="num">3</td>' in page.text and "Cột A" in page.text
    assert "Đợt xét không nhận đề nghị Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in page.text


def test_upload_of_a_bad_file_shows_the_error_table(manager_client, dossier):
    response = _upload(manager_client, dossier, b"plain text", name="ds.xlsx")
    assert response.status_code == 422
    assert 'id="import-errors"' in response.text
    assert not NomineeImport.objects.exists()


def test_preview_without_usable_mapping_goes_back_to_mapping(manager_client, manager, dossier):
    content = _xlsx([["Nguyễn Văn An", "LĐTT"]], headings=["Người", "Khen"], title=None)
    nominee_import = _start(manager, dossier, content)
    assert nominee_import.mapping == {}
    mapping_url = reverse("nominations:import_mapping", args=[dossier.pk, nominee_import.pk])
    response = manager_client.get(reverse("nominations:import_preview", args=[dossier.pk, nominee_import.pk]))
    assert response.status_code == 302 and response.url == mapping_url
    page = manager_client.post(mapping_url, {"full_name": "A"})
    assert page.status_code == 400
    assert "Chọn cột ghi danh hiệu, hình thức được đề nghị." in page.text


def test_template_download_is_detected_back(manager_client, manager, dossier):
    response = manager_client.get(reverse("nominations:import_template", args=[dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    headings = [cell.value for cell in load_workbook(io.BytesIO(response.content))["Danh sách"][1]]
    assert headings[0] == "STT" and "Họ và tên" in headings and "Danh hiệu, hình thức" in headings
    nominee_import = _start(manager, dossier, response.content)
    assert set(nominee_import.mapping) == set(imports.FIELD_KEYS)


def test_general_import_list_can_link_to_the_result(manager_client, manager, dossier, an):
    from thidua.nominations.views_imports import batch_result_url

    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An", born="01/05/1980")]))
    batch = imports.nominee_import_apply(actor=manager, nominee_import=nominee_import)
    url = batch_result_url(batch)
    assert url == reverse("nominations:import_preview", args=[dossier.pk, nominee_import.pk])
    page = manager_client.get(url)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.text and batch.sha256 in page.text


def test_cancel_page(manager_client, manager, dossier):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    response = manager_client.post(reverse("nominations:import_cancel", args=[dossier.pk, nominee_import.pk]))
    assert response.status_code == 302
    nominee_import.refresh_from_db()
    assert nominee_import.status == NomineeImportStatus.CANCELLED


@pytest.mark.parametrize("name", ["import_upload", "import_template"])
def test_other_units_get_404_on_dossier_pages(outsider_client, dossier, name):
    assert outsider_client.get(reverse(f"nominations:{name}", args=[dossier.pk])).status_code == 404


@pytest.mark.parametrize(
    "name,method",
    [
        ("import_preview", "get"),
        ("import_mapping", "get"),
        ("import_file", "get"),
        ("import_apply", "post"),
        ("import_cancel", "post"),
    ],
)
def test_other_units_get_404_on_import_pages(
    outsider_client, client, manager, office2, dossier, name, method
):
    nominee_import = _start(manager, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    url = reverse(f"nominations:{name}", args=[dossier.pk, nominee_import.pk])
    assert getattr(outsider_client, method)(url).status_code == 404
    client.force_login(make_user("qlkh", role="unit_manager", unit=office2))
    assert getattr(client, method)(url).status_code == 404
    nominee_import.refresh_from_db()
    assert nominee_import.status == NomineeImportStatus.PENDING


def test_auditor_who_sees_nothing_of_dossiers_gets_404(auditor_client, dossier):
    assert auditor_client.get(reverse("nominations:import_upload", args=[dossier.pk])).status_code == 404


def test_upload_refused_when_dossier_not_editable(manager_client, dossier):
    Nomination.objects.filter(pk=dossier.pk).update(status=NominationStatus.SUBMITTED)
    response = _upload(manager_client, dossier, _xlsx([_row("LĐTT", name="Nguyễn Văn An")]))
    assert response.status_code == 302
    assert response.url == reverse("nominations:nomination_detail", args=[dossier.pk]) + "#de-nghi"
    assert not NomineeImport.objects.exists()


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from tests.e2e.conftest import CHROMIUM

    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1280, "height": 900}}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_browser_import_with_a_doubtful_row(page, live_server, password, manager, dossier, an, em, tmp_path):
    from tests.e2e.conftest import SCREENSHOTS

    path = tmp_path / "danh-sach-de-nghi.xlsx"
    path.write_bytes(
        _xlsx(
            [
                _row(
                    "LĐTT",
                    name="NGUYEN VAN AN",
                    born="01/05/1980",
                    unit="Văn phòng Sở",
                    number=1,
                    summary="Hoàn thành tốt nhiệm vụ.",
                ),
                _row("Giấy khen", name="Hoàng Thị Em", born="1986", number=2),
            ]
        )
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", "truongphong")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}{reverse('nominations:nomination_detail', args=[dossier.pk])}")
    page.get_by_role("link", name="Nhập danh sách từ Excel").click()
    page.screenshot(path=str(SCREENSHOTS / "nominee-import-upload.png"), full_page=True)
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Tải lên").click()
    page.get_by_role("button", name="Đối chiếu danh sách").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "nominee-import-mapping.png"), full_page=True)
    page.get_by_role("button", name="Đối chiếu danh sách").click()

    page.locator("#import-preview").wait_for()
    assert page.get_by_role("button", name="Nhập vào hồ sơ").is_disabled()
    page.screenshot(path=str(SCREENSHOTS / "nominee-import-preview.png"), full_page=True)
    page.locator(f"input[name=row-4][value='{em.pk}']").check()
    page.get_by_role("button", name="Lưu lựa chọn").click()
    page.get_by_role("button", name="Nhập vào hồ sơ").click()

    page.wait_for_url(f"{live_server.url}{reverse('nominations:nomination_detail', args=[dossier.pk])}*")
    assert page.get_by_text("Đã thêm 2 đề nghị vào hồ sơ").is_visible()
    assert sorted(dossier.nominees.values_list("person", flat=True)) == sorted([an.pk, em.pk])
