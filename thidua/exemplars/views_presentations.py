"""Pages of the call for presentations: submitting, the presentation page (which shows each viewer only
what their role allows), the file, the organiser's decision, the authors' revision, the reviewer's queue
and review form, and the review exports.

Blind review: a reviewer's pages, file and export are built from ``selectors.presentation_for_reviewer``
only; the file is the reviewer copy, under a neutral name.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.exemplars import selectors, services_reviews
from thidua.exemplars.enums import (
    AUTHOR,
    PRESENTATION_TRANSITIONS,
    ConferenceStatus,
    PresentationStatus,
    Recommendation,
)
from thidua.exemplars.forms import BlindCopyForm, DecideForm, PresentationForm, ResubmitForm, ReviewForm
from thidua.exemplars.services import TransitionRefused

MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@login_required
def presentation_submit(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    units = selectors.submitting_units(user, conference)
    if not units.exists():
        raise PermissionDenied
    initial = {}
    if getattr(user, "person_id", None):
        person = user.person
        affiliation = ", ".join(part for part in (person.current_position, person.current_unit.name if person.current_unit_id else "") if part)
        initial["authors"] = f"{person.full_name} | {affiliation}"
        if person.current_unit_id and units.filter(pk=person.current_unit_id).exists():
            initial["unit"] = person.current_unit_id
    form = PresentationForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authors = data["authors"]
        if getattr(user, "person_id", None):
            # The submitter named as an author is linked to their person record (their account hears the decision).
            for author in authors:
                if author["name"].casefold() == user.person.full_name.casefold():
                    author["person"] = user.person
        try:
            presentation = services_reviews.presentation_submit(
                actor=user, conference=conference, unit=data["unit"], title=data["title"], abstract=data["abstract"], authors=authors,
                file=data["file"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã gửi tham luận. Ban Tổ chức sẽ thông báo kết quả đánh giá."))
            return redirect("conferences:presentation_detail", pk=presentation.pk)
    return render(request, "exemplars/presentation_form.html", {"form": form, "conference": conference}, status=400 if form.errors else 200)


@login_required
@require_GET
def presentation_detail(request, pk: int):
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    conference = presentation.conference
    if role == selectors.REVIEWER:
        return _reviewer_page(request, presentation)
    steps = PRESENTATION_TRANSITIONS.get(presentation.status, {})
    context = {
        "presentation": presentation,
        "conference": conference,
        "role": role,
        "authors": list(presentation.authors.all()),
        "organiser": role == selectors.ORGANISER,
        "can_decide": role == selectors.ORGANISER and presentation.status == PresentationStatus.SUBMITTED,
        "decide_form": DecideForm(),
        "blind_form": BlindCopyForm() if role == selectors.ORGANISER and conference.blind_review else None,
        "can_resubmit": role == selectors.PARTICIPANT and steps.get(PresentationStatus.SUBMITTED) == AUTHOR
        and conference.status == ConferenceStatus.OPEN,
        "can_withdraw": role == selectors.PARTICIPANT and steps.get(PresentationStatus.WITHDRAWN) == AUTHOR,
        "reviews": list(presentation.reviews.select_related("reviewer__person").prefetch_related("scores__criterion"))
        if role in (selectors.ORGANISER, selectors.OBSERVER) else [],
    }
    return render(request, "exemplars/presentation_detail.html", context)


def _reviewer_page(request, presentation, form=None, status=200):
    user = request.user
    view = selectors.presentation_for_reviewer(presentation)
    conference = presentation.conference
    if presentation.pk not in set(selectors.presentations_to_review(user, conference).values_list("pk", flat=True)):
        raise Http404
    review = selectors.review_of(user, presentation)
    if form is None:
        initial = {}
        if review is not None:
            initial = {"recommendation": review.recommendation, "comment": review.comment}
            initial.update({f"score_{score.criterion_id}": score.points for score in review.scores.all()})
        form = ReviewForm(initial=initial, criteria=conference.criteria.all())
    return render(request, "exemplars/review_form.html", {
        "view": view, "conference": conference, "form": form, "review": review,
        "open": presentation.status == PresentationStatus.SUBMITTED,
    }, status=status)


@login_required
@require_POST
def review_submit(request, pk: int):
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    if role != selectors.REVIEWER:
        raise PermissionDenied
    form = ReviewForm(request.POST, criteria=presentation.conference.criteria.all())
    if form.is_valid():
        try:
            _review, created = services_reviews.review_submit(
                actor=user, presentation=presentation, scores=form.scores(), recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã gửi đánh giá.") if created else _("Đã cập nhật đánh giá."))
            return redirect("conferences:review_queue", pk=presentation.conference_id)
    return _reviewer_page(request, presentation, form=form, status=400)


@login_required
@require_GET
def presentation_file(request, pk: int):
    """The organiser and the participants get the file as sent; a reviewer gets the reviewer copy under a
    neutral name (the original file under blind review never)."""
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    extension = presentation.extension
    if role == selectors.REVIEWER:
        if presentation.pk not in set(selectors.presentations_to_review(user, presentation.conference).values_list("pk", flat=True)):
            raise Http404
        field = presentation.blind_file if presentation.conference.blind_review else presentation.file
        filename = f"tham-luan-{presentation.pk}.{extension}"
    else:
        field = presentation.file
        filename = presentation.original_name or f"tham-luan-{presentation.pk}.{extension}"
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type=MIME.get(extension, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def presentation_decide(request, pk: int):
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    if role != selectors.ORGANISER:
        raise PermissionDenied
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services_reviews.presentation_decide(actor=user, presentation=presentation, to=form.cleaned_data["to"],
                                                 message=form.cleaned_data["message"])
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Tham luận: %(status)s. Tác giả đã được thông báo.") % {"status": PresentationStatus(form.cleaned_data["to"]).label})
    else:
        messages.error(request, _("Chọn quyết định."))
    return redirect("conferences:presentation_detail", pk=presentation.pk)


@login_required
def presentation_resubmit(request, pk: int):
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    if role != selectors.PARTICIPANT:
        raise PermissionDenied
    form = ResubmitForm(request.POST or None, request.FILES or None, initial={"title": presentation.title, "abstract": presentation.abstract})
    if request.method == "POST" and form.is_valid():
        try:
            services_reviews.presentation_resubmit(actor=user, presentation=presentation, title=form.cleaned_data["title"],
                                                   abstract=form.cleaned_data["abstract"], file=form.cleaned_data["file"])
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã gửi lại tham luận."))
            return redirect("conferences:presentation_detail", pk=presentation.pk)
    return render(request, "exemplars/presentation_resubmit.html", {"form": form, "presentation": presentation},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def presentation_withdraw(request, pk: int):
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    if role != selectors.PARTICIPANT:
        raise PermissionDenied
    try:
        services_reviews.presentation_withdraw(actor=user, presentation=presentation)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã rút tham luận."))
    return redirect("conferences:presentation_detail", pk=presentation.pk)


@login_required
@require_POST
def blind_copy(request, pk: int):
    user = request.user
    presentation, role = selectors.access_presentation(user, pk)
    if role != selectors.ORGANISER:
        raise PermissionDenied
    form = BlindCopyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services_reviews.presentation_blind_copy_set(actor=user, presentation=presentation, file=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã thay bản ẩn danh cho người đánh giá."))
    else:
        messages.error(request, _("Chọn tệp."))
    return redirect("conferences:presentation_detail", pk=presentation.pk)


# ---------------------------------------------------------------- lists and exports


@login_required
@require_GET
def presentation_list(request, pk: int):
    """The organiser's table: every presentation with its authors, status and each reviewer's total."""
    user = request.user
    conference = selectors.access_conference(user, pk)
    if not (selectors.is_organiser(user, conference)):
        raise PermissionDenied
    return render(request, "exemplars/presentation_list.html", {
        "conference": conference, "rows": selectors.review_table(conference), "criteria": list(conference.criteria.all()),
    })


@login_required
@require_GET
def review_queue(request, pk: int):
    user = request.user
    conference = selectors.access_conference(user, pk)
    if not selectors.is_reviewer(user, conference):
        raise PermissionDenied
    items = [{"view": selectors.presentation_for_reviewer(presentation), "review": (presentation.my_reviews or [None])[0]}
             for presentation in selectors.presentations_to_review(user, conference).select_related("conference", "unit").prefetch_related("authors")]
    return render(request, "exemplars/review_queue.html", {"conference": conference, "items": items})


@login_required
@require_GET
def review_export(request, pk: int):
    """Excel: one row per review (organiser: with authors and units; reviewer: their own reviews, with
    authors only when the review is not blind)."""
    user = request.user
    conference = selectors.access_conference(user, pk)
    criteria = list(conference.criteria.all())
    labels = {value: str(label) for value, label in Recommendation.choices}
    if selectors.is_organiser(user, conference):
        headers = [_("Mã"), _("Tên tham luận"), _("Tác giả"), _("Đơn vị gửi"), _("Trạng thái"), _("Người đánh giá")]
        headers += [f"{criterion.name} ({criterion.max_points})" for criterion in criteria] + [_("Tổng điểm"), _("Đề nghị"), _("Nhận xét")]
        rows = []
        for row in selectors.review_table(conference):
            presentation = row["presentation"]
            base = [presentation.pk, presentation.title, "; ".join(author.name for author in presentation.authors.all()), presentation.unit.name,
                    str(PresentationStatus(presentation.status).label)]
            if not row["reviews"]:
                rows.append(base + ["—"] + [None] * len(criteria) + [None, "", ""])
            for item in row["reviews"]:
                review = item["review"]
                reviewer = review.reviewer.get_full_name() or review.reviewer.username
                rows.append(base + [reviewer] + [item["points"].get(criterion.pk) for criterion in criteria]
                            + [review.total, labels.get(review.recommendation, ""), review.comment])
        title = _("Kết quả đánh giá tham luận — %(title)s") % {"title": conference.title}
    elif selectors.is_reviewer(user, conference):
        blind = conference.blind_review
        headers = [_("Mã"), _("Tên tham luận")] + ([] if blind else [_("Tác giả"), _("Đơn vị gửi")])
        headers += [f"{criterion.name} ({criterion.max_points})" for criterion in criteria] + [_("Tổng điểm"), _("Đề nghị"), _("Nhận xét")]
        rows = []
        for presentation in selectors.presentations_to_review(user, conference).prefetch_related("authors", "my_reviews__scores"):
            view = selectors.presentation_for_reviewer(presentation)
            review = (presentation.my_reviews or [None])[0]
            points = {score.criterion_id: score.points for score in review.scores.all()} if review else {}
            row = [view.id, view.title] + ([] if blind else ["; ".join(view.authors or ()), view.unit_name or ""])
            row += [points.get(criterion.pk) for criterion in criteria]
            row += [review.total if review else None, labels.get(review.recommendation, "") if review else "", review.comment if review else ""]
            rows.append(row)
        title = _("Phiếu đánh giá tham luận — %(title)s") % {"title": conference.title}
    else:
        raise PermissionDenied
    content = workbook_bytes(sheet_title=_("Đánh giá"), headers=[str(header) for header in headers], rows=rows, title=str(title))
    return xlsx_response(f"danh-gia-tham-luan-{conference.pk}.xlsx", content)
