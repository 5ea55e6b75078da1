"""Cluster pages: list, create and edit, the cluster's page with covenant and ranking, the scoring
grid, the Excel ranking and the yearly rotation."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_unit, make_user
from tests.movements.test_clusters_services import (
    make_cluster,
    make_construction,
    make_finance,
    make_movement,
    member_of,
)
from thidua.movements import services_clusters as clusters
from thidua.movements.models import Cluster, ClusterMember, ClusterScore

LIST = reverse("movements:cluster_list")
CREATE = reverse("movements:cluster_create")


def _url(name, cluster, *args):
    return reverse(f"movements:{name}", args=[cluster.pk, *args])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def finance(province):
    return make_finance(province)


@pytest.fixture
def construction(province):
    return make_construction(province)


@pytest.fixture
def movement(province):
    return make_movement(province)


@pytest.fixture
def criteria(movement):
    return list(movement.criteria.order_by("order"))


@pytest.fixture
def cluster(admin_user, province, department, other_department, finance, construction, movement):
    return make_cluster(admin_user, province, [department, other_department, finance, construction], movement)


@pytest.fixture
def finance_manager(finance):
    return make_user("truongphong_stc", role="unit_manager", unit=finance)


@pytest.fixture
def bloc(officer, department, office, office2):
    """A bloc organized by the department: only the department's people see it."""
    return clusters.cluster_create(
        actor=officer,
        name="Khối các phòng",
        kind="khoi",
        year=2024,
        organizer=department,
        members=[office, office2],
        head_unit=office,
    )


# ---------------------------------------------------------------- list


def test_cluster_list_shows_clusters_organized_or_joined(officer_client, cluster, bloc):
    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [cluster, bloc]
    html = response.content.decode()
    assert "Cụm thi đua các sở" in html and "Khối các phòng" in html


def test_cluster_list_hides_other_organizers_clusters(outsider_client, cluster, bloc):
    response = outsider_client.get(LIST)
    assert list(response.context["page"].object_list) == [cluster]


def test_cluster_list_filters_by_year_kind_and_organizer(officer_client, admin_user, cluster, bloc):
    later = clusters.cluster_rotate_head(actor=admin_user, cluster=cluster, next_year=2025)

    assert list(officer_client.get(LIST, {"year": 2025}).context["page"].object_list) == [later]
    assert list(officer_client.get(LIST, {"kind": "khoi"}).context["page"].object_list) == [bloc]
    assert list(officer_client.get(LIST, {"organizer": "SKHCN"}).context["page"].object_list) == [bloc]
    assert list(officer_client.get(LIST, {"q": "các phòng"}).context["page"].object_list) == [bloc]


def test_cluster_list_empty_state(staff_client):
    response = staff_client.get(LIST)
    assert response.status_code == 200
    assert "Đơn vị của bạn chưa tổ chức hay tham gia cụm, khối thi đua nào." in response.content.decode()


def test_cluster_list_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302


def test_cluster_list_query_count_does_not_grow(
    admin_client_, admin_user, province, department, other_department
):
    clusters.cluster_create(
        actor=admin_user,
        name="Cụm 1",
        kind="cum",
        year=2024,
        organizer=province,
        members=[department, other_department],
    )
    with CaptureQueriesContext(connection) as one:
        assert admin_client_.get(LIST).status_code == 200
    for index in (2, 3):
        units = [make_unit(f"Xã {index}{letter}", parent=province, kind="xa") for letter in "AB"]
        clusters.cluster_create(
            actor=admin_user,
            name=f"Cụm {index}",
            kind="cum",
            year=2024,
            organizer=province,
            members=units,
            head_unit=units[0],
            deputy_head_unit=units[1],
        )
    with CaptureQueriesContext(connection) as many:
        response = admin_client_.get(LIST)
    assert len(response.context["page"].object_list) == 3
    assert len(many) == len(one)


# ---------------------------------------------------------------- create and edit


def test_cluster_create_page_lists_the_organizers_subunits(officer_client, department, office, office2):
    response = officer_client.get(CREATE)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["members"].queryset) == [office, office2]
    assert response.context["organizer"] == department


def test_cluster_create_makes_the_cluster(admin_client_, province, department, other_department, movement):
    response = admin_client_.post(
        f"{CREATE}?organizer=UBND_TG",
        {
            "name": "Cụm thi đua các sở",
            "kind": "cum",
            "year": "2024",
            "movement": str(movement.pk),
            "members": [str(department.pk), str(other_department.pk)],
            "head_unit": str(other_department.pk),
            "deputy_head_unit": str(department.pk),
        },
    )

    created = Cluster.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("cluster_detail", created)
    assert (created.organizer, created.head_unit, created.deputy_head_unit, created.movement) == (
        province,
        other_department,
        department,
        movement,
    )


def test_cluster_create_shows_the_services_errors(admin_client_, department):
    response = admin_client_.post(
        f"{CREATE}?organizer=UBND_TG",
        {
            "name": "Cụm",
            "kind": "cum",
            "year": "2024",
            "members": [str(department.pk)],
            "head_unit": str(department.pk),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "members": ["Cụm, khối thi đua cần ít nhất 2 đơn vị thành viên."]
    }
    assert Cluster.objects.count() == 0


def test_cluster_create_refuses_a_member_outside_the_chosen_organizer(
    officer_client, office, other_department
):
    response = officer_client.post(
        f"{CREATE}?organizer=SKHCN",
        {
            "name": "Khối",
            "kind": "khoi",
            "year": "2024",
            "members": [str(office.pk), str(other_department.pk)],
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["members"]


def test_cluster_create_is_forbidden_without_cluster_manage(manager_client, staff_client):
    assert manager_client.get(CREATE).status_code == 403
    assert staff_client.post(CREATE, {"name": "Cụm"}).status_code == 403


def test_cluster_create_refuses_an_organizer_out_of_reach(officer_client):
    response = officer_client.get(CREATE, {"organizer": "UBND_TG"})
    assert response.status_code == 400
    assert response.context["pick"].errors == {
        "organizer": ["Đơn vị không hợp lệ hoặc bạn không được tổ chức cụm, khối thi đua tại đó."]
    }


def test_cluster_edit_saves_the_changes(
    admin_client_, cluster, department, other_department, finance, construction
):
    response = admin_client_.post(
        _url("cluster_edit", cluster),
        {
            "name": "Cụm thi đua khối kinh tế",
            "kind": "cum",
            "year": "2024",
            "movement": str(cluster.movement_id),
            "members": [str(unit.pk) for unit in (department, other_department, finance)],
            "head_unit": str(finance.pk),
            "deputy_head_unit": "",
        },
    )

    assert response.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.name, cluster.head_unit, cluster.deputy_head_unit) == (
        "Cụm thi đua khối kinh tế",
        finance,
        None,
    )
    assert cluster.members.count() == 3


def test_cluster_edit_is_forbidden_to_a_member_and_hidden_from_others(
    officer_client, outsider_client, cluster, bloc
):
    assert officer_client.get(_url("cluster_edit", cluster)).status_code == 403
    assert outsider_client.get(_url("cluster_edit", bloc)).status_code == 404


# ---------------------------------------------------------------- the cluster's page


def test_cluster_detail_shows_members_covenant_and_ranking(
    admin_user, officer_client, cluster, criteria, department, other_department
):
    clusters.covenant_set(
        actor=admin_user, cluster=cluster, text="Cùng nhau hoàn thành xuất sắc nhiệm vụ năm 2024."
    )
    for criterion, value in zip(criteria, (50, 20, 5), strict=True):
        clusters.score_set(
            actor=admin_user,
            member=member_of(cluster, other_department),
            criterion=criterion,
            final_score=value,
        )

    response = officer_client.get(_url("cluster_detail", cluster))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cùng nhau hoàn thành xuất sắc nhiệm vụ năm 2024." in html
    assert [(row.unit.code, row.rank) for row in response.context["ranking"]][:2] == [
        ("SYT", 1),
        ("SKHCN", None),
    ]
    signable = [row.unit.code for row in response.context["members"] if row.can_sign]
    assert signable == ["SKHCN"]
    assert html.count("Ký giao ước</button>") == 1
    assert "chưa đủ điểm" in html
    assert response.context["can_manage"] is False


def test_cluster_detail_is_hidden_outside_the_users_sight(outsider_client, bloc):
    assert outsider_client.get(_url("cluster_detail", bloc)).status_code == 404


def test_cluster_sign_signs_for_the_users_unit(admin_user, officer, officer_client, cluster, department):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước.")

    response = officer_client.post(_url("cluster_sign", cluster, member_of(cluster, department).pk))

    assert response.status_code == 302
    assert member_of(cluster, department).covenant_signed_by == officer


def test_cluster_sign_is_forbidden_for_another_units_member(admin_user, officer_client, cluster, finance):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước.")
    response = officer_client.post(_url("cluster_sign", cluster, member_of(cluster, finance).pk))
    assert response.status_code == 403
    assert member_of(cluster, finance).covenant_signed_at is None


def test_cluster_sign_twice_says_it_is_signed(admin_user, officer_client, cluster, department):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước.")
    url = _url("cluster_sign", cluster, member_of(cluster, department).pk)
    officer_client.post(url)

    response = officer_client.post(url, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert messages[-1].startswith("Sở Khoa học và Công nghệ đã ký giao ước lúc ")


def test_cluster_covenant_saves_text_day_and_file(admin_client_, cluster):
    scan = SimpleUploadedFile("giao-uoc.pdf", b"%PDF-1.4 giao uoc", content_type="application/pdf")
    response = admin_client_.post(
        _url("cluster_covenant", cluster),
        {
            "covenant_text": "Giao ước thi đua năm 2024.",
            "covenant_signed_on": "20/02/2024",
            "covenant_file": scan,
        },
    )

    assert response.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.covenant_text, cluster.covenant_signed_on) == (
        "Giao ước thi đua năm 2024.",
        datetime.date(2024, 2, 20),
    )
    download = admin_client_.get(_url("cluster_covenant_file", cluster))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 giao uoc"


def test_cluster_covenant_refuses_other_files(admin_client_, cluster):
    response = admin_client_.post(
        _url("cluster_covenant", cluster),
        {"covenant_text": "Giao ước.", "covenant_file": SimpleUploadedFile("a.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"covenant_file": ["Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX."]}


def test_cluster_covenant_is_forbidden_to_members(officer_client, outsider_client, cluster, bloc):
    assert (
        officer_client.post(_url("cluster_covenant", cluster), {"covenant_text": "Khác"}).status_code == 403
    )
    assert outsider_client.get(_url("cluster_covenant_file", bloc)).status_code == 404


def test_cluster_rotate_creates_next_years_cluster(admin_client_, cluster, finance, other_department):
    response = admin_client_.post(_url("cluster_rotate", cluster))

    later = Cluster.objects.get(year=2025)
    assert response.status_code == 302
    assert response["Location"] == _url("cluster_detail", later)
    # Head this year: Sở Khoa học và Công nghệ; next in name order: Sở Tài chính, then Sở Xây dựng.
    assert (later.head_unit.code, later.deputy_head_unit.code) == ("STC", "SXD")


def test_cluster_rotate_is_forbidden_to_members(officer_client, cluster):
    assert officer_client.post(_url("cluster_rotate", cluster)).status_code == 403
    assert Cluster.objects.count() == 1


def test_cluster_rotate_answers_only_post(admin_client_, cluster):
    assert admin_client_.get(_url("cluster_rotate", cluster)).status_code == 405


# ---------------------------------------------------------------- scores


def _cell(member, criterion, field):
    return f"m{member.pk}_c{criterion.pk}_{field}"


def test_cluster_scores_offers_each_user_their_own_columns(
    officer_client, finance_manager, cluster, criteria, department, finance
):
    grid = officer_client.get(_url("cluster_scores", cluster)).context["grid"]
    department_member, finance_member = member_of(cluster, department), member_of(cluster, finance)
    # The head's officer: its own self-score and everyone's review score; no final score.
    assert _cell(department_member, criteria[0], "self_score") in grid.fields
    assert _cell(finance_member, criteria[0], "review_score") in grid.fields
    assert _cell(finance_member, criteria[0], "self_score") not in grid.fields
    assert not any(name.endswith("final_score") for name in grid.fields)

    grid = _client(finance_manager).get(_url("cluster_scores", cluster)).context["grid"]
    assert sorted(grid.fields) == sorted(
        _cell(finance_member, criterion, "self_score") for criterion in criteria
    )


def test_cluster_scores_saves_the_changed_cells(admin_client_, cluster, criteria, finance):
    member = member_of(cluster, finance)
    response = admin_client_.post(
        _url("cluster_scores", cluster),
        {_cell(member, criteria[0], "final_score"): "58,5", _cell(member, criteria[2], "review_score"): "7"},
    )

    assert response.status_code == 302
    assert sorted(ClusterScore.objects.values_list("criterion__order", "review_score", "final_score")) == [
        (1, None, Decimal("58.50")),
        (3, Decimal("7.00"), None),
    ]


def test_cluster_scores_saves_nothing_when_a_cell_is_refused(
    admin_client_, cluster, criteria, finance, department
):
    response = admin_client_.post(
        _url("cluster_scores", cluster),
        {
            _cell(member_of(cluster, finance), criteria[0], "final_score"): "58",
            _cell(member_of(cluster, department), criteria[1], "final_score"): "26",
            _cell(member_of(cluster, department), criteria[2], "final_score"): "bảy",
        },
    )

    assert response.status_code == 400
    assert response.context["grid"].errors == {
        _cell(member_of(cluster, department), criteria[2], "final_score"): ["Nhập một số, ví dụ 7,5."],
    }
    response = admin_client_.post(
        _url("cluster_scores", cluster),
        {
            _cell(member_of(cluster, finance), criteria[0], "final_score"): "58",
            _cell(member_of(cluster, department), criteria[1], "final_score"): "26",
        },
    )
    assert response.status_code == 400
    assert response.context["grid"].errors == {
        _cell(member_of(cluster, department), criteria[1], "final_score"): [
            "Điểm tiêu chí “Cải cách hành chính” phải từ 0 đến 25."
        ],
    }
    assert "Chưa có điểm nào được lưu." in response.content.decode()
    assert ClusterScore.objects.count() == 0


def test_cluster_scores_ignores_cells_the_user_may_not_edit(
    finance_manager, cluster, criteria, department, finance
):
    response = _client(finance_manager).post(
        _url("cluster_scores", cluster),
        {
            _cell(member_of(cluster, finance), criteria[0], "self_score"): "55",
            _cell(member_of(cluster, department), criteria[0], "final_score"): "60",
        },
    )
    assert response.status_code == 302
    assert list(ClusterScore.objects.values_list("member__unit__code", "self_score", "final_score")) == [
        ("STC", Decimal("55.00"), None)
    ]


def test_cluster_scores_post_is_forbidden_without_any_column(manager, cluster, criteria, finance):
    response = _client(manager).post(
        _url("cluster_scores", cluster), {_cell(member_of(cluster, finance), criteria[0], "self_score"): "1"}
    )
    assert response.status_code == 403
    assert ClusterScore.objects.count() == 0


def test_cluster_scores_is_hidden_outside_the_users_sight(outsider_client, bloc):
    assert outsider_client.get(_url("cluster_scores", bloc)).status_code == 404


def test_cluster_scores_query_count_does_not_grow_with_members(
    admin_user, admin_client_, province, movement, criteria
):
    def make(name, count):
        units = [make_unit(f"{name} {index}", parent=province, kind="xa") for index in range(count)]
        made = clusters.cluster_create(
            actor=admin_user,
            name=name,
            kind="cum",
            year=2024,
            organizer=province,
            movement=movement,
            members=units,
            head_unit=units[0],
        )
        for membership in made.members.all():
            clusters.score_set(
                actor=admin_user, member=membership, criterion=criteria[0], self_score=10, final_score=10
            )
        return made

    small, large = make("Cụm hai xã", 2), make("Cụm bốn xã", 4)
    with CaptureQueriesContext(connection) as two:
        assert admin_client_.get(_url("cluster_scores", small)).status_code == 200
    with CaptureQueriesContext(connection) as four:
        response = admin_client_.get(_url("cluster_scores", large))
    assert len(response.context["grid"].grid) == 4
    assert len(four) == len(two)
    with CaptureQueriesContext(connection) as two:
        admin_client_.get(_url("cluster_detail", small))
    with CaptureQueriesContext(connection) as four:
        admin_client_.get(_url("cluster_detail", large))
    assert len(four) == len(two)


def test_cluster_ranking_export_has_ranks_and_totals(
    admin_user, officer_client, cluster, criteria, department, finance
):
    for unit, values in ((department, (50, 20, 5)), (finance, (55, 20, 7.5))):
        for criterion, value in zip(criteria, values, strict=True):
            clusters.score_set(
                actor=admin_user, member=member_of(cluster, unit), criterion=criterion, final_score=value
            )

    response = officer_client.get(_url("cluster_ranking_export", cluster))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Kết quả chấm điểm, xếp hạng Cụm thi đua các sở năm 2024"] + [None] * 9
    assert rows[1] == [
        "Hạng",
        "Đơn vị",
        "Mã đơn vị",
        "Thực hiện nhiệm vụ chuyên môn (60)",
        "Cải cách hành chính (25)",
        "Công tác thi đua, khen thưởng (7,5)",
        "Tổng tự chấm",
        "Tổng cụm, khối chấm",
        "Tổng điểm chính thức",
        "Ghi chú",
    ]
    assert rows[2] == [1, "Sở Tài chính", "STC", 55, 20, 7.5, None, None, 82.5, None]
    assert rows[3] == [2, "Sở Khoa học và Công nghệ", "SKHCN", 50, 20, 5, None, None, 75, None]
    assert rows[4][:3] == [None, "Sở Xây dựng", "SXD"] and rows[4][-1] == "chưa đủ điểm"


def test_cluster_ranking_export_is_hidden_outside_the_users_sight(outsider_client, bloc):
    assert outsider_client.get(_url("cluster_ranking_export", bloc)).status_code == 404


def test_cluster_member_manager_sees_the_cluster(finance_manager, cluster):
    assert _client(finance_manager).get(_url("cluster_detail", cluster)).status_code == 200
    assert ClusterMember.objects.filter(cluster=cluster).count() == 4


def test_cluster_pages_need_login(cluster):
    response = Client().get(_url("cluster_detail", cluster))
    assert response.status_code == 302


def test_cluster_create_for_a_department_by_a_new_officer(department, office, office2):
    user = make_user("thiduakhoi", role="officer", unit=department)
    response = _client(user).post(
        f"{CREATE}?organizer=SKHCN",
        {
            "name": "Khối các phòng",
            "kind": "khoi",
            "year": "2024",
            "members": [str(office.pk), str(office2.pk)],
            "head_unit": str(office2.pk),
        },
    )
    assert response.status_code == 302
    assert Cluster.objects.get().head_unit == office2
