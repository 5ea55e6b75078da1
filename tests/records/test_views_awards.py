import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_person
from tests.records.conftest import audit_entries, award
from thidua.common.models import AuditAction
from thidua.records import services
from thidua.records.models import AwardRecord
from thidua.rules.models import AwardType

LIST = reverse("records:award_list")
CREATE = reverse("records:award_create")


def _recipients(response) -> list[str]:
    return [
        str(record.person or record.unit or record.household_name)
        for record in response.context["page"].object_list
    ]


def _award_id(code: str) -> int:
    return AwardType.objects.get(code=code).pk


def _form(**overrides) -> dict:
    data = {
        "recipient": "individual",
        "award": _award_id("LDTT"),
        "period_start": "2023",
        "decision_number": "45/QĐ-SKHCN",
        "decision_date": "20/01/2024",
        "issuer_name": "Giám đốc Sở Khoa học và Công nghệ",
        "source": "imported",
        "counts_for_regular": "on",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- list


def test_award_list_shows_people_units_and_households_in_scope(
    officer_client, department, office, office_person, other_person
):
    award(office_person, "CSTDCS", 2024)
    award(office, "TTLDTT", 2023)
    services.award_record_create(
        actor=None,
        award=AwardType.objects.get(code="GIAY_KHEN"),
        household_name="Hộ ông Nguyễn Văn Ba",
        period_start=2022,
        decision_number="9/QĐ-SKHCN",
        decision_date=datetime.date(2023, 1, 5),
        issuing_unit=department,
    )
    award(other_person, "LDTT", 2024)

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert _recipients(response) == ["Nguyễn Văn Ân", "Văn phòng Sở", "Hộ ông Nguyễn Văn Ba"]


def test_award_list_is_forbidden_without_records_view(staff_client):
    assert staff_client.get(LIST).status_code == 403


def test_award_list_hides_other_departments(outsider_client, office_person):
    award(office_person, "LDTT", 2024)

    response = outsider_client.get(LIST)

    assert _recipients(response) == []
    assert "Sổ khen thưởng trong phạm vi của bạn chưa có dòng nào." in response.content.decode()


def test_award_list_filters(officer_client, office, office_person, office2_person):
    award(office_person, "LDTT", 2023)
    award(office_person, "BANG_KHEN_TINH", 2022, period_start=2021, decision_number="1234/QĐ-UBND")
    revoked = award(office2_person, "LDTT", 2024, source="imported")
    AwardRecord.objects.filter(pk=revoked.pk).update(revoked=True)
    award(office, "TTLDTT", 2024, source="decision")

    def recipients(**params):
        return [
            (str(record.person or record.unit), record.award.code)
            for record in officer_client.get(LIST, params).context["page"].object_list
        ]

    assert recipients(award="LDTT") == [("Trần Thị Bích", "LDTT"), ("Nguyễn Văn Ân", "LDTT")]
    assert recipients(year=2021) == [("Nguyễn Văn Ân", "BANG_KHEN_TINH")]
    assert recipients(category="hinh_thuc") == [("Nguyễn Văn Ân", "BANG_KHEN_TINH")]
    assert recipients(source="decision") == [("Văn phòng Sở", "TTLDTT")]
    assert recipients(revoked="yes") == [("Trần Thị Bích", "LDTT")]
    assert recipients(unit="SKHCN_VP", year=2024) == [("Văn phòng Sở", "TTLDTT")]
    assert recipients(q="1234/QĐ") == [("Nguyễn Văn Ân", "BANG_KHEN_TINH")]
    assert recipients(q="van phong") == [("Văn phòng Sở", "TTLDTT")]
    assert recipients(q="bich") == [("Trần Thị Bích", "LDTT")]


def test_award_list_query_count_does_not_grow_with_rows(officer_client, department, office, office_person):
    award(office_person, "LDTT", 2024)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LIST)
    award(make_person("Lê Văn Hai", unit=office), "CSTDCS", 2024, issuing_unit=department)
    award(office, "TTLDTT", 2024, issuing_unit=department)

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LIST)

    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


def test_award_export_has_the_filtered_rows(officer_client, department, office, office_person):
    award(office_person, "CSTDCS", 2024, issuing_unit=department, register_number="S-12")
    award(office, "TTLDTT", 2023)

    response = officer_client.get(reverse("records:award_export"), {"year": 2024})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [
        (
            1,
            "Nguyễn Văn Ân",
            "Cá nhân",
            "Văn phòng Sở",
            "Chiến sĩ thi đua cơ sở",
            "Danh hiệu thi đua",
            2024,
            "24/QĐ-UBND",
            datetime.datetime(2025, 1, 15),
            "Sở Khoa học và Công nghệ",
            "S-12",
            None,
            "Nhập tay",
            "Có",
            "Không",
            None,
        )
    ]


# ---------------------------------------------------------------- create


def test_award_create_for_a_person_records_it_and_audits(manager_client, manager, province, office_person):
    response = manager_client.post(
        f"{CREATE}?person={office_person.pk}",
        _form(
            person=office_person.pk,
            award=_award_id("BANG_KHEN_TINH"),
            period_start="2021",
            period_end="2022",
            issuer_name="",
            issuing_unit=province.pk,
            register_number="SV-15",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("records:person_records", args=[office_person.pk])
    record = AwardRecord.objects.get()
    assert (
        record.person,
        record.unit,
        record.award.code,
        record.period_start,
        record.period_end,
        record.issuing_unit,
        record.register_number,
        record.source,
        record.counts_for_regular,
    ) == (office_person, None, "BANG_KHEN_TINH", 2021, 2022, province, "SV-15", "imported", True)
    assert audit_entries(record, AuditAction.CREATE).get().actor == manager


def test_award_create_form_offers_only_awards_for_the_subject_grouped(officer_client, office):
    individual = officer_client.get(CREATE).context["form"].fields["award"]
    collective = officer_client.get(f"{CREATE}?unit=SKHCN_VP").context["form"].fields["award"]

    assert set(individual.queryset.values_list("code", flat=True)) == {
        "LDTT",
        "CSTDCS",
        "CSTD_TINH",
        "CSTD_TOAN_QUOC",
        "GIAY_KHEN",
        "BANG_KHEN_TINH",
        "BANG_KHEN_TTG",
    }
    assert set(collective.queryset.values_list("code", flat=True)) == {
        "TTLDTT",
        "TTLDXS",
        "CO_THI_DUA_TINH",
        "GIAY_KHEN",
        "BANG_KHEN_TINH",
        "BANG_KHEN_TTG",
    }
    assert [group for group, _ in individual.choices[1:]] == ["Danh hiệu thi đua", "Hình thức khen thưởng"]


def test_award_form_switches_recipient_through_htmx(officer_client):
    response = officer_client.get(
        CREATE, {"switch": "1", "recipient": "household"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.startswith('<div id="record-fields"')
    assert 'name="household_name"' in html and 'name="person"' not in html
    assert "Gia đình văn hóa" in html and "Lao động tiên tiến" not in html


def test_award_create_for_a_unit_and_a_household(officer_client, department, office):
    unit = officer_client.post(
        CREATE, _form(recipient="collective", unit=office.pk, award=_award_id("TTLDTT"))
    )
    household = officer_client.post(
        CREATE,
        _form(
            recipient="household",
            household_name="Hộ bà Lê Thị Tư",
            award=_award_id("GIAY_KHEN"),
            issuer_name="",
            issuing_unit=department.pk,
        ),
    )

    assert unit.status_code == 302 and household.status_code == 302
    assert sorted((str(r.unit or r.household_name), r.award.code) for r in AwardRecord.objects.all()) == [
        ("Hộ bà Lê Thị Tư", "GIAY_KHEN"),
        ("Văn phòng Sở", "TTLDTT"),
    ]


def test_award_create_keeps_one_recipient_only(officer_client, office, office_person):
    officer_client.post(CREATE, _form(person=office_person.pk, unit=office.pk, household_name="Hộ ông A"))

    record = AwardRecord.objects.get()
    assert (record.person, record.unit, record.household_name) == (office_person, None, "")


def test_award_create_validates_in_vietnamese(officer_client, province, office_person):
    wrong_subject = officer_client.post(CREATE, _form(person=office_person.pk, award=_award_id("TTLDTT")))
    no_recipient = officer_client.post(CREATE, _form(issuer_name="", decision_number=""))
    periods = officer_client.post(
        CREATE,
        _form(
            person=office_person.pk,
            period_start="2023",
            period_end="2022",
            decision_date="01/01/2022",
            issuing_unit=province.pk,
        ),
    )
    household = officer_client.post(
        CREATE,
        _form(
            recipient="household",
            household_name="Hộ ông B",
            award=_award_id("GIAY_KHEN"),
            issuing_unit=province.pk,
            issuer_name="",
        ),
    )

    assert wrong_subject.status_code == 400
    assert wrong_subject.context["form"].errors == {
        "award": ["Danh hiệu, hình thức này không dành cho đối tượng đã chọn."]
    }
    assert no_recipient.context["form"].errors == {
        "person": ["Chọn cá nhân được khen."],
        "decision_number": ["Nhập số quyết định."],
        "issuing_unit": ["Cho biết cơ quan quyết định: chọn trong danh sách hoặc ghi tên."],
    }
    assert periods.context["form"].errors == {
        "issuer_name": ["Chọn cơ quan trong danh sách hoặc ghi tên, không cả hai."],
        "period_end": ["Năm kết thúc phải từ năm bắt đầu trở đi."],
        "decision_date": ["Ngày quyết định phải sau thời gian đạt thành tích."],
    }
    assert household.context["form"].errors == {
        "issuing_unit": ["Khen thưởng hộ gia đình cần chọn cơ quan quyết định thuộc phạm vi quản lý của bạn."]
    }
    assert AwardRecord.objects.count() == 0


def test_award_create_shows_the_services_duplicate_error_on_the_award(officer_client, office_person):
    award(office_person, "LDTT", 2023)

    response = officer_client.post(CREATE, _form(person=office_person.pk))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "award": ["Đã có Lao động tiên tiến cho thành tích 2023 trong sổ khen thưởng."]
    }


def test_award_create_is_403_without_manage_and_404_outside(auditor_client, outsider_client, office_person):
    assert auditor_client.get(CREATE).status_code == 403
    assert outsider_client.get(f"{CREATE}?person={office_person.pk}").status_code == 404
    assert outsider_client.get(f"{CREATE}?unit=SKHCN_VP").status_code == 404


# ---------------------------------------------------------------- edit, delete


def test_award_edit_changes_the_record(officer_client, office_person):
    record = award(office_person, "LDTT", 2023, issuer_name="Giám đốc Sở")

    response = officer_client.post(
        reverse("records:award_edit", args=[record.pk]),
        _form(
            person=office_person.pk,
            award=_award_id("CSTDCS"),
            issuer_name="Giám đốc Sở",
            note="Sửa theo bản gốc",
        ),
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.award.code, record.decision_number, record.note) == (
        "CSTDCS",
        "45/QĐ-SKHCN",
        "Sửa theo bản gốc",
    )
    changes = audit_entries(record, AuditAction.UPDATE).get().changes
    assert changes["award"] == [
        AwardType.objects.get(code="LDTT").pk,
        AwardType.objects.get(code="CSTDCS").pk,
    ]


def test_award_edit_form_is_prefilled(officer_client, office_person):
    record = award(office_person, "LDTT", 2023, issuer_name="Giám đốc Sở")

    form = officer_client.get(reverse("records:award_edit", args=[record.pk])).context["form"]

    assert form.initial["recipient"] == "individual"
    assert form.initial["period_end"] is None
    assert form["decision_number"].value() == "23/QĐ-UBND"


def test_award_from_a_decision_cannot_be_edited_or_deleted_here(officer_client, office_person):
    record = award(office_person, "LDTT", 2023, source="decision")

    edit = officer_client.post(
        reverse("records:award_edit", args=[record.pk]), _form(person=office_person.pk), follow=True
    )
    delete = officer_client.post(reverse("records:award_delete", args=[record.pk]))

    assert edit.redirect_chain == [(LIST, 302)]
    assert "không sửa hay xóa ở đây" in str(list(edit.context["messages"])[0])
    assert delete.status_code == 302
    assert AwardRecord.objects.get().decision_number == "23/QĐ-UBND"


def test_award_edit_and_delete_are_404_outside_scope_and_403_without_manage(
    outsider_client, auditor_client, office_person
):
    record = award(office_person, "LDTT", 2023)

    assert outsider_client.get(reverse("records:award_edit", args=[record.pk])).status_code == 404
    assert auditor_client.get(reverse("records:award_edit", args=[record.pk])).status_code == 403
    assert auditor_client.post(reverse("records:award_delete", args=[record.pk])).status_code == 403
    assert AwardRecord.objects.count() == 1


def test_award_delete(officer_client, office_person):
    record = award(office_person, "LDTT", 2023)

    assert officer_client.post(reverse("records:award_delete", args=[record.pk])).status_code == 302
    assert AwardRecord.objects.count() == 0
    assert audit_entries(record, AuditAction.DELETE).count() == 1
