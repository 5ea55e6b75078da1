"""Pages of the movements themselves: the list, the form, the movement's page with its dashboard
(participating units, registrations and reviews in and out, days to each deadline), its status
changes, attachments and launch letter.

Reading needs ``movement.view`` on the launching unit or on a participating unit (the selector
``movements_visible_to``); writing needs ``movement.manage`` on the launching unit. Movements are
fetched only through ``access_movement``: 404 outside the user's sight, 403 when visible but not in
the user's care. Every write goes through a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.documents import DOCX_CONTENT_TYPE
from thidua.common.models import GeneratedDocument
from thidua.common.text import fold, search_terms
from thidua.common.views import paginate
from thidua.movements import documents, selectors, services
from thidua.movements.enums import MOVEMENT_TRANSITIONS, MovementStatus
from thidua.movements.forms import AttachmentForm, MovementFilterForm, MovementForm, TransitionForm
from thidua.movements.models import MovementAttachment

PAGE_SIZE = 30


def _posted(request):
    return request.POST if request.method == "POST" else None


def _form_status(form) -> int:
    return 400 if form.errors else 200


def _movement_to_manage(user, pk):
    """404 when the movement is out of sight, 403 when it is visible but not the user's to run."""
    movement = selectors.access_movement(user, pk)
    if not selectors.can_manage(user, movement):
        raise PermissionDenied
    return movement


# ---------------------------------------------------------------- the list


def _filtered_movements(user, values: dict):
    movements = selectors.movement_list(user)
    if values.get("status"):
        movements = movements.filter(status=values["status"])
    if values.get("kind"):
        movements = movements.filter(kind=values["kind"])
    if values.get("year"):
        movements = movements.filter(start__year__lte=values["year"], end__year__gte=values["year"])
    if values.get("unit") is not None:
        movements = movements.filter(launching_unit=values["unit"])
    terms = search_terms(values.get("q"))
    if terms:
        # Titles have no folded column; the visible movements are few enough to fold here (one query).
        matching = [
            pk
            for pk, title in movements.values_list("pk", "title")
            if all(term in fold(title) for term in terms)
        ]
        movements = movements.filter(pk__in=matching)
    return movements


@login_required
@require_GET
def movement_list(request):
    user = request.user
    scopes.require(user, "movement.view")
    visible = selectors.movements_visible_to(user)
    form = MovementFilterForm(
        request.GET or None,
        units=selectors.launching_units_of(visible),
        years=selectors.movement_years(visible),
    )
    page = paginate(request, _filtered_movements(user, form.values()), PAGE_SIZE)
    rows, previous_group = list(page.object_list), None
    for movement in rows:
        # A round is indented under its movement; it names the movement when that is not just above.
        movement.show_parent = bool(movement.parent_id) and movement.group_id != previous_group
        previous_group = movement.group_id
    page.object_list = rows
    context = {
        "form": form,
        "page": page,
        "filtered": form.filtered,
        "can_create": scopes.can(user, "movement.manage"),
        "today": timezone.localdate(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "movements/movement_list.html#results", context)
    else:
        response = render(request, "movements/movement_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- create and edit


@login_required
def movement_create(request):
    user = request.user
    scopes.require(user, "movement.manage")
    initial = {}
    parent = None
    if request.GET.get("parent"):
        parent = _movement_to_manage(user, request.GET["parent"])
        initial.update({"parent": parent, "launching_unit": parent.launching_unit, "kind": "theo_dot"})
    form = MovementForm(_posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.movement_create(actor=user, **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Đã tạo phong trào “%(title)s” (dự thảo).") % {"title": movement.title}
            )
            return redirect("movements:movement_detail", pk=movement.pk)
    return render(
        request,
        "movements/movement_form.html",
        {"form": form, "movement": None, "parent": parent},
        status=_form_status(form),
    )


@login_required
def movement_edit(request, pk: int):
    user = request.user
    movement = _movement_to_manage(user, pk)
    form = MovementForm(
        _posted(request), user=user, movement=movement, initial=MovementForm.initial_for(movement)
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            services.movement_update(actor=user, movement=movement, **changes)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if changes:
                messages.success(
                    request, _("Đã lưu phong trào “%(title)s”.") % {"title": form.cleaned_data["title"]}
                )
            else:
                messages.info(request, _("Không có thay đổi nào để lưu."))
            return redirect("movements:movement_detail", pk=movement.pk)
    return render(
        request,
        "movements/movement_form.html",
        {
            "form": form,
            "movement": movement,
            "parent": None,
        },
        status=_form_status(form),
    )


# ---------------------------------------------------------------- the movement's page


def _transition_actions(movement, can_manage: bool) -> list[dict]:
    if not can_manage:
        return []
    labels = {
        MovementStatus.LAUNCHED: (
            _("Phát động phong trào"),
            _("Phát động phong trào này? Các đơn vị tham gia sẽ được thông báo."),
        ),
        MovementStatus.CLOSED: (
            _("Tổng kết, kết thúc phong trào"),
            _("Kết thúc phong trào? Sau khi kết thúc không sửa được nữa."),
        ),
    }
    return [
        {
            "to": target,
            "label": labels[target][0],
            "confirm": labels[target][1],
            "needs_note": target == MovementStatus.CLOSED,
        }
        for target in sorted(MOVEMENT_TRANSITIONS.get(movement.status, set()))
        if target in labels
    ]


def _detail_context(request, movement, *, transition_form=None, attachment_form=None) -> dict:
    user = request.user
    can_manage = selectors.can_manage(user, movement)
    today = timezone.localdate()
    criteria = list(movement.criteria.all())
    dashboard = selectors.movement_dashboard(movement, today=today)
    units = [row.unit for row in dashboard.units]
    return {
        "movement": movement,
        "can_manage": can_manage,
        "today": today,
        "tasks": list(movement.tasks.all()),
        "criteria": criteria,
        "criteria_total": sum(criterion.max_points for criterion in criteria),
        "awards": list(movement.planned_awards.order_by("category", "-precedence", "code")),
        "legal_bases": list(movement.legal_bases.order_by("issued_on", "number")),
        "attachments": list(movement.attachments.select_related("uploaded_by")),
        "rounds": list(movement.rounds.order_by("start", "id")),
        "transitions": list(movement.transitions.select_related("by__person")),
        "letters": list(documents.launch_letters(movement)[:3]),
        "dashboard": dashboard,
        # Links to the registration and review pages, shown to those whom those pages serve.
        "can_register": any(scopes.can(user, "registration.manage", unit) for unit in units),
        "can_self_register": bool(user.person_id),
        "can_report": any(scopes.can(user, "review.submit", unit) for unit in units),
        "actions": _transition_actions(movement, can_manage),
        "transition_form": transition_form or TransitionForm(),
        "attachment_form": attachment_form or AttachmentForm(),
    }


@login_required
@require_GET
def movement_detail(request, pk: int):
    movement = selectors.access_movement(request.user, pk)
    return render(request, "movements/movement_detail.html", _detail_context(request, movement))


@login_required
@require_POST
def movement_transition(request, pk: int):
    """Launch or close. On launch the letter is generated in the same transaction: the movement is
    never published without its plan, and a failed letter leaves the movement a draft."""
    user = request.user
    movement = selectors.access_movement(user, pk)
    form = TransitionForm(request.POST)
    error, status = "", 400
    if not form.is_valid():
        error = _("Trạng thái không hợp lệ.")
    else:
        target = form.cleaned_data["to"]
        try:
            movement, letter = documents.movement_transition_with_letter(
                actor=user, movement=movement, to=target, note=form.cleaned_data["note"]
            )
        except services.TransitionRefused as refused:
            error = refused.message
        except PermissionDenied:
            error = _(
                "Bạn không có quyền chuyển trạng thái phong trào này: cần quyền quản lý phong trào tại %(unit)s."
            ) % {"unit": movement.launching_unit.name}
            status = 403
        else:
            if target == MovementStatus.LAUNCHED:
                messages.success(
                    request,
                    _(
                        "Đã phát động phong trào; đã thông báo các đơn vị tham gia và tạo kế hoạch phát động (phiên bản %(version)d)."
                    )
                    % {"version": letter.version},
                )
            else:
                messages.success(
                    request,
                    _("Phong trào đã chuyển sang “%(status)s”.") % {"status": MovementStatus(target).label},
                )
            return redirect("movements:movement_detail", pk=movement.pk)
    movement = selectors.access_movement(user, pk)
    context = _detail_context(request, movement, transition_form=form)
    context["transition_error"] = error
    return render(request, "movements/movement_detail.html", context, status=status)


# ---------------------------------------------------------------- attachments


@login_required
@require_POST
def attachment_add(request, pk: int):
    user = request.user
    movement = _movement_to_manage(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = documents.movement_attachment_add(
                actor=user,
                movement=movement,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã đính kèm “%(title)s”.") % {"title": attachment.title})
            return redirect(f"{reverse('movements:movement_detail', args=[movement.pk])}#tai-lieu")
    return render(
        request,
        "movements/movement_detail.html",
        _detail_context(request, movement, attachment_form=form),
        status=400,
    )


@login_required
@require_GET
def attachment_file(request, pk: int, attachment_id: int):
    movement = selectors.access_movement(request.user, pk)
    attachment = get_object_or_404(MovementAttachment, pk=attachment_id, movement=movement)
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise Http404
    name = attachment.file.name.rsplit("/", 1)[-1]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)


# ---------------------------------------------------------------- the launch letter


@login_required
def launch_letter(request, pk: int):
    """GET: the stored versions of the launch letter; POST: generate a new version from the
    movement's current data."""
    user = request.user
    movement = selectors.access_movement(user, pk)
    can_manage = selectors.can_manage(user, movement)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        letter = documents.launch_letter_generate(actor=user, movement=movement)
        messages.success(
            request, _("Đã tạo kế hoạch phát động, phiên bản %(version)d.") % {"version": letter.version}
        )
        return redirect("movements:launch_letter", pk=movement.pk)
    return render(
        request,
        "movements/launch_letter.html",
        {"movement": movement, "letters": list(documents.launch_letters(movement)), "can_manage": can_manage},
    )


@login_required
@require_GET
def generated_file(request, pk: int, document_id: int):
    movement = selectors.access_movement(request.user, pk)
    stored = get_object_or_404(
        GeneratedDocument,
        pk=document_id,
        content_type=ContentType.objects.get_for_model(movement),
        object_id=str(movement.pk),
    )
    if not stored.file or not stored.file.storage.exists(stored.file.name):
        raise Http404
    stem = stored.filename.rsplit(".", 1)[0]
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=f"{stem}-v{stored.version}.docx",
        content_type=DOCX_CONTENT_TYPE,
    )
