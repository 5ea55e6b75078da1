"""Cluster services: membership rules, rotation of the head, the covenant, scores and the ranking."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_unit, make_user
from thidua.common.models import AuditAction, AuditEntry
from thidua.movements import selectors
from thidua.movements import services_clusters as clusters
from thidua.movements.models import Cluster, ClusterMember, ClusterScore
from thidua.movements.services import movement_create

# ---------------------------------------------------------------- the setting
# The province organizes a cluster of four departments for 2024, scored on the 2021–2025 movement's grid.


def make_finance(province):
    return make_unit("Sở Tài chính", parent=province, kind="so_nganh", code="STC", short_name="STC")


def make_construction(province):
    return make_unit("Sở Xây dựng", parent=province, kind="so_nganh", code="SXD", short_name="SXD")


def make_movement(province):
    return movement_create(
        actor=None,
        title="Phong trào thi đua yêu nước giai đoạn 2021–2025",
        kind="thuong_xuyen",
        launching_unit=province,
        start=datetime.date(2021, 1, 1),
        end=datetime.date(2025, 12, 31),
        content="Thi đua hoàn thành xuất sắc nhiệm vụ chính trị.",
        criteria=[
            ("Thực hiện nhiệm vụ chuyên môn", Decimal("60")),
            ("Cải cách hành chính", Decimal("25")),
            ("Công tác thi đua, khen thưởng", Decimal("7.5")),
        ],
    )


def make_cluster(admin_user, province, members, movement):
    """Head: the first member (Sở Khoa học và Công nghệ); deputy: the third (Sở Tài chính)."""
    return clusters.cluster_create(
        actor=admin_user,
        name="Cụm thi đua các sở",
        kind="cum",
        year=2024,
        organizer=province,
        movement=movement,
        members=members,
        head_unit=members[0],
        deputy_head_unit=members[2],
    )


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


def member_of(cluster, unit) -> ClusterMember:
    return ClusterMember.objects.get(cluster=cluster, unit=unit)


def audit_of(obj, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk), action=action
    )


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


# ---------------------------------------------------------------- creating


def test_cluster_create_saves_members_head_and_audit(cluster, admin_user, department, finance):
    assert sorted(cluster.members.values_list("unit__code", flat=True)) == ["SKHCN", "STC", "SXD", "SYT"]
    assert (cluster.head_unit, cluster.deputy_head_unit) == (department, finance)
    entry = audit_of(cluster, AuditAction.CREATE).get()
    assert entry.actor == admin_user
    assert entry.changes["members"] == [None, ["SKHCN", "STC", "SXD", "SYT"]]
    assert entry.changes["name"] == [None, "Cụm thi đua các sở"]


def test_cluster_create_refuses_fewer_than_two_members(admin_user, province, department):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Cụm một mình",
            kind="cum",
            year=2024,
            organizer=province,
            members=[department, department],
        )
    assert errors(excinfo) == {"members": ["Cụm, khối thi đua cần ít nhất 2 đơn vị thành viên."]}


def test_cluster_create_refuses_a_member_outside_the_organizer(officer, department, office, other_department):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=officer,
            name="Khối các phòng",
            kind="khoi",
            year=2024,
            organizer=department,
            members=[office, other_department],
        )
    assert errors(excinfo) == {"members": ["Sở Y tế không trực thuộc Sở Khoa học và Công nghệ."]}


def test_cluster_create_refuses_a_superior_with_its_subunit(
    admin_user, province, department, office, other_department
):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Cụm lẫn cấp",
            kind="cum",
            year=2024,
            organizer=province,
            members=[department, office, other_department],
        )
    assert errors(excinfo) == {
        "members": [
            "Văn phòng Sở trực thuộc Sở Khoa học và Công nghệ: thành viên của một cụm, khối phải là các đơn vị "
            "tương đương, không gồm cả cấp trên và cấp dưới."
        ]
    }


def test_cluster_create_refuses_the_organizer_as_member(officer, department, office, office2):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=officer,
            name="Khối các phòng",
            kind="khoi",
            year=2024,
            organizer=department,
            members=[department, office, office2],
        )
    assert errors(excinfo) == {
        "members": ["Sở Khoa học và Công nghệ là đơn vị tổ chức, không đồng thời là thành viên."]
    }


def test_cluster_create_refuses_a_unit_ceased_before_the_year(officer, department, office, office2):
    closed = make_unit(
        "Phòng Thông tin", parent=department, code="SKHCN_TT", valid_to=datetime.date(2022, 6, 30)
    )
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=officer,
            name="Khối các phòng",
            kind="khoi",
            year=2024,
            organizer=department,
            members=[office, office2, closed],
        )
    assert errors(excinfo) == {"members": ["Phòng Thông tin không hoạt động trong năm 2024."]}


def test_cluster_create_refuses_a_unit_already_in_a_cluster_of_the_year(
    cluster, admin_user, province, department, other_department
):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Cụm thứ hai",
            kind="cum",
            year=2024,
            organizer=province,
            members=[department, other_department],
        )
    assert errors(excinfo) == {
        "members": [
            "Sở Khoa học và Công nghệ đã là thành viên của Cụm thi đua các sở năm 2024.",
            "Sở Y tế đã là thành viên của Cụm thi đua các sở năm 2024.",
        ]
    }


def test_cluster_create_allows_the_same_units_in_a_bloc(
    cluster, admin_user, province, department, other_department
):
    bloc = clusters.cluster_create(
        actor=admin_user,
        name="Khối các sở",
        kind="khoi",
        year=2024,
        organizer=province,
        members=[department, other_department],
    )
    assert bloc.members.count() == 2


def test_cluster_create_refuses_head_and_deputy_outside_the_members(
    admin_user, province, department, other_department, finance
):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Khối các sở",
            kind="khoi",
            year=2024,
            organizer=province,
            members=[department, other_department],
            head_unit=finance,
            deputy_head_unit=finance,
        )
    assert errors(excinfo) == {
        "head_unit": ["Khối trưởng phải là một đơn vị thành viên."],
        "deputy_head_unit": ["Khối phó phải là một đơn vị thành viên."],
    }


def test_cluster_create_refuses_the_same_unit_as_head_and_deputy(
    admin_user, province, department, other_department
):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Cụm các sở",
            kind="cum",
            year=2024,
            organizer=province,
            members=[department, other_department],
            head_unit=department,
            deputy_head_unit=department,
        )
    assert errors(excinfo) == {"deputy_head_unit": ["Cụm phó phải là đơn vị khác cụm trưởng."]}


def test_cluster_create_refuses_a_movement_not_running_that_year(
    admin_user, province, department, other_department, movement
):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Cụm các sở",
            kind="cum",
            year=2026,
            organizer=province,
            movement=movement,
            members=[department, other_department],
        )
    assert errors(excinfo) == {
        "movement": [
            "Phong trào “Phong trào thi đua yêu nước giai đoạn 2021–2025” (01/01/2021 – 31/12/2025) không diễn ra "
            "trong năm 2026."
        ]
    }


def test_cluster_create_refuses_a_movement_of_a_lower_unit(
    officer, admin_user, province, department, office, other_department
):
    own = movement_create(
        actor=officer,
        title="Thi đua chuyển đổi số",
        kind="chuyen_de",
        launching_unit=department,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
        content="Chuyển đổi số.",
    )
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="Cụm các sở",
            kind="cum",
            year=2024,
            organizer=province,
            movement=own,
            members=[department, other_department],
        )
    assert errors(excinfo) == {
        "movement": [
            "Phong trào “Thi đua chuyển đổi số” do Sở Khoa học và Công nghệ phát động: không dùng được cho cụm, "
            "khối của Ủy ban nhân dân tỉnh Tiền Giang."
        ]
    }


def test_cluster_create_refuses_a_duplicate_name_for_the_year(cluster, admin_user, province, office, office2):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_create(
            actor=admin_user,
            name="  Cụm thi đua   các sở ",
            kind="khoi",
            year=2024,
            organizer=province,
            members=[office, office2],
        )
    assert errors(excinfo) == {
        "name": ["Ủy ban nhân dân tỉnh Tiền Giang đã có “Cụm thi đua các sở” năm 2024."]
    }


def test_cluster_create_needs_cluster_manage_on_the_organizer(
    officer, manager, province, department, office, office2, other_department
):
    with pytest.raises(PermissionDenied):
        clusters.cluster_create(
            actor=officer,
            name="Cụm",
            kind="cum",
            year=2024,
            organizer=province,
            members=[department, other_department],
        )
    with pytest.raises(PermissionDenied):
        clusters.cluster_create(
            actor=manager,
            name="Khối",
            kind="khoi",
            year=2024,
            organizer=department,
            members=[office, office2],
        )
    assert Cluster.objects.count() == 0


# ---------------------------------------------------------------- updating


def test_cluster_update_changes_members_and_audits_them(cluster, admin_user, construction, other_department):
    clusters.cluster_update(
        actor=admin_user,
        cluster=cluster,
        name="Cụm thi đua các sở kinh tế",
        members=[m.unit for m in cluster.members.exclude(unit=construction)],
        deputy_head_unit=other_department,
    )

    cluster.refresh_from_db()
    assert cluster.name == "Cụm thi đua các sở kinh tế"
    assert sorted(cluster.members.values_list("unit__code", flat=True)) == ["SKHCN", "STC", "SYT"]
    changes = audit_of(cluster, AuditAction.UPDATE).get().changes
    assert changes["members"] == [["SKHCN", "STC", "SXD", "SYT"], ["SKHCN", "STC", "SYT"]]
    assert changes["name"] == ["Cụm thi đua các sở", "Cụm thi đua các sở kinh tế"]


def test_cluster_update_keeps_a_member_that_signed(
    cluster, admin_user, officer, department, other_department, finance
):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước năm 2024.")
    clusters.covenant_sign(actor=officer, member=member_of(cluster, department))

    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_update(
            actor=admin_user,
            cluster=cluster,
            members=[other_department, finance],
            head_unit=finance,
            deputy_head_unit=None,
        )
    assert errors(excinfo) == {
        "members": [
            "Sở Khoa học và Công nghệ đã ký giao ước hoặc đã có điểm chấm: không bỏ khỏi cụm, khối được."
        ]
    }


def test_cluster_update_keeps_year_and_movement_once_scored(cluster, admin_user, department, criteria):
    clusters.score_set(
        actor=admin_user, member=member_of(cluster, department), criterion=criteria[0], final_score=50
    )
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_update(actor=admin_user, cluster=cluster, year=2025)
    assert errors(excinfo) == {
        "movement": ["Đã có điểm chấm: không đổi năm hay phong trào (bảng tiêu chí) được nữa."]
    }


def test_cluster_update_needs_cluster_manage_on_the_organizer(cluster, officer):
    with pytest.raises(PermissionDenied):
        clusters.cluster_update(actor=officer, cluster=cluster, name="Cụm khác")


# ---------------------------------------------------------------- rotation


@pytest.fixture
def communes(province):
    # Tiền Giang communes. Vietnamese order puts Đ after D and before G; code-point order puts it last.
    return [
        make_unit("Xã Gia Thuận", parent=province, kind="xa", code="XA_GT"),
        make_unit("Xã Đạo Thạnh", parent=province, kind="xa", code="XA_DT"),
        make_unit("Xã Dưỡng Điềm", parent=province, kind="xa", code="XA_DD"),
    ]


def test_rotation_order_is_vietnamese_alphabetical(communes):
    assert [unit.name for unit in clusters.rotation_order(communes)] == [
        "Xã Dưỡng Điềm",
        "Xã Đạo Thạnh",
        "Xã Gia Thuận",
    ]


def test_cluster_rotate_head_passes_to_the_next_member_and_wraps_round(admin_user, province, communes):
    gia_thuan, dao_thanh, duong_diem = communes
    first = clusters.cluster_create(
        actor=admin_user,
        name="Cụm thi đua các xã phía Đông",
        kind="cum",
        year=2024,
        organizer=province,
        members=communes,
        head_unit=dao_thanh,
        deputy_head_unit=gia_thuan,
    )

    second = clusters.cluster_rotate_head(actor=admin_user, cluster=first, next_year=2025)
    third = clusters.cluster_rotate_head(actor=admin_user, cluster=second, next_year=2026)

    assert (second.year, second.head_unit, second.deputy_head_unit) == (2025, gia_thuan, duong_diem)
    assert (third.year, third.head_unit, third.deputy_head_unit) == (2026, duong_diem, dao_thanh)
    assert sorted(third.members.values_list("unit__code", flat=True)) == ["XA_DD", "XA_DT", "XA_GT"]
    assert (third.name, third.kind, third.organizer) == (first.name, "cum", province)
    assert (
        audit_of(second, AuditAction.CREATE).get().note == "Luân phiên từ Cụm thi đua các xã phía Đông (2024)"
    )


def test_cluster_rotate_head_starts_with_the_first_member_without_a_head(admin_user, province, communes):
    first = clusters.cluster_create(
        actor=admin_user, name="Cụm các xã", kind="cum", year=2024, organizer=province, members=communes
    )
    second = clusters.cluster_rotate_head(actor=admin_user, cluster=first, next_year=2025)
    assert (second.head_unit.name, second.deputy_head_unit.name) == ("Xã Dưỡng Điềm", "Xã Đạo Thạnh")


def test_cluster_rotate_head_keeps_the_movement_while_it_runs(cluster, admin_user, movement):
    next_year = clusters.cluster_rotate_head(actor=admin_user, cluster=cluster, next_year=2025)
    after_it = clusters.cluster_rotate_head(actor=admin_user, cluster=next_year, next_year=2026)
    assert next_year.movement == movement
    assert after_it.movement is None


def test_cluster_rotate_head_moves_to_the_next_round(
    admin_user, province, department, other_department, movement
):
    rounds = [
        movement_create(
            actor=None,
            title=f"Đợt thi đua năm {year}",
            kind="theo_dot",
            launching_unit=province,
            parent=movement,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
            content="Thi đua theo đợt.",
            criteria=[("Kết quả đợt thi đua", 100)],
        )
        for year in (2024, 2025)
    ]
    first = clusters.cluster_create(
        actor=admin_user,
        name="Cụm các sở",
        kind="cum",
        year=2024,
        organizer=province,
        movement=rounds[0],
        members=[department, other_department],
    )
    second = clusters.cluster_rotate_head(actor=admin_user, cluster=first, next_year=2025)
    assert second.movement == rounds[1]


def test_cluster_rotate_head_refuses_a_year_not_after(cluster, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_rotate_head(actor=admin_user, cluster=cluster, next_year=2024)
    assert errors(excinfo) == {"year": ["Năm của cụm, khối mới phải sau năm 2024."]}


def test_cluster_rotate_head_refuses_twice(cluster, admin_user):
    clusters.cluster_rotate_head(actor=admin_user, cluster=cluster, next_year=2025)
    with pytest.raises(ValidationError) as excinfo:
        clusters.cluster_rotate_head(actor=admin_user, cluster=cluster, next_year=2025)
    assert errors(excinfo)["name"] == ["Ủy ban nhân dân tỉnh Tiền Giang đã có “Cụm thi đua các sở” năm 2025."]


def test_cluster_rotate_head_needs_cluster_manage(cluster, officer):
    with pytest.raises(PermissionDenied):
        clusters.cluster_rotate_head(actor=officer, cluster=cluster, next_year=2025)


# ---------------------------------------------------------------- the covenant


def test_covenant_set_saves_text_day_and_audit(cluster, admin_user):
    clusters.covenant_set(
        actor=admin_user,
        cluster=cluster,
        text="  Các thành viên cam kết…\n1. Hoàn thành nhiệm vụ.  ",
        signed_on=datetime.date(2024, 2, 20),
    )
    cluster.refresh_from_db()
    assert cluster.covenant_text == "Các thành viên cam kết…\n1. Hoàn thành nhiệm vụ."
    assert cluster.covenant_signed_on == datetime.date(2024, 2, 20)
    assert audit_of(cluster, AuditAction.UPDATE).get().changes["covenant_signed_on"] == [None, "2024-02-20"]


def test_covenant_set_refuses_empty_text_and_a_day_of_another_year(cluster, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        clusters.covenant_set(
            actor=admin_user, cluster=cluster, text="   ", signed_on=datetime.date(2022, 12, 30)
        )
    assert errors(excinfo) == {
        "covenant_text": ["Nhập nội dung giao ước thi đua."],
        "covenant_signed_on": ["Ngày ký giao ước phải thuộc năm 2023 hoặc năm 2024."],
    }


def test_covenant_set_locks_the_text_once_a_member_signed(cluster, admin_user, officer, department):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước năm 2024.")
    clusters.covenant_sign(actor=officer, member=member_of(cluster, department))

    with pytest.raises(ValidationError) as excinfo:
        clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước đã sửa.")
    assert errors(excinfo) == {"covenant_text": ["Đã có 1 đơn vị ký giao ước: không sửa nội dung được nữa."]}
    # The day of the signing can still be filled in.
    clusters.covenant_set(
        actor=admin_user, cluster=cluster, text="Giao ước năm 2024.", signed_on=datetime.date(2024, 3, 1)
    )


def test_covenant_sign_by_the_members_manager_once(cluster, admin_user, finance_manager, finance):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước năm 2024.")
    member = clusters.covenant_sign(actor=finance_manager, member=member_of(cluster, finance))
    assert member.covenant_signed_by == finance_manager
    assert member.covenant_signed_at is not None
    assert audit_of(member, AuditAction.UPDATE).get().note == "Ký giao ước thi đua"

    with pytest.raises(ValidationError) as excinfo:
        clusters.covenant_sign(actor=finance_manager, member=member)
    signed_at = member.covenant_signed_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert errors(excinfo) == {"covenant": [f"Sở Tài chính đã ký giao ước lúc {signed_at:%d/%m/%Y %H:%M}."]}


def test_covenant_sign_refuses_another_units_manager(cluster, admin_user, finance_manager, department):
    clusters.covenant_set(actor=admin_user, cluster=cluster, text="Giao ước năm 2024.")
    with pytest.raises(PermissionDenied):
        clusters.covenant_sign(actor=finance_manager, member=member_of(cluster, department))


def test_covenant_sign_needs_a_covenant(cluster, finance_manager, finance):
    with pytest.raises(ValidationError) as excinfo:
        clusters.covenant_sign(actor=finance_manager, member=member_of(cluster, finance))
    assert errors(excinfo) == {"covenant": ["Cụm thi đua các sở chưa có nội dung giao ước để ký."]}


# ---------------------------------------------------------------- scores


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("-1"), "Điểm tiêu chí “Công tác thi đua, khen thưởng” phải từ 0 đến 7,5."),
        (Decimal("7.51"), "Điểm tiêu chí “Công tác thi đua, khen thưởng” phải từ 0 đến 7,5."),
        ("7,125", "Điểm tiêu chí “Công tác thi đua, khen thưởng” chỉ lấy đến 2 chữ số thập phân."),
        ("bảy", "Điểm tiêu chí “Công tác thi đua, khen thưởng” phải là một số, ví dụ 7,5."),
    ],
)
def test_score_set_refuses_a_score_out_of_bounds(cluster, admin_user, finance, criteria, value, message):
    with pytest.raises(ValidationError) as excinfo:
        clusters.score_set(
            actor=admin_user, member=member_of(cluster, finance), criterion=criteria[2], final_score=value
        )
    assert errors(excinfo) == {"final_score": [message]}
    assert ClusterScore.objects.count() == 0


def test_score_set_accepts_zero_and_the_maximum(cluster, admin_user, finance, criteria):
    member = member_of(cluster, finance)
    score = clusters.score_set(
        actor=admin_user, member=member, criterion=criteria[2], self_score="7,5", final_score=0
    )
    assert (score.self_score, score.final_score) == (Decimal("7.50"), Decimal("0.00"))
    assert audit_of(score, AuditAction.CREATE).get().changes == {
        "self_score": [None, "7.50"],
        "final_score": [None, "0.00"],
    }


def test_score_set_lets_the_members_manager_enter_only_the_self_score(
    cluster, finance_manager, finance, department, criteria
):
    member = member_of(cluster, finance)
    score = clusters.score_set(actor=finance_manager, member=member, criterion=criteria[0], self_score=55)
    assert score.self_score == Decimal("55.00")
    for field in ("review_score", "final_score"):
        with pytest.raises(PermissionDenied):
            clusters.score_set(actor=finance_manager, member=member, criterion=criteria[0], **{field: 50})
    with pytest.raises(PermissionDenied):
        clusters.score_set(
            actor=finance_manager, member=member_of(cluster, department), criterion=criteria[0], self_score=50
        )


def test_score_set_lets_the_heads_officer_review_but_not_finalize(cluster, officer, finance, criteria):
    member = member_of(cluster, finance)
    score = clusters.score_set(actor=officer, member=member, criterion=criteria[0], review_score=52)
    assert score.review_score == Decimal("52.00")
    with pytest.raises(PermissionDenied):
        clusters.score_set(actor=officer, member=member, criterion=criteria[0], final_score=52)


def test_score_set_only_the_organizer_sets_final_scores(
    cluster, admin_user, outsider, finance_manager, officer, other_department, criteria
):
    member = member_of(cluster, other_department)
    for actor in (outsider, finance_manager, officer):
        with pytest.raises(PermissionDenied):
            clusters.score_set(actor=actor, member=member, criterion=criteria[1], final_score=20)
    score = clusters.score_set(actor=admin_user, member=member, criterion=criteria[1], final_score=20)
    assert score.final_score == Decimal("20.00")


def test_score_set_clears_a_score_with_none_and_keeps_the_others(cluster, admin_user, finance, criteria):
    member = member_of(cluster, finance)
    clusters.score_set(actor=admin_user, member=member, criterion=criteria[0], self_score=50, final_score=48)
    score = clusters.score_set(actor=admin_user, member=member, criterion=criteria[0], self_score=None)
    assert (score.self_score, score.final_score) == (None, Decimal("48.00"))


def test_score_set_refuses_a_criterion_of_another_movement(cluster, admin_user, province, finance):
    other = movement_create(
        actor=None,
        title="Thi đua khác",
        kind="chuyen_de",
        launching_unit=province,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
        criteria=[("Tiêu chí lạ", 10)],
    )
    with pytest.raises(ValidationError) as excinfo:
        clusters.score_set(
            actor=admin_user,
            member=member_of(cluster, finance),
            criterion=other.criteria.get(),
            final_score=5,
        )
    assert errors(excinfo) == {"criterion": ["Tiêu chí không thuộc bảng tiêu chí của Cụm thi đua các sở."]}


def test_scores_bulk_saves_nothing_when_one_cell_is_refused(
    cluster, admin_user, finance, department, criteria
):
    finance_member, department_member = member_of(cluster, finance), member_of(cluster, department)
    rows = [
        {"member": finance_member, "criterion": criteria[0], "final_score": Decimal("58")},
        {
            "member": department_member,
            "criterion": criteria[1],
            "final_score": Decimal("26"),
            "self_score": 30,
        },
        {"member": department_member, "criterion": criteria[2], "final_score": Decimal("7")},
    ]
    with pytest.raises(ValidationError) as excinfo:
        clusters.scores_bulk(actor=admin_user, cluster=cluster, rows=rows)

    message = "Điểm tiêu chí “Cải cách hành chính” phải từ 0 đến 25."
    assert errors(excinfo) == {
        f"{department_member.pk}:{criteria[1].pk}:self_score": [message],
        f"{department_member.pk}:{criteria[1].pk}:final_score": [message],
    }
    assert ClusterScore.objects.count() == 0
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ClusterScore)
    ).exists()


def test_scores_bulk_saves_every_row(cluster, admin_user, finance, department, criteria):
    rows = [
        {"member": member_of(cluster, finance), "criterion": criteria[0], "final_score": Decimal("58")},
        {"member": member_of(cluster, department), "criterion": criteria[1], "final_score": Decimal("24.5")},
    ]
    assert clusters.scores_bulk(actor=admin_user, cluster=cluster, rows=rows) == 2
    assert sorted(ClusterScore.objects.values_list("final_score", flat=True)) == [
        Decimal("24.50"),
        Decimal("58.00"),
    ]


def test_scores_bulk_refuses_everything_for_one_forbidden_cell(
    cluster, officer, finance, department, criteria
):
    rows = [
        {"member": member_of(cluster, department), "criterion": criteria[0], "self_score": 55},
        {"member": member_of(cluster, finance), "criterion": criteria[0], "final_score": 50},
    ]
    with pytest.raises(PermissionDenied):
        clusters.scores_bulk(actor=officer, cluster=cluster, rows=rows)
    assert ClusterScore.objects.count() == 0


# ---------------------------------------------------------------- ranking


def _finals(cluster, actor, criteria, unit, values):
    member = member_of(cluster, unit)
    for criterion, value in zip(criteria, values, strict=False):
        clusters.score_set(
            actor=actor, member=member, criterion=criterion, final_score=value, self_score=value
        )


def test_cluster_ranking_shares_ranks_on_ties(
    cluster, admin_user, criteria, department, other_department, finance, construction
):
    _finals(cluster, admin_user, criteria, department, [50, 20, 5])  # 75
    _finals(cluster, admin_user, criteria, other_department, [55, 20, 5])  # 80
    _finals(cluster, admin_user, criteria, finance, [50, 20, 5])  # 75
    _finals(cluster, admin_user, criteria, construction, [40, 20, 5])  # 65

    ranking = clusters.cluster_ranking(cluster)

    assert [(row.unit.code, row.rank, row.final_total) for row in ranking] == [
        ("SYT", 1, Decimal("80")),
        ("SKHCN", 2, Decimal("75")),
        ("STC", 2, Decimal("75")),
        ("SXD", 4, Decimal("65")),
    ]
    assert [row.status for row in ranking] == ["", "", "", ""]


def test_cluster_ranking_marks_members_lacking_a_final_score(
    cluster, admin_user, finance_manager, criteria, department, other_department, finance
):
    _finals(cluster, admin_user, criteria, department, [50, 20, 5])
    _finals(cluster, admin_user, criteria, other_department, [59, 24])  # one criterion left
    clusters.score_set(
        actor=finance_manager, member=member_of(cluster, finance), criterion=criteria[0], self_score="59,5"
    )

    ranking = clusters.cluster_ranking(cluster)

    assert [(row.unit.code, row.rank, row.status) for row in ranking] == [
        ("SKHCN", 1, ""),
        ("STC", None, "chưa đủ điểm"),
        ("SXD", None, "chưa đủ điểm"),
        ("SYT", None, "chưa đủ điểm"),
    ]
    by_code = {row.unit.code: row for row in ranking}
    assert (by_code["SYT"].self_total, by_code["SYT"].final_total) == (Decimal("83"), Decimal("83"))
    assert (by_code["STC"].self_total, by_code["STC"].review_total, by_code["STC"].final_total) == (
        Decimal("59.5"),
        None,
        None,
    )


def test_cluster_ranking_without_a_grid_ranks_nobody(admin_user, province, department, other_department):
    bare = clusters.cluster_create(
        actor=admin_user,
        name="Khối",
        kind="khoi",
        year=2024,
        organizer=province,
        members=[department, other_department],
    )
    assert [(row.rank, row.status) for row in clusters.cluster_ranking(bare)] == [
        (None, "chưa đủ điểm"),
        (None, "chưa đủ điểm"),
    ]


def test_cluster_ranking_reads_in_three_queries(
    cluster, admin_user, criteria, department, django_assert_num_queries
):
    _finals(cluster, admin_user, criteria, department, [50, 20, 5])
    with django_assert_num_queries(3):
        clusters.cluster_ranking(cluster)


# ---------------------------------------------------------------- visibility


def test_clusters_visible_to_organizers_members_and_their_staff(
    cluster, admin_user, officer, outsider, manager, staff, auditor
):
    for user in (admin_user, officer, outsider, manager, staff, auditor):
        assert list(selectors.clusters_visible_to(user)) == [cluster], user


def test_clusters_visible_to_excludes_other_organizers_clusters(
    officer, outsider, department, office, office2
):
    bloc = clusters.cluster_create(
        actor=officer,
        name="Khối các phòng",
        kind="khoi",
        year=2024,
        organizer=department,
        members=[office, office2],
    )
    assert list(selectors.clusters_visible_to(officer)) == [bloc]
    assert list(selectors.clusters_visible_to(outsider)) == []
