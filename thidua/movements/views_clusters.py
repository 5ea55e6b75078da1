"""Pages for clusters and blocs (cụm, khối thi đua): the list, creating and editing a cluster, its
page (members, head and deputy, covenant and signatures, ranking), the scoring grid, the ranking as
Excel, and the yearly rotation of the head.

A cluster is fetched only through ``access_cluster`` (404 outside the user's sight); changing it needs
``cluster.manage`` on its organizer (403 when the user sees it but may not). Every write goes through
``thidua.movements.services_clusters``.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.text import sort_key
from thidua.common.views import paginate
from thidua.movements import services_clusters as clusters
from thidua.movements.forms_clusters import (
    ClusterFilterForm,
    ClusterForm,
    CovenantForm,
    OrganizerPickForm,
    ScoreGridForm,
    default_year,
)
from thidua.movements.models import Cluster, ClusterMember
from thidua.movements.selectors import (
    access_cluster,
    cluster_member_choices,
    cluster_movement_choices,
    cluster_organizers,
    clusters_visible_to,
)
from thidua.movements.services_clusters import (
    cluster_criteria,
    cluster_ranking,
    points,
    role_labels,
    score_fields_editable,
)
from thidua.organizations.models import Unit

PAGE_SIZE = 50


# ---------------------------------------------------------------- helpers


def _cluster_to_manage(user, pk) -> Cluster:
    """404 when the user cannot see the cluster, 403 when they see it but may not change it."""
    cluster = access_cluster(user, pk)
    if not scopes.can(user, "cluster.manage", cluster.organizer):
        raise PermissionDenied
    return cluster


def _posted(request):
    return request.POST if request.method == "POST" else None


def _member_units(organizer: Unit, *, keep=()):
    """Units offered as members: the organizer's sub-units that exist now or ceased since last year,
    plus the current members (a past cluster's ceased member stays ticked)."""
    today = timezone.localdate()
    recent = Q(valid_to__isnull=True) | Q(valid_to__gte=today.replace(year=today.year - 1, month=1, day=1))
    keep_ids = [unit.pk for unit in keep]
    return cluster_member_choices(organizer).filter(recent | Q(pk__in=keep_ids))


def _by_name(rows):
    return sorted(rows, key=lambda row: (sort_key(row.unit.name), row.unit.code))


def _decorate(rows) -> None:
    """Totals as the page shows them (7,5 — not 7,50)."""
    for row in rows:
        row.self_text = points(row.self_total)
        row.review_text = points(row.review_total)
        row.final_text = points(row.final_total)


# ---------------------------------------------------------------- list


def _filtered_clusters(user, values: dict):
    queryset = clusters_visible_to(user)
    if values["year"]:
        queryset = queryset.filter(year=values["year"])
    if values["kind"]:
        queryset = queryset.filter(kind=values["kind"])
    if values["organizer"] is not None:
        queryset = queryset.filter(organizer=values["organizer"])
    if values["q"]:
        queryset = queryset.filter(name__icontains=values["q"])
    return (
        queryset.select_related("organizer", "head_unit", "deputy_head_unit", "movement")
        .annotate(
            member_count=Count("members", distinct=True),
            signed_count=Count("members", filter=Q(members__covenant_signed_at__isnull=False), distinct=True),
        )
        .order_by("-year", "name", "pk")
    )


@login_required
@require_GET
def cluster_list(request):
    user = request.user
    scopes.require(user, "movement.view")
    visible = clusters_visible_to(user)
    organizers = list(Unit.objects.filter(pk__in=visible.values("organizer_id")).order_by("path"))
    years = sorted(set(visible.order_by().values_list("year", flat=True).distinct()), reverse=True)
    form = ClusterFilterForm(request.GET or None, organizers=organizers, years=years)
    page = paginate(request, _filtered_clusters(user, form.values()), PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "filtered": form.filtered,
        "can_create": scopes.can(user, "cluster.manage"),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "movements/cluster_list.html#results", context)
    else:
        response = render(request, "movements/cluster_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- create and edit


@login_required
def cluster_create(request):
    user = request.user
    scopes.require(user, "cluster.manage")
    organizers = list(cluster_organizers(user).valid_on(timezone.localdate()))
    if not organizers:
        raise PermissionDenied
    pick = OrganizerPickForm(
        request.GET if request.GET.get("organizer") else {"organizer": organizers[0].code},
        organizers=organizers,
    )
    organizer = pick.chosen()
    if organizer is None:
        return render(
            request, "movements/cluster_form.html", {"pick": pick, "form": None, "cluster": None}, status=400
        )
    form = ClusterForm(
        _posted(request),
        organizer=organizer,
        units=_member_units(organizer),
        movements=cluster_movement_choices(organizer),
        initial={"year": default_year(), "kind": "cum"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cluster = clusters.cluster_create(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                year=data["year"],
                organizer=organizer,
                movement=data["movement"],
                members=list(data["members"]),
                head_unit=data["head_unit"],
                deputy_head_unit=data["deputy_head_unit"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Đã tạo “%(name)s” năm %(year)s.") % {"name": cluster.name, "year": cluster.year}
            )
            return redirect("movements:cluster_detail", pk=cluster.pk)
    return render(
        request,
        "movements/cluster_form.html",
        {
            "pick": pick if len(organizers) > 1 else None,
            "form": form,
            "cluster": None,
            "organizer": organizer,
        },
        status=400 if form.errors else 200,
    )


@login_required
def cluster_edit(request, pk: int):
    user = request.user
    cluster = _cluster_to_manage(user, pk)
    current = [membership.unit for membership in cluster.members.select_related("unit")]
    form = ClusterForm(
        _posted(request),
        organizer=cluster.organizer,
        units=_member_units(cluster.organizer, keep=current),
        movements=cluster_movement_choices(cluster.organizer),
        initial={
            "name": cluster.name,
            "kind": cluster.kind,
            "year": cluster.year,
            "movement": cluster.movement,
            "members": [unit.pk for unit in current],
            "head_unit": cluster.head_unit,
            "deputy_head_unit": cluster.deputy_head_unit,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clusters.cluster_update(
                actor=user,
                cluster=cluster,
                name=data["name"],
                kind=data["kind"],
                year=data["year"],
                movement=data["movement"],
                members=list(data["members"]),
                head_unit=data["head_unit"],
                deputy_head_unit=data["deputy_head_unit"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu “%(name)s”.") % {"name": data["name"]})
            return redirect("movements:cluster_detail", pk=cluster.pk)
    return render(
        request,
        "movements/cluster_form.html",
        {"pick": None, "form": form, "cluster": cluster, "organizer": cluster.organizer},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------- the cluster's page


@login_required
@require_GET
def cluster_detail(request, pk: int):
    user = request.user
    cluster = access_cluster(user, pk)
    criteria = cluster_criteria(cluster)
    ranking = cluster_ranking(cluster, criteria)
    _decorate(ranking)
    can_manage = scopes.can(user, "cluster.manage", cluster.organizer)
    members = _by_name(ranking)
    for row in members:
        membership = row.member
        row.is_head = membership.unit_id == cluster.head_unit_id
        row.is_deputy = membership.unit_id == cluster.deputy_head_unit_id
        row.can_sign = bool(
            cluster.covenant_text
            and membership.covenant_signed_at is None
            and scopes.can(user, "registration.manage", membership.unit)
        )
    can_score = any(score_fields_editable(user, cluster, row.member) for row in ranking)
    next_year = cluster.year + 1
    rotated = Cluster.objects.filter(organizer=cluster.organizer, name=cluster.name, year=next_year).first()
    head_label, deputy_label = role_labels(cluster.kind)
    return render(
        request,
        "movements/cluster_detail.html",
        {
            "cluster": cluster,
            "criteria": criteria,
            "ranking": ranking,
            "members": members,
            "signed_count": sum(1 for row in ranking if row.member.covenant_signed_at),
            "can_manage": can_manage,
            "can_score": can_score,
            "next_year": next_year,
            "rotated": rotated,
            "can_rotate": can_manage and rotated is None and next_year <= timezone.localdate().year + 1,
            "next_head": clusters.rotation_preview(cluster, [row.unit for row in ranking])
            if can_manage
            else None,
            "head_label": head_label,
            "deputy_label": deputy_label,
            "max_total": points(sum((criterion.max_points for criterion in criteria), start=0))
            if criteria
            else "",
        },
    )


@login_required
@require_POST
def cluster_sign(request, pk: int, member_pk: int):
    user = request.user
    cluster = access_cluster(user, pk)
    member = get_object_or_404(ClusterMember.objects.select_related("unit"), pk=member_pk, cluster=cluster)
    try:
        clusters.covenant_sign(actor=user, member=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(unit)s đã ký giao ước thi đua.") % {"unit": member.unit.name})
    return redirect("movements:cluster_detail", pk=cluster.pk)


@login_required
def cluster_covenant(request, pk: int):
    user = request.user
    cluster = _cluster_to_manage(user, pk)
    form = CovenantForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        initial={"covenant_text": cluster.covenant_text, "covenant_signed_on": cluster.covenant_signed_on},
    )
    signed = cluster.members.filter(covenant_signed_at__isnull=False).count()
    if signed:
        # What the members signed stays as it is; the day and the scan can still be filled in.
        form.fields["covenant_text"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clusters.covenant_set(
                actor=user,
                cluster=cluster,
                text=data["covenant_text"],
                signed_on=data["covenant_signed_on"],
                file=data["covenant_file"] or None,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu giao ước thi đua."))
            return redirect("movements:cluster_detail", pk=cluster.pk)
    return render(
        request,
        "movements/cluster_covenant.html",
        {"cluster": cluster, "form": form, "signed": signed},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def cluster_covenant_file(request, pk: int):
    cluster = access_cluster(request.user, pk)
    if not cluster.covenant_file:
        raise Http404
    try:
        handle = cluster.covenant_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(cluster.covenant_file.name))


@login_required
@require_POST
def cluster_rotate(request, pk: int):
    user = request.user
    cluster = _cluster_to_manage(user, pk)
    try:
        new = clusters.cluster_rotate_head(actor=user, cluster=cluster, next_year=cluster.year + 1)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("movements:cluster_detail", pk=cluster.pk)
    head_label, _deputy = role_labels(new.kind)
    messages.success(
        request,
        _("Đã tạo “%(name)s” năm %(year)s; %(role)s: %(head)s.")
        % {"name": new.name, "year": new.year, "role": head_label.lower(), "head": new.head_unit.name},
    )
    return redirect("movements:cluster_detail", pk=new.pk)


# ---------------------------------------------------------------- scores


@login_required
def cluster_scores(request, pk: int):
    """The scoring grid: each member × each criterion, with the self, review and final scores; a box
    for each score the user may enter. Saving is all or nothing."""
    user = request.user
    cluster = access_cluster(user, pk)
    criteria = cluster_criteria(cluster)
    rows = _by_name(cluster_ranking(cluster, criteria))
    _decorate(rows)
    editable = {row.member.pk: score_fields_editable(user, cluster, row.member) for row in rows}
    if request.method == "POST" and not any(editable.values()):
        raise PermissionDenied
    grid = ScoreGridForm(_posted(request), rows=rows, criteria=criteria, editable=editable)
    if request.method == "POST" and grid.is_valid():
        changes = grid.changes()
        try:
            clusters.scores_bulk(actor=user, cluster=cluster, rows=changes)
        except ValidationError as error:
            grid.add_service_error(error)
        else:
            if changes:
                cells = sum(len(row) - 2 for row in changes)
                messages.success(
                    request,
                    ngettext("Đã lưu %(count)s ô điểm.", "Đã lưu %(count)s ô điểm.", cells)
                    % {"count": cells},
                )
            else:
                messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect("movements:cluster_scores", pk=cluster.pk)
    head_label, _deputy = role_labels(cluster.kind)
    return render(
        request,
        "movements/cluster_scores.html",
        {
            "cluster": cluster,
            "criteria": criteria,
            "grid": grid,
            "failed_count": len(grid.errors) if grid.is_bound else 0,
            "review_label": _("Cụm chấm") if cluster.kind == "cum" else _("Khối chấm"),
            "head_label": head_label,
        },
        status=400 if grid.errors else 200,
    )


@login_required
@require_GET
def cluster_ranking_export(request, pk: int):
    cluster = access_cluster(request.user, pk)
    criteria = cluster_criteria(cluster)
    ranking = cluster_ranking(cluster, criteria)
    headers = [
        _("Hạng"),
        _("Đơn vị"),
        _("Mã đơn vị"),
        *[f"{criterion.name} ({points(criterion.max_points)})" for criterion in criteria],
        _("Tổng tự chấm"),
        _("Tổng cụm, khối chấm"),
        _("Tổng điểm chính thức"),
        _("Ghi chú"),
    ]
    rows = []
    for row in ranking:
        finals = []
        for criterion in criteria:
            score = row.scores.get(criterion.pk)
            finals.append(score.final_score if score and score.final_score is not None else None)
        rows.append(
            [
                row.rank,
                row.unit.name,
                row.unit.code,
                *finals,
                row.self_total,
                row.review_total,
                row.final_total,
                row.status,
            ]
        )
    content = workbook_bytes(
        sheet_title=_("Xếp hạng"),
        headers=headers,
        rows=rows,
        title=_("Kết quả chấm điểm, xếp hạng %(name)s năm %(year)s")
        % {"name": cluster.name, "year": cluster.year},
    )
    return xlsx_response(f"xep-hang-cum-khoi-{cluster.pk}-{cluster.year}.xlsx", content)
