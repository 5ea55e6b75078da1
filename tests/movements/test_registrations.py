"""Registration pages: a unit registering itself and its people, self-registration and approval, the
deadline, the launching unit's overview with reminders, and the once-per-deadline reminder job."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_person, make_user
from thidua.common import notifications
from thidua.common.models import Deadline, Notification
from thidua.movements import services
from thidua.movements.models import Registration
from thidua.rules.models import AwardType


def awards(*codes):
    return [AwardType.objects.get(code=code) for code in codes]


def launch_movement(
    actor, unit, *, deadline_in: int | None = 10, planned=("LDTT", "CSTDCS", "TTLDTT"), chosen=(), **fields
):
    """A launched movement of ``unit``, open from a month ago for most of a year, its registration
    deadline ``deadline_in`` days from today (negative: already passed)."""
    today = timezone.localdate()
    movement = services.movement_create(
        actor=actor,
        title=fields.pop("title", "Phong trào thi đua “Đổi mới, sáng tạo” năm 2027"),
        kind="theo_dot",
        launching_unit=unit,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=300),
        registration_deadline=today + datetime.timedelta(days=deadline_in)
        if deadline_in is not None
        else None,
        participation="chosen" if chosen else "subtree",
        chosen_units=list(chosen),
        planned_awards=awards(*planned),
        tasks=fields.pop("tasks", ["Đẩy mạnh cải cách hành chính", "Ứng dụng công nghệ thông tin"]),
        **fields,
    )
    return services.movement_transition(actor=actor, movement=movement, to="launched")


@pytest.fixture
def movement(officer, department):
    return launch_movement(officer, department)


@pytest.fixture
def office_people(office, staff_person):
    """The office's people besides staff_person (Lê Thị Cán Bộ): out of alphabetical order on purpose."""
    return [
        make_person("Trần Văn Bình", unit=office, cccd="082185000111", birth_date=datetime.date(1985, 3, 15)),
        make_person("Nguyễn Thị Ánh", unit=office, birth_date=datetime.date(1990, 6, 1)),
    ]


@pytest.fixture
def office2_manager(office2):
    return make_user("qlkh", role="unit_manager", unit=office2)


@pytest.fixture
def office2_person(office2):
    return make_person("Phạm Văn Cường", unit=office2)


def unit_page(movement, unit=None):
    url = reverse("movements:registration_unit", args=[movement.pk])
    return f"{url}?unit={unit.code}" if unit is not None else url


def award_ids(*codes):
    return [str(award.pk) for award in awards(*codes)]


# ---------------------------------------------------------------- the unit page


def test_registration_unit_shows_titles_deadline_and_links(
    manager_client, movement, office, office_people, staff_person
):
    response = manager_client.get(unit_page(movement))

    assert response.status_code == 200
    assert response.context["unit"] == office
    form = response.context["form"]
    assert len(form.rows) == 3
    assert [award.code for award in form.individual_awards] == ["CSTDCS", "LDTT"]
    assert [award.code for award in form.collective_awards] == ["TTLDTT"]
    html = response.content.decode()
    assert "Hạn đăng ký: " in html and f"{movement.registration_deadline:%d/%m/%Y}" in html
    assert reverse("movements:registration_import", args=[movement.pk]) in html
    assert reverse("movements:movement_detail", args=[movement.pk]) in html


def test_registration_unit_orders_people_by_given_name(manager_client, movement, office_people, staff_person):
    response = manager_client.get(unit_page(movement))

    # Vietnamese order: by given name first (Ánh, Bình, Bộ), not by family name.
    assert [row["person"].full_name for row in response.context["form"].rows] == [
        "Nguyễn Thị Ánh",
        "Trần Văn Bình",
        "Lê Thị Cán Bộ",
    ]


def test_registration_unit_offers_catalog_titles_when_none_planned(
    officer, department, manager_client, office
):
    movement = launch_movement(officer, department, planned=())

    form = manager_client.get(unit_page(movement)).context["form"]

    assert {"LDTT", "CSTDCS"} <= {award.code for award in form.individual_awards}
    assert {"TTLDTT", "TTLDXS"} <= {award.code for award in form.collective_awards}
    assert "GIAY_KHEN" not in {award.code for award in form.individual_awards}


def test_registration_unit_saves_unit_and_people_at_once(
    manager_client, manager, movement, office, office_people, staff_person
):
    binh, anh = office_people
    data = {
        "unit_awards": award_ids("TTLDTT"),
        f"p{binh.pk}": award_ids("LDTT", "CSTDCS"),
        f"p{anh.pk}": award_ids("LDTT"),
        f"c{anh.pk}": "Hoàn thành xuất sắc nhiệm vụ được giao",
        "commitment": "Phấn đấu hoàn thành tốt nhiệm vụ năm 2027",
    }

    response = manager_client.post(unit_page(movement), data, follow=True)

    assert response.status_code == 200
    assert "Đã đăng ký 2 cá nhân, 1 tập thể." in response.content.decode()
    collective = Registration.objects.get(movement=movement, unit=office)
    assert sorted(award.code for award in collective.awards.all()) == ["TTLDTT"]
    assert collective.commitment == "Phấn đấu hoàn thành tốt nhiệm vụ năm 2027"
    assert collective.status == "approved"
    binh_registration = Registration.objects.get(movement=movement, person=binh)
    assert sorted(award.code for award in binh_registration.awards.all()) == ["CSTDCS", "LDTT"]
    assert binh_registration.commitment == "Phấn đấu hoàn thành tốt nhiệm vụ năm 2027"
    assert (
        Registration.objects.get(movement=movement, person=anh).commitment
        == "Hoàn thành xuất sắc nhiệm vụ được giao"
    )
    assert not Registration.objects.filter(person=staff_person).exists()
    assert (
        Deadline.objects.get(key=f"movement:{movement.pk}:registration:unit:{office.pk}").done_at is not None
    )


def test_registration_unit_prefills_existing_registrations(
    manager_client, manager, movement, office, office_people
):
    binh, anh = office_people
    services.registration_bulk(
        actor=manager,
        movement=movement,
        unit=office,
        people_awards={binh: awards("LDTT")},
        unit_awards=awards("TTLDTT"),
        commitment="Cam kết",
    )

    form = manager_client.get(unit_page(movement)).context["form"]

    assert form[f"p{binh.pk}"].value() == [awards("LDTT")[0].pk]
    assert form[f"p{anh.pk}"].value() in (None, [])
    assert form["unit_awards"].value() == [awards("TTLDTT")[0].pk]
    assert form["commitment"].value() == "Cam kết"


def test_registration_unit_refuses_dropping_an_existing_registration_and_saves_nothing(
    manager_client, manager, movement, office, office_people
):
    binh, anh = office_people
    services.registration_bulk(
        actor=manager, movement=movement, unit=office, people_awards={binh: awards("LDTT")}
    )

    response = manager_client.post(
        unit_page(movement), {f"p{anh.pk}": award_ids("LDTT"), "unit_awards": award_ids("TTLDTT")}
    )

    assert response.status_code == 400
    assert "Trần Văn Bình đã đăng ký: giữ ít nhất một danh hiệu" in response.content.decode()
    assert not Registration.objects.filter(person=anh).exists()
    assert not Registration.objects.filter(unit=office).exists()


def test_registration_unit_with_nothing_ticked_says_so(manager_client, movement, office_people):
    response = manager_client.post(unit_page(movement), {"commitment": "Cam kết"})

    assert response.status_code == 400
    assert "Chưa chọn danh hiệu cho tập thể hoặc cá nhân nào." in response.content.decode()
    assert Registration.objects.count() == 0


def test_registration_bulk_is_all_or_nothing(manager, movement, office, office_people, office2_person):
    binh, _anh = office_people

    with pytest.raises(ValidationError):
        services.registration_bulk(
            actor=manager,
            movement=movement,
            unit=office,
            unit_awards=awards("TTLDTT"),
            people_awards={binh: awards("LDTT"), office2_person: awards("LDTT")},
        )

    assert Registration.objects.count() == 0


def test_registration_unit_manager_cannot_register_another_units_people(
    manager_client, manager, movement, office, office2, office2_person
):
    assert manager_client.get(unit_page(movement, office2)).status_code == 404
    response = manager_client.post(unit_page(movement, office2), {f"p{office2_person.pk}": award_ids("LDTT")})
    assert response.status_code == 404
    # A person of another unit posted on the manager's own page is not on the form: ignored.
    response = manager_client.post(unit_page(movement), {f"p{office2_person.pk}": award_ids("LDTT")})
    assert response.status_code == 400
    # And through the services.
    with pytest.raises(PermissionDenied):
        services.registration_bulk(
            actor=manager, movement=movement, unit=office2, people_awards={office2_person: awards("LDTT")}
        )
    with pytest.raises(PermissionDenied):
        services.registration_submit(
            actor=manager, movement=movement, person=office2_person, awards=awards("LDTT")
        )
    assert Registration.objects.count() == 0


def test_registration_unit_is_404_for_outsider_and_403_for_staff(outsider_client, staff_client, movement):
    assert outsider_client.get(unit_page(movement)).status_code == 404
    assert staff_client.get(unit_page(movement)).status_code == 403


def test_registration_unit_lets_an_officer_choose_among_participating_units(
    officer_client, movement, department, office, office2
):
    response = officer_client.get(unit_page(movement))

    assert response.context["unit"] == department
    assert [code for code, _label in response.context["pick"].fields["unit"].choices] == [
        "SKHCN",
        "SKHCN_VP",
        "SKHCN_QLKH",
    ]
    assert officer_client.get(unit_page(movement, office2)).context["unit"] == office2


def test_registration_after_deadline_is_refused_but_allowed_for_launching_officer(
    officer, department, manager_client, officer_client, office, office_people
):
    movement = launch_movement(officer, department, deadline_in=-1)
    binh, _anh = office_people
    data = {f"p{binh.pk}": award_ids("LDTT")}

    response = manager_client.post(unit_page(movement), data)

    assert response.status_code == 400
    day = f"{movement.registration_deadline:%d/%m/%Y}"
    assert (
        f"Đã quá hạn đăng ký ({day}). Liên hệ cán bộ thi đua để được đăng ký bổ sung."
        in response.content.decode()
    )
    assert "Đã quá hạn đăng ký" in manager_client.get(unit_page(movement)).content.decode()
    assert Registration.objects.count() == 0

    response = officer_client.post(unit_page(movement, office), data)

    assert response.status_code == 302
    assert Registration.objects.get(person=binh).status == "approved"


# ---------------------------------------------------------------- self-registration and approval


def self_page(movement):
    return reverse("movements:registration_self", args=[movement.pk])


def test_registration_self_submits_and_awaits_approval(
    staff_client, manager, movement, staff_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            self_page(movement),
            {"awards": award_ids("LDTT"), "commitment": "Không ngừng học tập"},
            follow=True,
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã gửi đăng ký thi đua; chờ lãnh đạo đơn vị duyệt." in html
    assert "Chờ duyệt" in html
    registration = Registration.objects.get(movement=movement, person=staff_person)
    assert registration.status == "submitted"
    assert registration.commitment == "Không ngừng học tập"
    assert (
        Notification.objects.filter(user=manager, text__contains="Lê Thị Cán Bộ đăng ký thi đua").count() == 1
    )


def test_registration_self_requires_a_title(staff_client, movement):
    response = staff_client.post(self_page(movement), {"commitment": "Cam kết"})

    assert response.status_code == 400
    assert "Chọn ít nhất một danh hiệu." in response.content.decode()


def test_registration_self_without_linked_person_explains(officer_client, movement):
    response = officer_client.get(self_page(movement))

    assert response.status_code == 200
    assert "chưa gắn với hồ sơ cá nhân" in response.content.decode()
    assert response.context["form"] is None
    assert officer_client.post(self_page(movement), {"awards": award_ids("LDTT")}).status_code == 403


def test_registration_self_is_404_outside_the_movement(outsider_client, movement):
    assert outsider_client.get(self_page(movement)).status_code == 404


def test_pending_self_registration_is_listed_and_approved(
    staff, manager_client, movement, staff_person, office
):
    registration = services.registration_submit(
        actor=staff, movement=movement, person=staff_person, awards=awards("LDTT")
    )

    page = manager_client.get(unit_page(movement))
    assert [item.pk for item in page.context["pending"]] == [registration.pk]
    assert not any(f"p{staff_person.pk}" == name for name in page.context["form"].fields)

    decide = reverse("movements:registration_decide", args=[registration.pk])
    response = manager_client.post(decide, {"decision": "approve", "unit": office.code})

    assert response.status_code == 302
    assert response["Location"] == unit_page(movement, office)
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert registration.decided_by.username == "truongphong"
    assert manager_client.get(unit_page(movement)).context["pending"] == []


def test_pending_self_registration_rejected(staff, manager_client, movement, staff_person):
    registration = services.registration_submit(
        actor=staff, movement=movement, person=staff_person, awards=awards("LDTT")
    )

    manager_client.post(
        reverse("movements:registration_decide", args=[registration.pk]), {"decision": "reject"}
    )

    registration.refresh_from_db()
    assert registration.status == "rejected"


def test_registration_decide_is_404_outside_scope(
    staff, outsider_client, office2_manager, movement, staff_person
):
    registration = services.registration_submit(
        actor=staff, movement=movement, person=staff_person, awards=awards("LDTT")
    )
    decide = reverse("movements:registration_decide", args=[registration.pk])

    assert outsider_client.post(decide, {"decision": "approve"}).status_code == 404
    from django.test import Client

    client = Client()
    client.force_login(office2_manager)
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "submitted"


# ---------------------------------------------------------------- Excel import


def import_url(movement, unit=None):
    url = reverse("movements:registration_import", args=[movement.pk])
    return f"{url}?unit={unit.code}" if unit is not None else url


def filled_template(manager_client, movement, titles: dict[str, str], extra_rows=()):
    """The template downloaded from the page, with titles written against the people named."""
    response = manager_client.get(reverse("movements:registration_template", args=[movement.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Danh sách"]
    for row in sheet.iter_rows(min_row=2):
        name = row[0].value
        if name in titles:
            row[3].value = titles[name]
    for extra in extra_rows:
        sheet.append(list(extra))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("dang-ky.xlsx", buffer.getvalue())


def test_registration_template_lists_the_units_people(manager_client, movement, office_people, staff_person):
    response = manager_client.get(reverse("movements:registration_template", args=[movement.pk]))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Danh sách"].iter_rows(values_only=True))
    assert rows[0] == ("Họ và tên", "Số CCCD", "Ngày sinh", "Danh hiệu đăng ký", "Cam kết")
    assert [row[0] for row in rows[1:]] == ["Nguyễn Thị Ánh", "Trần Văn Bình", "Lê Thị Cán Bộ"]
    assert rows[2][1] == "082185000111"


def test_registration_import_registers_the_listed_people(
    manager_client, movement, office_people, staff_person
):
    binh, anh = office_people
    upload = filled_template(
        manager_client, movement, {"Trần Văn Bình": "LĐTT; Chiến sĩ thi đua cơ sở", "Nguyễn Thị Ánh": "ldtt"}
    )

    response = manager_client.post(import_url(movement), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert (
        "Đã đăng ký 2 cá nhân, 0 tập thể. 1 dòng không ghi danh hiệu được bỏ qua."
        in response.content.decode()
    )
    assert sorted(award.code for award in Registration.objects.get(person=binh).awards.all()) == [
        "CSTDCS",
        "LDTT",
    ]
    assert [award.code for award in Registration.objects.get(person=anh).awards.all()] == ["LDTT"]
    assert not Registration.objects.filter(person=staff_person).exists()


def test_registration_import_reports_errors_by_row_and_column_and_saves_nothing(
    manager_client, movement, office_people, office2_person
):
    upload = filled_template(
        manager_client,
        movement,
        {"Trần Văn Bình": "LĐTT", "Nguyễn Thị Ánh": "Huân chương Lao động"},
        extra_rows=[
            ("Phạm Văn Cường", None, None, "LĐTT", None),
            ("Không Có Ai", None, "31/02/1990", "LĐTT", None),
        ],
    )

    response = manager_client.post(import_url(movement), {"file": upload})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="import-errors"' in html
    errors = [(error.row, error.column) for error in response.context["failure"].errors]
    assert errors == [(2, "D"), (5, "A"), (6, "C")]
    messages = [error.message for error in response.context["failure"].errors]
    assert messages[0].startswith(
        "Danh hiệu “Huân chương Lao động” không có trong các danh hiệu cá nhân của phong trào"
    )
    assert (
        messages[1]
        == "Không tìm thấy “Phạm Văn Cường” ở Văn phòng Sở. Hãy kiểm tra họ tên, ngày sinh (như trong hồ sơ) hoặc ghi Số CCCD."
    )
    assert messages[2] == "Ngày sinh “31/02/1990” không hợp lệ (dd/mm/yyyy)."
    assert Registration.objects.count() == 0


def test_registration_import_after_deadline_saves_nothing(officer, department, manager_client, office_people):
    movement = launch_movement(officer, department, deadline_in=-2)
    upload = filled_template(manager_client, movement, {"Trần Văn Bình": "LĐTT"})

    response = manager_client.post(import_url(movement), {"file": upload})

    assert response.status_code == 422
    assert response.context["failure"].errors[0].message.startswith("Đã quá hạn đăng ký")
    assert Registration.objects.count() == 0


def test_registration_import_is_404_for_another_unit_and_outsiders(
    manager_client, outsider_client, movement, office2
):
    assert manager_client.get(import_url(movement, office2)).status_code == 404
    assert outsider_client.get(import_url(movement)).status_code == 404
    assert (
        outsider_client.get(reverse("movements:registration_template", args=[movement.pk])).status_code == 404
    )


# ---------------------------------------------------------------- the overview and reminders


def overview(movement):
    return reverse("movements:registration_overview", args=[movement.pk])


def test_registration_overview_shows_who_has_registered(
    officer_client, manager, staff, movement, department, office, office2, office_people, staff_person
):
    binh, _anh = office_people
    services.registration_bulk(
        actor=manager,
        movement=movement,
        unit=office,
        people_awards={binh: awards("LDTT")},
        unit_awards=awards("TTLDTT"),
    )
    services.registration_submit(actor=staff, movement=movement, person=staff_person, awards=awards("LDTT"))

    response = officer_client.get(overview(movement))

    assert response.status_code == 200
    rows = {row.unit.code: row for row in response.context["page"].object_list}
    assert list(rows) == ["SKHCN", "SKHCN_VP", "SKHCN_QLKH"]
    assert (rows["SKHCN_VP"].registered, rows["SKHCN_VP"].people, rows["SKHCN_VP"].pending) == (True, 2, 1)
    assert [award.code for award in rows["SKHCN_VP"].collective.awards.all()] == ["TTLDTT"]
    assert rows["SKHCN_QLKH"].registered is False
    assert (response.context["registered_count"], response.context["missing_count"]) == (1, 2)

    missing = officer_client.get(overview(movement), {"status": "missing"})
    assert [row.unit.code for row in missing.context["page"].object_list] == ["SKHCN", "SKHCN_QLKH"]
    searched = officer_client.get(overview(movement), {"q": "quan ly"})
    assert [row.unit.code for row in searched.context["page"].object_list] == ["SKHCN_QLKH"]


def test_registration_overview_export(officer_client, manager, office2, movement, office, office_people):
    services.registration_bulk(
        actor=manager, movement=movement, unit=office, people_awards={office_people[0]: awards("LDTT")}
    )

    response = officer_client.get(
        reverse("movements:registration_overview_export", args=[movement.pk]), {"status": "missing"}
    )

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1] == (
        "STT",
        "Mã đơn vị",
        "Đơn vị",
        "Tình hình",
        "Tập thể đăng ký",
        "Số cá nhân đăng ký",
        "Chờ duyệt",
    )
    assert [row[1] for row in rows[2:]] == ["SKHCN", "SKHCN_QLKH"]
    assert rows[2][3] == "Chưa đăng ký"


def test_registration_overview_is_forbidden_to_staff_and_managers_and_hidden_from_outsiders(
    staff_client, manager_client, outsider_client, movement
):
    assert staff_client.get(overview(movement)).status_code == 403
    assert manager_client.get(overview(movement)).status_code == 403
    assert outsider_client.get(overview(movement)).status_code == 404
    export = reverse("movements:registration_overview_export", args=[movement.pk])
    assert staff_client.get(export).status_code == 403


def test_registration_overview_query_count_does_not_grow_with_units(
    officer, officer_client, department, office, office2, manager
):
    one = launch_movement(officer, department, chosen=[office])
    three = launch_movement(officer, department, chosen=[department, office, office2])
    for movement in (one, three):
        services.registration_bulk(
            actor=manager, movement=movement, unit=office, people_awards={}, unit_awards=awards("TTLDTT")
        )
    services.registration_bulk(
        actor=officer, movement=three, unit=office2, people_awards={}, unit_awards=awards("TTLDTT")
    )

    with CaptureQueriesContext(connection) as small:
        officer_client.get(overview(one))
    with CaptureQueriesContext(connection) as large:
        response = officer_client.get(overview(three))

    assert len(response.context["page"].object_list) == 3
    assert len(large) == len(small)


def test_registration_remind_notifies_only_unregistered_units(
    officer_client,
    officer,
    manager,
    office2_manager,
    movement,
    department,
    office,
    office_people,
    django_capture_on_commit_callbacks,
):
    services.registration_bulk(
        actor=manager, movement=movement, unit=office, people_awards={office_people[0]: awards("LDTT")}
    )
    services.registration_bulk(
        actor=officer, movement=movement, unit=department, people_awards={}, unit_awards=awards("TTLDTT")
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("movements:registration_remind", args=[movement.pk]), follow=True
        )

    assert "Đã nhắc 1 đơn vị chưa đăng ký." in response.content.decode()
    reminded = Notification.objects.filter(text__startswith="Nhắc đăng ký thi đua")
    assert [notification.user.username for notification in reminded] == ["qlkh"]


def test_registration_remind_is_forbidden_to_managers(manager_client, outsider_client, movement):
    url = reverse("movements:registration_remind", args=[movement.pk])

    assert manager_client.post(url).status_code == 403
    assert outsider_client.post(url).status_code == 404
    assert not Notification.objects.filter(text__startswith="Nhắc đăng ký thi đua").exists()


def test_send_reminders_sends_once_per_deadline(
    officer, manager, office2_manager, department, office, office_people
):
    movement = launch_movement(officer, department, deadline_in=2)
    services.registration_bulk(
        actor=manager, movement=movement, unit=office, people_awards={office_people[0]: awards("LDTT")}
    )
    today = timezone.localdate()

    first = notifications.send_reminders(today=today)
    again = notifications.send_reminders(today=today)
    next_day = notifications.send_reminders(today=today + datetime.timedelta(days=1))

    # The department and the second office have not registered; the office has.
    assert (first["reminded"], again["reminded"], next_day["reminded"]) == (2, 0, 0)
    reminders = Notification.objects.filter(text__startswith="Nhắc việc: Đăng ký thi đua")
    assert sorted(notification.user.username for notification in reminders) == ["qlkh", "vanphong"]

    after = today + datetime.timedelta(days=3)
    overdue = notifications.send_reminders(today=after)
    overdue_again = notifications.send_reminders(today=after + datetime.timedelta(days=1))

    assert (overdue["overdue"], overdue_again["overdue"]) == (2, 0)
    assert (
        Notification.objects.filter(user=office2_manager, text__startswith="Quá hạn: Đăng ký thi đua").count()
        == 1
    )
    assert not Notification.objects.filter(user=manager, text__startswith=("Quá hạn")).exists()
    assert not Notification.objects.filter(user=manager, text__startswith="Nhắc việc").exists()
