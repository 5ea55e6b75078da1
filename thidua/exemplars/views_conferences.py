"""Pages of conferences for the organiser and the participants: the list, creating and editing, the
conference hub with its workflow buttons, the programme (agenda, PDF, ceremony running order), the
decisions honoured there, the speech and the launch of the next movement, reviewers, and the report.

Conferences are fetched only through ``selectors.access_conference`` (404 outside sight); the organiser's
pages ask ``selectors.is_organiser`` (403 otherwise); writes go through the services.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.documents import generated_versions
from thidua.common.text import search_terms
from thidua.common.views import paginate
from thidua.exemplars import documents, selectors, services_conferences
from thidua.exemplars.enums import (
    CONFERENCE_TRANSITIONS,
    PROGRAMME_EDITABLE,
    PUBLIC_STATUSES,
    ConferenceStatus,
    PresentationStatus,
)
from thidua.exemplars.forms import (
    AgendaItemForm,
    ConferenceForm,
    HonoursForm,
    MovementLaunchForm,
    MovementLinkForm,
    ReportForm,
    ReviewerForm,
    SpeechForm,
    lines_of,
)
from thidua.exemplars.models import AgendaItem, Conference, ReviewerAssignment
from thidua.exemplars.services import TransitionRefused

PAGE_SIZE = 30
PDF = "application/pdf"
STEP_LABELS = {
    ConferenceStatus.OPEN: gettext_lazy("Mở nhận tham luận"),
    ConferenceStatus.PUBLISHED: gettext_lazy("Công bố chương trình"),
    ConferenceStatus.HELD: gettext_lazy("Ghi nhận đã tổ chức"),
    ConferenceStatus.REPORTED: gettext_lazy("Báo cáo kết quả"),
}


def _require_organiser(user, conference: Conference) -> None:
    if not selectors.is_organiser(user, conference):
        raise PermissionDenied


def _organiser_units(user):
    from thidua.organizations.models import Unit

    return Unit.objects.filter(scopes.scope_q(user, "conference.manage")).valid_on(timezone.localdate()).order_by("path")


def _documents_for(user):
    from thidua.common.selectors import legal_documents_visible_to

    return legal_documents_visible_to(user).order_by("-issued_on", "number")


# ---------------------------------------------------------------- list, create, edit


@login_required
@require_GET
def conference_list(request):
    user = request.user
    conferences = selectors.conferences_visible_to(user)
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status in ConferenceStatus.values:
        conferences = conferences.filter(status=status)
    terms = search_terms(q)
    if terms:
        from thidua.common.text import fold

        matching = [pk for pk, title in conferences.values_list("pk", "title") if all(term in fold(title) for term in terms)]
        conferences = conferences.filter(pk__in=matching)
    page = paginate(request, conferences.order_by("-held_on", "-id"), PAGE_SIZE)
    return render(request, "exemplars/conference_list.html", {
        "page": page, "q": q, "status": status, "statuses": ConferenceStatus.choices, "filtered": bool(q or status),
        "can_create": scopes.can(user, "conference.manage"),
    })


def _form_values(form: ConferenceForm) -> dict:
    data = dict(form.cleaned_data)
    data["purposes"] = lines_of(data["purposes"])
    return data


@login_required
def conference_create(request):
    user = request.user
    scopes.require(user, "conference.manage")
    today = timezone.localdate()
    form = ConferenceForm(request.POST or None, units=_organiser_units(user), documents=_documents_for(user), initial={
        "period_start": today.year - 5, "period_end": today.year, "ceremony_batch_size": 7,
        "criteria": "Tính thực tiễn, khả năng nhân rộng | 40\nChất lượng nội dung, số liệu minh chứng | 40\nHình thức trình bày | 20",
    })
    if request.method == "POST" and form.is_valid():
        data = _form_values(form)
        try:
            conference = services_conferences.conference_create(actor=user, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã tạo hội nghị."))
            return redirect("conferences:conference_detail", pk=conference.pk)
    return render(request, "exemplars/conference_form.html", {"form": form, "conference": None}, status=400 if form.errors else 200)


@login_required
def conference_edit(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    initial = {name: getattr(conference, name) for name in (
        "organising_unit", "title", "held_on", "starts_at", "venue", "period_start", "period_end", "submission_deadline", "blind_review",
        "speaker_name", "speaker_title", "ceremony_batch_size")}
    initial["legal_bases"] = list(conference.legal_bases.values_list("pk", flat=True))
    initial["purposes"] = "\n".join(conference.purposes)
    initial["criteria"] = "\n".join(f"{c.name} | {c.max_points}" for c in conference.criteria.all())
    form = ConferenceForm(request.POST or None, initial=initial, units=_organiser_units(user), documents=_documents_for(user))
    form.fields["organising_unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = _form_values(form)
        data.pop("organising_unit")
        try:
            services_conferences.conference_update(actor=user, conference=conference, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("conferences:conference_detail", pk=conference.pk)
    return render(request, "exemplars/conference_form.html", {"form": form, "conference": conference}, status=400 if form.errors else 200)


# ---------------------------------------------------------------- the conference hub


@login_required
@require_GET
def conference_detail(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    organiser = selectors.is_organiser(user, conference)
    observer = organiser or scopes.can(user, "audit.view", conference.organising_unit)
    reviewer = selectors.is_reviewer(user, conference)
    programme_visible = observer or conference.status in PUBLIC_STATUSES
    context = {
        "conference": conference,
        "organiser": organiser,
        "observer": observer,
        "reviewer": reviewer,
        "legal_bases": list(conference.legal_bases.order_by("issued_on")),
        "agenda": list(conference.agenda.select_related("presentation")) if programme_visible else [],
        "programme_visible": programme_visible,
        "criteria": list(conference.criteria.all()),
        "actions": [{"to": target, "label": STEP_LABELS[target]} for target in CONFERENCE_TRANSITIONS.get(conference.status, ())
                    if organiser and target in STEP_LABELS and not (conference.status == ConferenceStatus.PUBLISHED and target == ConferenceStatus.OPEN)],
        "can_reopen": organiser and conference.status == ConferenceStatus.PUBLISHED,
        "can_submit": conference.status == ConferenceStatus.OPEN and selectors.submitting_units(user, conference).exists(),
        "my_presentations": list(selectors.presentations_of_participant(user, conference)) if not observer else [],
        "history": list(conference.transitions.select_related("by__person")) if observer else [],
        "today": timezone.localdate(),
    }
    if observer:
        context.update({
            "presentation_counts": {status: count for status, count in _status_counts(conference)},
            "attendance": selectors.attendance(conference),
            "honourees": selectors.honourees(conference),
            "decisions": list(selectors.honoured_decisions(conference)),
            "reviewers": list(conference.reviewers.select_related("user__person")),
            "reports": list(generated_versions(conference).order_by("kind", "-version")),
        })
    return render(request, "exemplars/conference_detail.html", context)


def _status_counts(conference: Conference):
    from django.db.models import Count

    counts = dict(conference.presentations.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return [(PresentationStatus(status).label, counts.get(status, 0)) for status in PresentationStatus.values]


@login_required
@require_POST
def conference_transition(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    to = request.POST.get("to", "")
    on = None
    if request.POST.get("on"):
        try:
            on = datetime.date.fromisoformat(request.POST["on"])
        except ValueError:
            messages.error(request, _("Ngày không hợp lệ."))
            return redirect("conferences:conference_detail", pk=conference.pk)
        if on > timezone.localdate():
            on = None
    try:
        services_conferences.conference_transition(actor=user, conference=conference, to=to, note=request.POST.get("note", ""), on=on)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hội nghị: %(status)s.") % {"status": ConferenceStatus(to).label})
    return redirect("conferences:conference_detail", pk=conference.pk)


# ---------------------------------------------------------------- programme


@login_required
def programme(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    accepted = selectors.accepted_presentations(conference)
    form = AgendaItemForm(request.POST or None, presentations=accepted)
    if request.method == "POST" and form.is_valid():
        try:
            services_conferences.agenda_item_add(actor=user, conference=conference, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm vào chương trình."))
            return redirect("conferences:programme", pk=conference.pk)
    return render(request, "exemplars/programme.html", {
        "conference": conference, "form": form, "agenda": list(conference.agenda.select_related("presentation")),
        "editable": conference.status in PROGRAMME_EDITABLE, "honourees": selectors.honourees(conference),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def agenda_default(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    try:
        services_conferences.agenda_default(actor=user, conference=conference)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã tạo chương trình mẫu; sửa giờ và người thực hiện cho phù hợp."))
    return redirect("conferences:programme", pk=conference.pk)


@login_required
@require_POST
def agenda_item_action(request, pk: int, item_id: int, action: str):
    user = request.user
    conference = selectors.access_conference(user, pk)
    item = get_object_or_404(AgendaItem, pk=item_id, conference=conference)
    try:
        if action == "xoa":
            services_conferences.agenda_item_remove(actor=user, item=item)
        elif action in ("len", "xuong"):
            services_conferences.agenda_item_move(actor=user, item=item, up=action == "len")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("conferences:programme", pk=conference.pk)


def _pdf(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@login_required
@require_GET
def programme_pdf(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    if not (selectors.is_organiser(user, conference) or conference.status in PUBLIC_STATUSES):
        raise Http404
    return _pdf(documents.programme_pdf(conference), f"chuong-trinh-hoi-nghi-{conference.held_on:%Y-%m-%d}.pdf")


@login_required
@require_GET
def ceremony_pdf(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    return _pdf(documents.ceremony_pdf(conference), f"kich-ban-trao-thuong-{conference.held_on:%Y-%m-%d}.pdf")


# ---------------------------------------------------------------- honours, speech, launch


def _linkable_decisions(user, conference: Conference):
    from thidua.decisions.enums import DecisionKind, DecisionStatus
    from thidua.decisions.selectors import decisions_visible_to

    return decisions_visible_to(user).filter(status=DecisionStatus.ISSUED, kind=DecisionKind.AWARD).order_by("-decision_date", "-number")


@login_required
def honours(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    form = HonoursForm(request.POST or None, decisions=_linkable_decisions(user, conference),
                       initial={"decisions": list(conference.decisions.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            services_conferences.conference_decisions_set(actor=user, conference=conference, decisions=form.cleaned_data["decisions"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã cập nhật các quyết định khen thưởng trao tại hội nghị."))
            return redirect("conferences:honours", pk=conference.pk)
    return render(request, "exemplars/honours.html", {
        "conference": conference, "form": form, "honourees": selectors.honourees(conference),
        "editable": conference.status in PROGRAMME_EDITABLE, "registered": list(conference.exemplars.select_related("person", "collective")),
    }, status=400 if form.errors else 200)


@login_required
def launch(request, pk: int):
    """The speech, and the movement launched at the conference: a new one (with its focus tasks), or one
    already prepared in the movements."""
    from thidua.movements.models import Movement

    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    movements = Movement.objects.filter(launching_unit=conference.organising_unit, parent__isnull=True).order_by("-start")
    speech = SpeechForm(request.POST if request.POST.get("form") == "speech" else None, initial={
        "speaker_name": conference.speaker_name, "speaker_title": conference.speaker_title, "speech_text": conference.speech_text})
    link = MovementLinkForm(request.POST if request.POST.get("form") == "link" else None, movements=movements)
    held = conference.held_on
    new = MovementLaunchForm(request.POST if request.POST.get("form") == "new" else None, initial={
        "title": _("Phong trào thi đua yêu nước giai đoạn %(start)d – %(end)d") % {"start": conference.period_end, "end": conference.period_end + 5},
        "start": held, "end": datetime.date(conference.period_end + 5, 12, 31)})
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "speech" and speech.is_valid():
                services_conferences.conference_speech_set(actor=user, conference=conference, **speech.cleaned_data)
                messages.success(request, _("Đã lưu nội dung phát biểu."))
                return redirect("conferences:launch", pk=conference.pk)
            if which == "link" and link.is_valid():
                services_conferences.conference_movement_link(actor=user, conference=conference, movement=link.cleaned_data["movement"])
                messages.success(request, _("Đã gắn phong trào được phát động."))
                return redirect("conferences:launch", pk=conference.pk)
            if which == "new" and new.is_valid():
                data = dict(new.cleaned_data)
                data["tasks"] = lines_of(data["tasks"])
                movement = services_conferences.conference_movement_launch(actor=user, conference=conference, **data)
                messages.success(request, _("Đã tạo phong trào “%(title)s”.") % {"title": movement.title})
                return redirect("conferences:launch", pk=conference.pk)
        except ValidationError as error:
            {"speech": speech, "link": link, "new": new}.get(which, speech).add_service_error(error)
    conference.refresh_from_db()
    status = 400 if (speech.errors or link.errors or new.errors) else 200
    return render(request, "exemplars/launch.html", {
        "conference": conference, "speech_form": speech, "link_form": link, "new_form": new,
        "movement": conference.launched_movement, "tasks": list(conference.launched_movement.tasks.all()) if conference.launched_movement_id else [],
    }, status=status)


# ---------------------------------------------------------------- reviewers


@login_required
def reviewers(request, pk: int):
    from thidua.accounts.models import User

    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    candidates = User.objects.filter(is_active=True, roles__unit__path__startswith=conference.organising_unit.path).exclude(
        pk__in=conference.reviewers.values("user")).select_related("person").distinct().order_by("username")
    form = ReviewerForm(request.POST or None, users=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services_conferences.reviewer_assign(actor=user, conference=conference, user=form.cleaned_data["user"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã phân công người đánh giá."))
            return redirect("conferences:reviewers", pk=conference.pk)
    return render(request, "exemplars/reviewers.html", {
        "conference": conference, "form": form, "assignments": list(conference.reviewers.select_related("user__person", "assigned_by")),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def reviewer_remove(request, pk: int, assignment_id: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    assignment = get_object_or_404(ReviewerAssignment, pk=assignment_id, conference=conference)
    try:
        services_conferences.reviewer_remove(actor=user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã bỏ phân công."))
    return redirect("conferences:reviewers", pk=conference.pk)


# ---------------------------------------------------------------- report


@login_required
def report(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    initial = {name: getattr(conference, name) for name in ("outcome", "report_number", "report_date", "report_signer_name", "news_byline")}
    initial["report_signer_title"] = conference.report_signer_title
    initial["report_recipients"] = "\n".join(conference.report_recipients)
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("generate") and conference.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED):
            documents.conference_report_generate(actor=user, conference=conference)
            messages.success(request, _("Đã tạo phiên bản mới của báo cáo và tin bài."))
            return redirect("conferences:report", pk=conference.pk)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["report_recipients"] = lines_of(data["report_recipients"])
            try:
                services_conferences.conference_update(actor=user, conference=conference, **data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("conferences:report", pk=conference.pk)
    versions = list(generated_versions(conference).order_by("kind", "-version"))
    news = next((version for version in versions if version.kind == documents.NEWS_KIND), None)
    news_text = ""
    if news is not None:
        with news.file.open("rb") as handle:
            news_text = handle.read().decode("utf-8")
    return render(request, "exemplars/report.html", {
        "conference": conference, "form": form, "versions": versions, "news_text": news_text,
        "can_generate": conference.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def generated_file(request, pk: int, document_id: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    _require_organiser(user, conference)
    document = get_object_or_404(generated_versions(conference), pk=document_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)
