"""The awarding unit's work on a dossier beyond the status buttons: per-nominee decisions and appraisal
notes, the appraising officer, forwarding to the next level, bulk steps from the inbox; and the proposing
unit's corrections of a draft or returned dossier (edit or remove a proposal, remove a document).

Same rules as ``views``: dossiers only through ``selectors.access_nomination`` (404 outside sight), every
write through a service (403 when the side is wrong, the refusal's message otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scopes
from thidua.nominations import attachments, selectors, services
from thidua.nominations.enums import NominationStatus, NomineeStatus
from thidua.nominations.forms import (
    AssignForm,
    BulkTransitionForm,
    ForwardForm,
    NomineeDecisionForm,
    NomineeSummaryForm,
)
from thidua.nominations.models import NominationAttachment, Nominee


def _back(nomination, anchor: str = "de-nghi"):
    return redirect(f"{reverse('nominations:nomination_detail', args=[nomination.pk])}#{anchor}")


def _nominee_of(user, pk: int, nominee_id: int) -> tuple:
    nomination = selectors.access_nomination(user, pk)
    nominee = get_object_or_404(Nominee.objects.select_related("person", "unit", "award"), pk=nominee_id, nomination=nomination)
    return nomination, nominee


def _subject(nominee) -> str:
    return nominee.person.full_name if nominee.person_id else nominee.unit.name if nominee.unit_id else nominee.household_name


# ---------------------------------------------------------------- the awarding unit


@login_required
@require_POST
def nominee_decide(request, pk: int, nominee_id: int):
    nomination, nominee = _nominee_of(request.user, pk, nominee_id)
    form = NomineeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return _back(nomination)
    target = form.cleaned_data["to"]
    try:
        services.nominee_decide(actor=request.user, nominee=nominee, to=target, note=form.cleaned_data["note"])
    except services.TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(subject)s: %(status)s.") % {"subject": _subject(nominee), "status": NomineeStatus(target).label})
    return _back(nomination)


@login_required
@require_POST
def nominee_note(request, pk: int, nominee_id: int):
    nomination, nominee = _nominee_of(request.user, pk, nominee_id)
    try:
        services.nominee_note(actor=request.user, nominee=nominee, note=request.POST.get("note", "")[:5000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã lưu ý kiến thẩm định về %(subject)s.") % {"subject": _subject(nominee)})
    return _back(nomination)


@login_required
@require_POST
def nomination_assign(request, pk: int):
    user = request.user
    nomination = selectors.access_nomination(user, pk)
    if not scopes.can(user, "nomination.appraise", nomination.round.awarding_unit):
        raise PermissionDenied
    form = AssignForm(request.POST, officers=selectors.appraising_officers(nomination))
    if not form.is_valid():
        messages.error(request, _("Chọn cán bộ thẩm định trong danh sách."))
        return _back(nomination, "thong-tin")
    try:
        services.nomination_assign(actor=user, nomination=nomination, officer=form.cleaned_data["officer"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã giao cán bộ thẩm định."))
    return _back(nomination, "thong-tin")


@login_required
def nomination_forward(request, pk: int):
    """Choose the next level's round and the nominees to carry, then create the linked dossier."""
    user = request.user
    nomination = selectors.access_nomination(user, pk)
    if not scopes.can(user, "nomination.appraise", nomination.round.awarding_unit):
        raise PermissionDenied
    candidates = list(nomination.nominees.filter(status__in=[NomineeStatus.PENDING, NomineeStatus.APPROVED]).select_related("person", "unit", "award"))
    beyond = {nominee.pk for nominee in services.beyond_power(nomination)}
    targets = services.forward_targets(nomination)
    initial = {"nominees": [str(pk) for pk in beyond], "round": str(targets[0].pk) if len(targets) == 1 else ""}
    form = ForwardForm(request.POST if request.method == "POST" else None, rounds=targets, nominees=candidates, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                forward = services.nomination_forward(actor=user, nomination=nomination, target_round=form.cleaned_data["round"],
                                                      nominees=form.cleaned_data["nominees"], note=form.cleaned_data["note"])
            except services.TransitionRefused as refusal:
                form.add_error(None, refusal.message)
                status = 409
            else:
                messages.success(request, _("Đã tạo hồ sơ trình %(unit)s. Bổ sung tờ trình của đơn vị rồi gửi hồ sơ.") % {
                    "unit": forward.round.awarding_unit.name})
                return redirect("nominations:nomination_detail", pk=forward.pk)
        else:
            status = 400
    return render(request, "nominations/forward.html", {"nomination": nomination, "form": form, "beyond": beyond}, status=status)


@login_required
@require_POST
def inbox_bulk(request):
    """One step on the dossiers ticked in the inbox: all of them or none."""
    user = request.user
    visible = selectors.nominations_visible_to(user)
    form = BulkTransitionForm(request.POST)
    back = request.POST.get("next") or reverse("nominations:inbox")
    if not back.startswith("/"):
        back = reverse("nominations:inbox")
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(back)
    chosen = list(visible.filter(pk__in=form.cleaned_data["ids"]).order_by("pk"))
    if len(chosen) != len(set(form.cleaned_data["ids"])):
        messages.error(request, _("Có hồ sơ không còn trong phạm vi của bạn; tải lại trang rồi chọn lại."))
        return redirect(back)
    target = form.cleaned_data["to"]
    try:
        done = services.nominations_bulk_transition(actor=user, nominations=chosen, to=target, note=form.cleaned_data["note"], items=form.item_list())
    except services.BulkRefused as refused:
        lines = [f"{nomination.title}: {reason}" for nomination, reason in refused.errors]
        messages.error(request, _("Chưa chuyển hồ sơ nào, vì %(count)d hồ sơ không chuyển được: %(lines)s") % {
            "count": len(lines), "lines": " · ".join(lines)})
    else:
        messages.success(request, _("Đã chuyển %(count)d hồ sơ sang “%(status)s”.") % {"count": done, "status": NominationStatus(target).label})
    return redirect(back)


# ---------------------------------------------------------------- the proposing unit


def _editable_nominee(user, pk: int, nominee_id: int) -> tuple:
    nomination, nominee = _nominee_of(user, pk, nominee_id)
    if not scopes.can(user, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    return nomination, nominee


@login_required
def nominee_edit(request, pk: int, nominee_id: int):
    nomination, nominee = _editable_nominee(request.user, pk, nominee_id)
    form = NomineeSummaryForm(request.POST if request.method == "POST" else None, initial={"summary": nominee.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.nominee_update(actor=request.user, nominee=nominee, summary=form.cleaned_data["summary"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã sửa tóm tắt thành tích của %(subject)s.") % {"subject": _subject(nominee)})
            return _back(nomination)
    return render(request, "nominations/nominee_form.html", {"nomination": nomination, "nominee": nominee, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def nominee_remove(request, pk: int, nominee_id: int):
    nomination, nominee = _editable_nominee(request.user, pk, nominee_id)
    try:
        services.nominee_remove(actor=request.user, nominee=nominee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã bỏ %(subject)s khỏi hồ sơ.") % {"subject": _subject(nominee)})
    return _back(nomination)


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_id: int):
    user = request.user
    nomination = selectors.access_nomination(user, pk)
    if not scopes.can(user, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    attachment = get_object_or_404(NominationAttachment, pk=attachment_id, nomination=nomination)
    try:
        attachments.nomination_attachment_remove(actor=user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gỡ “%(name)s” khỏi hồ sơ.") % {"name": attachment.original_name})
    return _back(nomination, "tai-lieu")
