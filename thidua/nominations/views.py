"""Pages of rounds and dossiers: the round list and form, the inbox (what waits for me), the dossier page
with nominees, documents, completeness, eligibility reasons, timeline and the workflow buttons.

Dossiers are fetched only through ``selectors.access_nomination`` (404 outside the user's sight); every
write goes through a service, which checks the side (proposing or awarding unit) and answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.views import paginate
from thidua.nominations import attachments, checks, selectors, services
from thidua.nominations.enums import (
    NOMINEE_DECISIONS,
    AttachmentKind,
    NominationStatus,
    NomineeStatus,
    RoundStatus,
)
from thidua.nominations.forms import (
    AssignForm,
    AttachmentForm,
    InboxFilterForm,
    NominationForm,
    NomineeForm,
    RoundForm,
    TransitionForm,
)
from thidua.nominations.models import NominationAttachment, Nominee

PAGE_SIZE = 30
# Nothing is left to appraise in these statuses.
FINAL_STATUSES = (NominationStatus.REJECTED, NominationStatus.DECIDED, NominationStatus.WITHDRAWN, NominationStatus.FORWARDED)
WAITING_TAB = "cho-toi"
BULK_TARGETS = (NominationStatus.UNDER_REVIEW, NominationStatus.RETURNED, NominationStatus.IN_COUNCIL, NominationStatus.APPROVED,
                NominationStatus.REJECTED, NominationStatus.DECIDED, NominationStatus.SUBMITTED)


def _can_use(user) -> bool:
    return scopes.can(user, "nomination.propose") or scopes.can(user, "nomination.appraise")


def _require_use(user) -> None:
    if not _can_use(user):
        raise PermissionDenied


# ---------------------------------------------------------------- rounds


@login_required
@require_GET
def round_list(request):
    user = request.user
    _require_use(user)
    rounds = selectors.rounds_visible_to(user)
    query = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    if query:
        rounds = rounds.filter(title__icontains=query)
    if status in RoundStatus.values:
        rounds = rounds.filter(status=status)
    rounds = rounds.annotate(dossier_count=Count("nominations", distinct=True)).order_by("-submission_deadline", "title")
    page = paginate(request, rounds, PAGE_SIZE)
    for round_ in page.object_list:
        round_.can_close = round_.status == RoundStatus.OPEN and scopes.can(user, "nomination.appraise", round_.awarding_unit)
    return render(request, "nominations/round_list.html", {
        "page": page, "can_create": scopes.can(user, "nomination.appraise"),
        "can_propose": scopes.can(user, "nomination.propose"), "today": timezone.localdate(),
        "query": query, "status": status, "statuses": RoundStatus.choices, "filtered": bool(query or status),
    })


@login_required
@require_POST
def round_close(request, pk: int):
    round_ = selectors.access_round(request.user, pk)
    try:
        services.round_close(actor=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã kết thúc đợt xét “%(title)s”: không nhận hồ sơ mới.") % {"title": round_.title})
    return redirect("nominations:round_list")


@login_required
def round_create(request):
    user = request.user
    scopes.require(user, "nomination.appraise")
    form = RoundForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                actor=user, awarding_unit=data["awarding_unit"], title=data["title"], track=data["track"], simplified=data["simplified"],
                period_start=data["period_start"], period_end=data["period_end"], opens_on=data["opens_on"],
                submission_deadline=data["submission_deadline"], accepted_awards=data["accepted_awards"],
                accepted_units=data["accepted_units"], movement=data["movement"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã mở đợt xét “%(title)s”.") % {"title": round_.title})
            return redirect("nominations:round_list")
    return render(request, "nominations/round_form.html", {"form": form}, status=400 if form.errors else 200)


# ---------------------------------------------------------------- the inbox


@login_required
@require_GET
def inbox(request):
    user = request.user
    _require_use(user)
    visible = selectors.nominations_visible_to(user)
    waiting_tab = request.GET.get("tab") == WAITING_TAB
    form = InboxFilterForm(
        request.GET or None, rounds=selectors.nomination_rounds(visible), units=selectors.nomination_units(visible),
        awards=selectors.nomination_awards(visible),
    )
    values = form.values()
    dossiers = selectors.waiting_for(user, visible) if waiting_tab else visible
    if values["status"]:
        dossiers = dossiers.filter(status=values["status"])
    if values["round"] is not None:
        dossiers = dossiers.filter(round=values["round"])
    if values["unit"] is not None:
        dossiers = dossiers.filter(proposing_unit=values["unit"])
    if values["award"] is not None:
        dossiers = dossiers.filter(pk__in=Nominee.objects.filter(award=values["award"]).values("nomination"))
    dossiers = dossiers.annotate(nominee_count=Count("nominees")).order_by("appraisal_due", "-created_at", "-id")
    page = paginate(request, dossiers, PAGE_SIZE)
    today = timezone.localdate()
    rows = list(page.object_list)
    # Only a dossier under review has a running clock; one holiday query serves the whole page.
    days_left = selectors.appraisal_days_left_many(rows, today)
    # A dossier still held by its unit shows the round's submission deadline instead (same: one holiday query).
    submission = checks.round_deadline_days_left_many(rows, today)
    for dossier in rows:
        dossier.days_left = days_left.get(dossier.pk)
        dossier.submission_countdown = submission.get(dossier.pk)
    page.object_list = rows
    context = {
        "form": form, "page": page, "filtered": form.filtered, "waiting_tab": waiting_tab, "tab_value": WAITING_TAB,
        "waiting_count": selectors.waiting_for(user, visible).count(), "today": today,
        # Bulk steps on the "waiting for me" list (forwarding needs its own page per dossier).
        "bulk_actions": [{"value": status.value, "label": status.label} for status in NominationStatus if status in BULK_TARGETS]
        if waiting_tab and rows else [],
    }
    template = "nominations/inbox.html#results" if request.htmx and not request.htmx.history_restore_request else "nominations/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- dossiers


@login_required
def nomination_create(request):
    user = request.user
    scopes.require(user, "nomination.propose")
    round_ = selectors.access_round(user, request.GET.get("round") or request.POST.get("round"))
    form = NominationForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(actor=user, round=round_, proposing_unit=form.cleaned_data["proposing_unit"],
                                                    title=form.cleaned_data["title"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã tạo hồ sơ “%(title)s”.") % {"title": nomination.title})
            return redirect("nominations:nomination_detail", pk=nomination.pk)
    return render(request, "nominations/nomination_form.html", {"form": form, "round": round_}, status=400 if form.errors else 200)


def _detail_context(request, nomination, *, nominee_form=None, attachment_form=None, transition_form=None) -> dict:
    user = request.user
    can_propose = scopes.can(user, "nomination.propose", nomination.proposing_unit)
    editable = can_propose and nomination.status in (NominationStatus.DRAFT, NominationStatus.RETURNED)
    can_appraise = scopes.can(user, "nomination.appraise", nomination.round.awarding_unit)
    nominees = list(nomination.nominees.select_related("person", "unit", "award", "decided_by__person"))
    carried_to = dict(Nominee.objects.filter(source_nominee__in=nominees).values_list("source_nominee", "nomination"))
    in_council = nomination.status == NominationStatus.IN_COUNCIL
    for nominee in nominees:
        nominee.forwarded_dossier_id = carried_to.get(nominee.pk)
        # While the council sits, only its own nominees can be decided (and not sent back to pending).
        targets = NOMINEE_DECISIONS.get(nominee.status, ())
        if in_council:
            targets = [t for t in targets if nominee.status == NomineeStatus.IN_COUNCIL and t != NomineeStatus.PENDING]
        nominee.decision_targets = [{"value": t, "label": NomineeStatus(t).label} for t in targets]
    files = list(nomination.attachments.all())
    present = {attachment.kind for attachment in files}
    required = services.required_documents(nomination)
    allowed = services.transitions_allowed_for(user, nomination)
    if editable and nominee_form is None:
        people = selectors.proposable_people(user, nomination)
        nominee_form = NomineeForm(nomination=nomination, people=people)
    return {
        "nomination": nomination,
        "nominees": nominees,
        "attachments": files,
        "completeness": [{"kind": kind, "label": AttachmentKind(kind).label, "present": kind in present} for kind in required],
        "timeline": selectors.timeline(nomination),
        # Forwarding has its own page (the next level's round and the nominees to carry).
        "actions": [{"to": target, "label": NominationStatus(target).label} for target in allowed if target != NominationStatus.FORWARDED],
        "can_forward": NominationStatus.FORWARDED in allowed,
        "can_appraise": can_appraise,
        "deciding": can_appraise and nomination.status in (NominationStatus.UNDER_REVIEW, NominationStatus.IN_COUNCIL),
        "noting": can_appraise and nomination.status in (NominationStatus.SUBMITTED, NominationStatus.UNDER_REVIEW, NominationStatus.IN_COUNCIL),
        "assign_form": AssignForm(officers=selectors.appraising_officers(nomination), initial={"officer": nomination.assigned_officer_id})
        if can_appraise and nomination.status not in FINAL_STATUSES else None,
        "forwards": list(nomination.forwards.select_related("round__awarding_unit")),
        "editable": editable,
        "nominee_form": nominee_form if editable else None,
        "attachment_form": (attachment_form or AttachmentForm()) if editable else None,
        "transition_form": transition_form or TransitionForm(),
        "days_left": services.appraisal_days_left(nomination) if nomination.status == NominationStatus.UNDER_REVIEW else None,
        "returned": nomination.status == NominationStatus.RETURNED,
        "checks": checks.dossier_checks(nomination, user=user),
    }


@login_required
@require_GET
def nomination_detail(request, pk: int):
    nomination = selectors.access_nomination(request.user, pk)
    return render(request, "nominations/nomination_detail.html", _detail_context(request, nomination))


def _dossier_to_edit(user, pk):
    """404 when out of sight; 403 when seen but not the proposing unit's to edit."""
    nomination = selectors.access_nomination(user, pk)
    if not scopes.can(user, "nomination.propose", nomination.proposing_unit):
        raise PermissionDenied
    return nomination


@login_required
@require_POST
def nominee_add(request, pk: int):
    user = request.user
    nomination = _dossier_to_edit(user, pk)
    people = selectors.proposable_people(user, nomination)
    form = NomineeForm(request.POST, nomination=nomination, people=people)
    if form.is_valid():
        try:
            nominee = services.nominee_add(actor=user, nomination=nomination, award=form.cleaned_data["award"],
                                           summary=form.cleaned_data["summary"], **form.subject_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            subject = nominee.person.full_name if nominee.person_id else nominee.unit.name
            messages.success(request, _("Đã thêm %(subject)s vào hồ sơ.") % {"subject": subject})
            return redirect(f"{reverse('nominations:nomination_detail', args=[nomination.pk])}#de-nghi")
    return render(request, "nominations/nomination_detail.html", _detail_context(request, nomination, nominee_form=form), status=400)


@login_required
@require_POST
def attachment_add(request, pk: int):
    user = request.user
    nomination = _dossier_to_edit(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachments.nomination_attachment_add(actor=user, nomination=nomination, kind=form.cleaned_data["kind"],
                                                               file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã đính kèm “%(name)s”.") % {"name": attachment.original_name})
            return redirect(f"{reverse('nominations:nomination_detail', args=[nomination.pk])}#tai-lieu")
    return render(request, "nominations/nomination_detail.html", _detail_context(request, nomination, attachment_form=form), status=400)


@login_required
@require_GET
def attachment_file(request, pk: int, attachment_id: int):
    nomination = selectors.access_nomination(request.user, pk)
    attachment = get_object_or_404(NominationAttachment, pk=attachment_id, nomination=nomination)
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@require_POST
def nomination_transition(request, pk: int):
    user = request.user
    nomination = selectors.access_nomination(user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trạng thái không hợp lệ."))
        return redirect("nominations:nomination_detail", pk=nomination.pk)
    target = form.cleaned_data["to"]
    try:
        services.nomination_transition(actor=user, nomination=nomination, to=target, note=form.cleaned_data["note"], items=form.item_list())
    except services.TransitionRefused as refusal:
        form.add_error(None, refusal.message)
        return render(request, "nominations/nomination_detail.html", _detail_context(request, nomination, transition_form=form), status=409)
    except PermissionDenied:
        form.add_error(None, _("Bạn không có quyền chuyển hồ sơ này sang “%(status)s”.") % {"status": NominationStatus(target).label})
        return render(request, "nominations/nomination_detail.html", _detail_context(request, nomination, transition_form=form), status=403)
    messages.success(request, _("Hồ sơ đã chuyển sang “%(status)s”.") % {"status": NominationStatus(target).label})
    return redirect("nominations:nomination_detail", pk=nomination.pk)


# ---------------------------------------------------------------- generated documents


@login_required
@require_POST
def document_generate(request, pk: int):
    from thidua.nominations import documents

    nomination = selectors.access_nomination(request.user, pk)
    try:
        stored = documents.nomination_document_generate(actor=request.user, nomination=nomination, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        nominees = {nominee.pk: nominee for nominee in nomination.nominees.select_related("person", "unit")}
        messages.success(request, _("Đã tạo %(label)s, phiên bản %(version)d.") % {
            "label": documents.document_label(stored.kind, nominees), "version": stored.version})
    return redirect(f"{reverse('nominations:nomination_detail', args=[nomination.pk])}#van-ban")


@login_required
@require_GET
def document_file(request, pk: int, document_id: int):
    from thidua.common.documents import DOCX_CONTENT_TYPE
    from thidua.nominations import documents

    nomination = selectors.access_nomination(request.user, pk)
    stored = get_object_or_404(documents.nomination_documents(nomination), pk=document_id)
    if not stored.file or not stored.file.storage.exists(stored.file.name):
        raise Http404
    name = stored.filename.removesuffix(".docx") + f"-v{stored.version}.docx"
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE)
