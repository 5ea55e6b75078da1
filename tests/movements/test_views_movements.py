"""The movement pages: the list, the form, the movement's page with its dashboard, attachments, and
the common dashboard's deadlines and ongoing movements."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_unit
from tests.movements.helpers_movements import SEED_TASKS, awards, launch, make_document, make_movement
from thidua.common.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import Movement, MovementAttachment

LIST = reverse("movements:movement_list")
CREATE = reverse("movements:movement_create")
TODAY = timezone.localdate()


def detail_url(movement):
    return reverse("movements:movement_detail", args=[movement.pk])


def edit_url(movement):
    return reverse("movements:movement_edit", args=[movement.pk])


def titles(response) -> list[str]:
    return [movement.title for movement in response.context["page"].object_list]


def form_data(unit, **overrides) -> dict:
    data = {
        "title": "Thi đua “Chuyển đổi số” năm 2027",
        "kind": "chuyen_de",
        "launching_unit": unit.pk,
        "start": "01/01/2027",
        "end": "31/12/2027",
        "registration_deadline": "15/02/2027",
        "purpose": "Đẩy mạnh chuyển đổi số.",
        "content": "Số hóa hồ sơ, dịch vụ công trực tuyến.",
        "tasks": "1. Số hóa hồ sơ lưu trữ\n- Dịch vụ công trực tuyến toàn trình\n\n  Chữ ký số  ",
        "criteria": "Hoàn thành nhiệm vụ chuyên môn | 60\nCải cách hành chính | 25,5\n",
        "participation": "subtree",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(officer, department):
    return make_movement(officer, department)


@pytest.fixture
def launched(officer, department):
    movement = make_movement(
        officer,
        department,
        title="Thi đua “Đổi mới, sáng tạo” năm 2027",
        start=TODAY - datetime.timedelta(days=30),
        end=TODAY + datetime.timedelta(days=300),
        registration_deadline=TODAY + datetime.timedelta(days=10),
    )
    return launch(officer, movement)


# ---------------------------------------------------------------- the list


def test_list_shows_the_movements_of_the_users_scope(
    officer_client, officer, department, other_department, outsider
):
    make_movement(officer, department)
    make_movement(outsider, other_department, title="Phong trào ngành y tế")

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert titles(response) == ["Thi đua yêu nước giai đoạn 2020–2025"]
    assert CREATE in response.content.decode()


def test_list_shows_participants_launched_movements_but_not_drafts(
    staff_client, officer, department, launched
):
    make_movement(officer, department, title="Dự thảo chưa phát động")

    response = staff_client.get(LIST)

    assert titles(response) == ["Thi đua “Đổi mới, sáng tạo” năm 2027"]
    assert CREATE not in response.content.decode()


def test_list_is_empty_for_an_outsider_with_a_clear_message(outsider_client, launched):
    response = outsider_client.get(LIST)

    assert titles(response) == []
    assert "Chưa có phong trào thi đua nào trong phạm vi của bạn." in response.content.decode()


def test_list_indents_rounds_under_their_movement(officer_client, officer, department):
    five_years = make_movement(
        officer,
        department,
        title="Thi đua yêu nước 2015–2020",
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2020, 12, 31),
        registration_deadline=None,
    )
    for year in (2016, 2015):
        make_movement(
            officer,
            department,
            title=f"Đợt thi đua năm {year}",
            kind="theo_dot",
            parent=five_years,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
            registration_deadline=None,
        )
    make_movement(officer, department)

    response = officer_client.get(LIST)

    assert titles(response) == [
        "Thi đua yêu nước giai đoạn 2020–2025",
        "Thi đua yêu nước 2015–2020",
        "Đợt thi đua năm 2015",
        "Đợt thi đua năm 2016",
    ]
    rows = response.context["page"].object_list
    assert [row.show_parent for row in rows] == [False, False, False, False]
    assert response.content.decode().count("↳") == 2


def test_list_filters_and_searches_without_accents(officer_client, officer, department, office):
    make_movement(officer, department)
    make_movement(
        officer,
        office,
        title="Chuyên đề cải cách hành chính",
        kind="chuyen_de",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 12, 31),
        registration_deadline=None,
    )
    launch(officer, Movement.objects.get(title="Thi đua yêu nước giai đoạn 2020–2025"))

    assert titles(officer_client.get(LIST, {"status": "launched"})) == [
        "Thi đua yêu nước giai đoạn 2020–2025"
    ]
    assert titles(officer_client.get(LIST, {"kind": "chuyen_de"})) == ["Chuyên đề cải cách hành chính"]
    assert titles(officer_client.get(LIST, {"year": 2022})) == ["Thi đua yêu nước giai đoạn 2020–2025"]
    assert titles(officer_client.get(LIST, {"unit": "SKHCN_VP"})) == ["Chuyên đề cải cách hành chính"]
    assert titles(officer_client.get(LIST, {"q": "cai cach HANH chinh"})) == ["Chuyên đề cải cách hành chính"]
    response = officer_client.get(LIST, {"q": "khong co"})
    assert "Không có phong trào nào khớp với bộ lọc." in response.content.decode()


def test_list_answers_htmx_with_the_results_only(officer_client, draft):
    response = officer_client.get(LIST, {"q": "yeu nuoc"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "Thi đua yêu nước giai đoạn 2020–2025" in content


def test_list_query_count_does_not_grow_with_rows(officer_client, officer, department):
    make_movement(officer, department)
    with CaptureQueriesContext(connection) as one:
        officer_client.get(LIST)
    parent = make_movement(
        officer,
        department,
        title="Thi đua 2015–2020",
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2020, 12, 31),
        registration_deadline=None,
    )
    make_movement(
        officer,
        department,
        title="Đợt 2016",
        parent=parent,
        start=datetime.date(2016, 1, 1),
        end=datetime.date(2016, 12, 31),
        registration_deadline=None,
    )

    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(LIST)

    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


def test_list_requires_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# ---------------------------------------------------------------- create


def test_create_saves_every_field_and_audits(officer_client, officer, department, office2):
    basis = make_document(department)
    data = form_data(
        department,
        planned_awards=["TTLDTT", "GIAY_KHEN"],
        legal_bases=[basis.pk],
        participation="chosen",
        chosen_units=[office2.pk],
    )

    response = officer_client.post(CREATE, data)

    assert response.status_code == 302
    movement = Movement.objects.get()
    assert response.url == detail_url(movement)
    assert (
        movement.title,
        movement.kind,
        movement.status,
        movement.start,
        movement.registration_deadline,
    ) == (
        "Thi đua “Chuyển đổi số” năm 2027",
        "chuyen_de",
        "draft",
        datetime.date(2027, 1, 1),
        datetime.date(2027, 2, 15),
    )
    assert [task.text for task in movement.tasks.all()] == [
        "Số hóa hồ sơ lưu trữ",
        "Dịch vụ công trực tuyến toàn trình",
        "Chữ ký số",
    ]
    assert [(c.name, str(c.max_points)) for c in movement.criteria.all()] == [
        ("Hoàn thành nhiệm vụ chuyên môn", "60.00"),
        ("Cải cách hành chính", "25.50"),
    ]
    assert sorted(a.code for a in movement.planned_awards.all()) == ["GIAY_KHEN", "TTLDTT"]
    assert list(movement.legal_bases.all()) == [basis]
    assert list(movement.chosen_units.all()) == [office2]
    assert (
        AuditEntry.objects.filter(
            content_type__model="movement", object_id=str(movement.pk), action="create"
        ).count()
        == 1
    )


def test_create_reports_grid_mistakes_with_their_line_numbers(officer_client, department):
    data = form_data(
        department, criteria="Chuyên môn | 60\nKhông có điểm\nCải cách | mười\n | 5\nKỷ luật | -3\n"
    )

    response = officer_client.post(CREATE, data)

    assert response.status_code == 400
    assert response.context["form"].errors["criteria"] == [
        "Dòng 2: thiếu dấu “|” giữa tiêu chí và điểm tối đa.",
        "Dòng 3: điểm tối đa “mười” không phải là số.",
        "Dòng 4: thiếu tên tiêu chí.",
        "Dòng 5: điểm tối đa phải lớn hơn 0.",
    ]
    assert not Movement.objects.exists()


def test_create_checks_dates_and_participation(officer_client, department, other_department):
    data = form_data(department, start="31/12/2027", end="01/01/2027", participation="chosen")

    response = officer_client.post(CREATE, data)

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["end"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert errors["chosen_units"] == ["Chọn ít nhất một đơn vị tham gia."]
    content = response.content.decode()
    assert "Vui lòng sửa các lỗi được đánh dấu bên dưới." in content


def test_create_refuses_a_launching_unit_outside_the_users_scope(officer_client, other_department):
    response = officer_client.post(CREATE, form_data(other_department))

    assert response.status_code == 400
    assert response.context["form"].errors["launching_unit"] == [
        "Đơn vị không hợp lệ hoặc ngoài phạm vi quản lý của bạn."
    ]


def test_create_shows_service_errors_on_the_field(officer_client, officer, department):
    parent = make_movement(officer, department)
    data = form_data(department, parent=parent.pk)  # 2027 lies outside 2020–2025

    response = officer_client.post(CREATE, data)

    assert response.status_code == 400
    assert response.context["form"].errors["parent"] == [
        "Đợt thi đua phải nằm trong thời gian của phong trào Thi đua yêu nước giai đoạn 2020–2025 (10/08/2020 – 31/12/2025)."
    ]


def test_create_a_round_starts_from_its_parent(officer_client, draft, department):
    response = officer_client.get(CREATE, {"parent": draft.pk})

    form = response.context["form"]
    assert (form.initial["parent"], form.initial["launching_unit"], form.initial["kind"]) == (
        draft,
        department,
        "theo_dot",
    )


@pytest.mark.parametrize("who", ["staff_client", "manager_client", "auditor_client"])
def test_create_is_forbidden_without_movement_manage(request, who, department):
    client = request.getfixturevalue(who)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(department)).status_code == 403
    assert not Movement.objects.exists()


# ---------------------------------------------------------------- edit


def test_edit_changes_a_draft(officer_client, draft, office):
    data = form_data(
        draft.launching_unit,
        title="Thi đua yêu nước 2020–2025 (sửa)",
        start="10/08/2020",
        end="31/12/2025",
        registration_deadline="30/09/2020",
        tasks="\n".join(SEED_TASKS[:2]),
        criteria="",
    )

    response = officer_client.post(edit_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Thi đua yêu nước 2020–2025 (sửa)"
    assert [task.text for task in draft.tasks.all()] == SEED_TASKS[:2]


def test_edit_form_shows_the_current_values(officer_client, officer, department):
    movement = make_movement(officer, department, criteria=[("Chuyên môn", 60), ("Cải cách", 2.5)])

    form = officer_client.get(edit_url(movement)).context["form"]

    assert form.initial["criteria"] == "Chuyên môn | 60\nCải cách | 2,5"
    assert form.initial["tasks"] == "\n".join(SEED_TASKS)


def test_edit_of_a_launched_movement_keeps_its_structure_with_the_services_message(officer_client, launched):
    data = form_data(
        launched.launching_unit,
        title=launched.title,
        kind=launched.kind,
        start=(launched.start - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        end=launched.end.strftime("%d/%m/%Y"),
        registration_deadline=launched.registration_deadline.strftime("%d/%m/%Y"),
        tasks="\n".join(SEED_TASKS),
        criteria="",
    )

    response = officer_client.post(edit_url(launched), data)

    assert response.status_code == 400
    assert (
        "Phong trào đã phát động: không đổi được đơn vị phát động, ngày bắt đầu hay đơn vị tham gia."
        in response.content.decode()
    )
    assert Movement.objects.get(pk=launched.pk).start == launched.start


def test_edit_of_a_launched_movement_accepts_other_changes(officer_client, launched):
    data = form_data(
        launched.launching_unit,
        title="Tên mới",
        kind=launched.kind,
        start=launched.start.strftime("%d/%m/%Y"),
        end=launched.end.strftime("%d/%m/%Y"),
        registration_deadline=launched.registration_deadline.strftime("%d/%m/%Y"),
        purpose=launched.purpose,
        content=launched.content,
        tasks="\n".join(SEED_TASKS),
        criteria="",
    )

    response = officer_client.post(edit_url(launched), data)

    assert response.status_code == 302
    assert Movement.objects.get(pk=launched.pk).title == "Tên mới"


def test_edit_of_a_closed_movement_is_refused_by_the_service(officer_client, officer, launched):
    services.movement_transition(actor=officer, movement=launched, to="closed", note="Đã tổng kết")
    data = form_data(
        launched.launching_unit,
        title="Sửa sau tổng kết",
        start=launched.start.strftime("%d/%m/%Y"),
        end=launched.end.strftime("%d/%m/%Y"),
    )

    response = officer_client.post(edit_url(launched), data)

    assert response.status_code == 400
    assert "Phong trào đã tổng kết, không sửa được nữa." in response.content.decode()


def test_edit_is_forbidden_to_a_participant_and_hidden_from_an_outsider(
    staff_client, outsider_client, launched
):
    assert staff_client.get(edit_url(launched)).status_code == 403
    assert staff_client.post(edit_url(launched), {"title": "x"}).status_code == 403
    assert outsider_client.get(edit_url(launched)).status_code == 404


# ---------------------------------------------------------------- the movement's page and dashboard


def test_detail_shows_the_facts_and_the_transition_buttons(officer_client, officer, department):
    basis = make_document(department)
    movement = make_movement(
        officer,
        department,
        criteria=[("Chuyên môn", 60), ("Cải cách", 40)],
        planned_awards=awards("TTLDTT", "GIAY_KHEN"),
        legal_bases=[basis],
    )

    response = officer_client.get(detail_url(movement))

    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Thi đua yêu nước giai đoạn 2020–2025",
        "10/08/2020 – 31/12/2025",
        SEED_TASKS[0],
        "Tập thể lao động tiên tiến",
        "204/KH-UBND",
        "Phát động phong trào",
        reverse("movements:movement_transition", args=[movement.pk]),
        edit_url(movement),
    ):
        assert text in content
    assert response.context["criteria_total"] == 100


def test_detail_lets_a_participant_view_without_managing(staff_client, launched):
    response = staff_client.get(detail_url(launched))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("movements:movement_transition", args=[launched.pk]) not in content
    assert edit_url(launched) not in content
    assert reverse("movements:attachment_add", args=[launched.pk]) not in content


def test_detail_hides_drafts_from_participants_and_everything_from_outsiders(
    staff_client, outsider_client, draft, launched
):
    assert staff_client.get(detail_url(draft)).status_code == 404
    assert outsider_client.get(detail_url(launched)).status_code == 404
    assert staff_client.get(reverse("movements:movement_detail", args=[999999])).status_code == 404


def test_detail_dashboard_counts_registrations_reviews_and_days_left(
    officer_client, officer, launched, department, office, office2, staff_person
):
    services.registration_submit(actor=officer, movement=launched, unit=office, awards=awards("TTLDTT"))
    services.registration_submit(actor=officer, movement=launched, person=staff_person, awards=awards("LDTT"))
    request = services.review_request_create(
        actor=officer,
        movement=launched,
        kind="so_ket",
        title="Sơ kết 6 tháng",
        period_start=launched.start,
        period_end=TODAY,
        deadline=TODAY - datetime.timedelta(days=2),
    )
    services.review_report_submit(actor=officer, request=request, unit=office2, registrations_met=1)

    response = officer_client.get(detail_url(launched))

    dashboard = response.context["dashboard"]
    assert dashboard.unit_count == 3
    assert (dashboard.registered_units, dashboard.people_registered, dashboard.registration_count) == (
        1,
        1,
        2,
    )
    assert [unit.code for unit in dashboard.unregistered] == ["SKHCN", "SKHCN_QLKH"]
    assert [
        (row.unit.code, row.registered_collective, row.registered_people, row.reported)
        for row in dashboard.units
    ] == [
        ("SKHCN", False, 0, [False]),
        ("SKHCN_VP", True, 1, [False]),
        ("SKHCN_QLKH", False, 0, [True]),
    ]
    assert dashboard.registration_due.days == 10
    review = dashboard.reviews[0]
    assert (review.reported, [unit.code for unit in review.missing], review.due.days, review.due.overdue) == (
        1,
        ["SKHCN", "SKHCN_VP"],
        -2,
        True,
    )
    content = response.content.decode()
    assert '<span class="badge badge-no">quá hạn 2 ngày</span>' in content
    assert '<span class="badge">còn 10 ngày</span>' in content


def _participating(officer, department, count):
    units = [
        make_unit(f"Phòng số {index}", parent=department, code=f"P{count}_{index}") for index in range(count)
    ]
    movement = make_movement(
        officer,
        department,
        title=f"Phong trào {count}",
        participation="chosen",
        chosen_units=units,
        start=TODAY - datetime.timedelta(days=30),
        end=TODAY + datetime.timedelta(days=300),
        registration_deadline=TODAY + datetime.timedelta(days=10),
        criteria=[("Chuyên môn", 100)],
        planned_awards=awards("TTLDTT"),
        legal_bases=[make_document(department, number=f"{count}/KH-SKHCN")],
    )
    movement = launch(officer, movement)
    request = services.review_request_create(
        actor=officer,
        movement=movement,
        kind="so_ket",
        title="Sơ kết",
        period_start=movement.start,
        period_end=TODAY,
        deadline=TODAY + datetime.timedelta(days=5),
    )
    for unit in units:
        services.registration_submit(actor=officer, movement=movement, unit=unit, awards=awards("TTLDTT"))
        services.review_report_submit(actor=officer, request=request, unit=unit, titles_achieved=1)
    return movement


def test_detail_query_count_does_not_grow_with_participating_units(officer_client, officer, department):
    one = _participating(officer, department, 1)
    three = _participating(officer, department, 3)

    with CaptureQueriesContext(connection) as small:
        response_one = officer_client.get(detail_url(one))
    with CaptureQueriesContext(connection) as large:
        response_three = officer_client.get(detail_url(three))

    assert (
        response_one.context["dashboard"].registered_units,
        response_three.context["dashboard"].registered_units,
    ) == (1, 3)
    assert len(large) == len(small)


# ---------------------------------------------------------------- attachments


def test_attachment_upload_and_download(officer_client, staff_client, outsider_client, launched):
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", content_type="application/pdf")

    response = officer_client.post(
        reverse("movements:attachment_add", args=[launched.pk]),
        {"title": "Kế hoạch của tỉnh", "file": upload},
    )

    assert response.status_code == 302
    attachment = MovementAttachment.objects.get()
    assert (attachment.title, attachment.movement) == ("Kế hoạch của tỉnh", launched)
    url = reverse("movements:attachment_file", args=[launched.pk, attachment.pk])
    download = staff_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ke hoach"
    assert outsider_client.get(url).status_code == 404


def test_attachment_of_another_movement_is_not_served_through_this_one(
    officer_client, officer, department, launched, draft
):
    upload = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
    officer_client.post(reverse("movements:attachment_add", args=[draft.pk]), {"file": upload})
    attachment = MovementAttachment.objects.get()

    assert attachment.title == "a"
    assert (
        officer_client.get(
            reverse("movements:attachment_file", args=[launched.pk, attachment.pk])
        ).status_code
        == 404
    )


def test_attachment_refuses_other_file_kinds(officer_client, launched):
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")

    response = officer_client.post(reverse("movements:attachment_add", args=[launched.pk]), {"file": upload})

    assert response.status_code == 400
    assert "Chỉ nhận tệp" in response.content.decode()
    assert not MovementAttachment.objects.exists()


def test_attachment_upload_is_forbidden_to_a_participant(staff_client, launched):
    upload = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
    assert (
        staff_client.post(
            reverse("movements:attachment_add", args=[launched.pk]), {"file": upload}
        ).status_code
        == 403
    )
    assert not MovementAttachment.objects.exists()


# ---------------------------------------------------------------- the common dashboard


def test_dashboard_lists_open_deadlines_and_ongoing_movements(manager_client, officer, department, office):
    movement = make_movement(
        officer,
        department,
        title="Phong trào đang chạy",
        start=TODAY - datetime.timedelta(days=60),
        end=TODAY + datetime.timedelta(days=300),
        registration_deadline=TODAY - datetime.timedelta(days=3),
    )
    launch(officer, movement)

    response = manager_client.get(reverse("common:dashboard"))

    assert [(d.unit, d.due.days) for d in response.context["deadlines"]] == [(office, -3)]
    assert [m.title for m in response.context["ongoing_movements"]] == ["Phong trào đang chạy"]
    content = response.content.decode()
    assert "Thời hạn" in content
    assert '<span class="badge badge-no">quá hạn 3 ngày</span>' in content


def test_dashboard_deadline_card_is_empty_for_an_outsider(outsider_client, launched):
    response = outsider_client.get(reverse("common:dashboard"))

    assert response.context["deadlines"] == []
    assert response.context["ongoing_movements"] == []
    assert "Không có việc nào đang chờ đến hạn." in response.content.decode()


def test_detail_links_each_persona_to_the_registration_and_review_pages_it_may_open(
    officer_client, manager_client, staff_client, officer, launched
):
    request = services.review_request_create(
        actor=officer,
        movement=launched,
        kind="so_ket",
        title="Sơ kết 6 tháng",
        period_start=launched.start,
        period_end=TODAY,
        deadline=TODAY + datetime.timedelta(days=5),
    )
    unit_page = reverse("movements:registration_unit", args=[launched.pk])
    self_page = reverse("movements:registration_self", args=[launched.pk])
    overview = reverse("movements:registration_overview", args=[launched.pk])
    consolidated = reverse("movements:review_detail", args=[request.pk])
    submit = reverse("movements:review_submit", args=[request.pk])

    officer_page = officer_client.get(detail_url(launched)).content.decode()
    manager_page = manager_client.get(detail_url(launched)).content.decode()
    staff_page = staff_client.get(detail_url(launched)).content.decode()

    assert all(
        link in officer_page
        for link in (
            unit_page,
            overview,
            consolidated,
            submit,
            reverse("movements:review_request_create", args=[launched.pk]),
        )
    )
    assert (
        unit_page in manager_page,
        submit in manager_page,
        overview in manager_page,
        consolidated in manager_page,
    ) == (True, True, False, False)
    assert (
        self_page in staff_page,
        unit_page in staff_page,
        submit in staff_page,
        overview in staff_page,
    ) == (True, False, False, False)
