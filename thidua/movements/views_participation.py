"""Pages for taking part in a movement: a unit registering itself and its people (on a form or from
an Excel list), approving self-registrations, registering oneself, the launching unit's overview of
who has registered (with reminders), and the mid-term and final reviews (requests, the units' reports,
the consolidated table and the summary report).

Movements, registrations, review requests and reports are fetched only through the ``access_*``
selectors (404 outside the user's sight); a visible object the user may not act on answers 403.
Every write goes through ``thidua.movements.services`` (or ``documents_reviews`` for the summary).
"""

import datetime
import re
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.common.documents import DOCX_CONTENT_TYPE
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.text import fold, search_terms
from thidua.common.views import paginate
from thidua.movements import documents_reviews, imports, selectors, services
from thidua.movements.enums import MovementStatus, RegistrationStatus, ReviewKind
from thidua.movements.forms_participation import (
    OverviewFilterForm,
    ReviewReportForm,
    ReviewRequestForm,
    SelfRegistrationForm,
    SummaryDocumentForm,
    UnitPickForm,
    UnitRegistrationForm,
)
from thidua.organizations import selectors as org_selectors
from thidua.organizations.views_imports import ImportUploadForm

OVERVIEW_PAGE_SIZE = 50
_UNIT_CODE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


# ---------------------------------------------------------------- shared helpers


def _managed_movement(user, pk):
    """A movement the user may see (else 404) and manage for its launching unit (else 403)."""
    movement = selectors.access_movement(user, pk)
    if not selectors.can_manage(user, movement):
        raise PermissionDenied
    return movement


def _acting_unit(request, user, movement, permission: str):
    """The participating unit the page acts for: ``?unit=<code>`` among those the user may act for,
    else the user's own. 403 when the user acts for none; 404 for a unit outside that list."""
    units = selectors.units_acting_for(user, movement, permission)
    if not units:
        raise PermissionDenied
    code = request.GET.get("unit", "")
    if code:
        for unit in units:
            if unit.code == code:
                return unit, units
        raise Http404
    return selectors.own_unit_among(user, units, permission), units


def _with_unit(url: str, unit) -> str:
    return f"{url}?{urlencode({'unit': unit.code})}"


def _deadline_context(movement, user) -> dict:
    today = timezone.localdate()
    deadline = movement.registration_deadline
    days = (deadline - today).days if deadline else None
    return {
        "deadline": deadline,
        "days_left": days,
        "deadline_passed": days is not None and days < 0,
        "late_allowed": selectors.can_manage(user, movement),
        "open_for_registration": movement.status == MovementStatus.LAUNCHED,
    }


def _subjects_label(people: int, units: int) -> str:
    return _("Đã đăng ký %(people)d cá nhân, %(units)d tập thể.") % {"people": people, "units": units}


# ---------------------------------------------------------------- registering a unit


def _registration_form(data, movement, unit, user):
    people = list(org_selectors.people_search(user, unit=unit, permission="registration.manage"))
    collective, registrations = selectors.unit_registrations(movement, unit)
    return UnitRegistrationForm(
        data,
        people=people,
        registrations=registrations,
        individual_awards=selectors.individual_titles(movement),
        collective_awards=selectors.collective_titles(movement),
        unit_registration=collective,
    )


def _save_unit_registration(user, movement, unit, form) -> tuple[int, int]:
    """All of the form in one transaction: the shared commitment's group (with the collective), then
    one call per distinct personal commitment. Returns (people, collectives) registered."""
    unit_awards = form.unit_awards()
    people = collectives = 0
    with transaction.atomic():
        for index, (commitment, people_awards) in enumerate(form.groups()):
            with_unit = unit_awards if index == 0 else None
            if not people_awards and not with_unit:
                continue
            saved = services.registration_bulk(
                actor=user,
                movement=movement,
                unit=unit,
                people_awards=people_awards,
                unit_awards=with_unit,
                commitment=commitment,
            )
            collectives += sum(1 for registration in saved if registration.unit_id)
            people += sum(1 for registration in saved if registration.person_id)
    if not people and not collectives:
        raise ValidationError(_("Chưa chọn danh hiệu cho tập thể hoặc cá nhân nào."))
    return people, collectives


@login_required
@require_http_methods(["GET", "POST"])
def registration_unit(request, pk: int):
    """The whole unit on one page: the collective, its people with a box per title, one commitment;
    self-registrations to approve; the Excel import."""
    user = request.user
    movement = selectors.access_movement(user, pk)
    unit, units = _acting_unit(request, user, movement, "registration.manage")
    form = _registration_form(request.POST if request.method == "POST" else None, movement, unit, user)
    page_url = _with_unit(reverse("movements:registration_unit", args=[movement.pk]), unit)
    if request.method == "POST" and form.is_valid():
        try:
            people, collectives = _save_unit_registration(user, movement, unit, form)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _subjects_label(people, collectives))
            return redirect(page_url)
    requests = selectors.review_requests_of(movement)
    reported = selectors.review_reported_units(movement, [unit])
    context = {
        "movement": movement,
        "unit": unit,
        "pick": UnitPickForm(initial={"unit": unit.code}, units=units),
        "form": form,
        "pending": selectors.pending_registrations(movement, unit),
        "reviews": [{"request": item, "reported": (item.pk, unit.pk) in reported} for item in requests],
        "can_manage": selectors.can_manage(user, movement),
        "page_url": page_url,
        **_deadline_context(movement, user),
    }
    return render(request, "movements/registration_unit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def registration_decide(request, pk: int):
    """Approve or reject a self-registration (the buttons of the unit's registration page)."""
    user = request.user
    registration = selectors.access_registration(user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.registration_decide(actor=user, registration=registration, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("Đã duyệt đăng ký của %(name)s.") if approve else _("Đã không duyệt đăng ký của %(name)s.")
        messages.success(
            request,
            text
            % {"name": registration.person.full_name if registration.person_id else registration.unit.name},
        )
    code = request.POST.get("unit", "")
    url = reverse("movements:registration_unit", args=[registration.movement_id])
    return redirect(f"{url}?{urlencode({'unit': code})}" if _UNIT_CODE.match(code) else url)


@login_required
@require_http_methods(["GET", "POST"])
def registration_import(request, pk: int):
    """The unit's registration list from an Excel file: all rows or none."""
    user = request.user
    movement = selectors.access_movement(user, pk)
    unit, _units = _acting_unit(request, user, movement, "registration.manage")
    titles = selectors.individual_titles(movement)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    failure = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            result = imports.import_registrations(
                actor=user,
                movement=movement,
                unit=unit,
                individual_awards=titles,
                uploaded_file=uploaded,
                filename=uploaded.name,
            )
        except imports.ImportFailed as error:
            failure = error
        else:
            text = _subjects_label(result.people, 0)
            if result.skipped:
                text += " " + ngettext(
                    "%(count)d dòng không ghi danh hiệu được bỏ qua.",
                    "%(count)d dòng không ghi danh hiệu được bỏ qua.",
                    result.skipped,
                ) % {"count": result.skipped}
            messages.success(request, text)
            return redirect(_with_unit(reverse("movements:registration_unit", args=[movement.pk]), unit))
    context = {
        "movement": movement,
        "unit": unit,
        "form": form,
        "failure": failure,
        "columns": imports.registration_template_columns(titles),
        "template_url": _with_unit(reverse("movements:registration_template", args=[movement.pk]), unit),
        "back_url": _with_unit(reverse("movements:registration_unit", args=[movement.pk]), unit),
        **_deadline_context(movement, user),
    }
    return render(request, "movements/registration_import.html", context, status=422 if failure else 200)


@login_required
@require_GET
def registration_template(request, pk: int):
    """The import template, listing the unit's people so that only the titles remain to be written."""
    user = request.user
    movement = selectors.access_movement(user, pk)
    unit, _units = _acting_unit(request, user, movement, "registration.manage")
    people = org_selectors.people_search(user, unit=unit, permission="registration.manage")
    content = imports.registration_template_bytes(
        people=people, individual_awards=selectors.individual_titles(movement)
    )
    return xlsx_response(f"dang-ky-thi-dua-{movement.pk}-{unit.code}.xlsx", content)


# ---------------------------------------------------------------- registering oneself


@login_required
@require_http_methods(["GET", "POST"])
def registration_self(request, pk: int):
    """A staff member registers themselves; the unit manager approves."""
    user = request.user
    movement = selectors.access_movement(user, pk)
    person = user.person if user.person_id else None
    registration = selectors.person_registration(movement, person)
    participating = selectors.participating_unit_of(movement, person.current_unit if person else None)
    form = None
    if person is not None and participating is not None:
        initial = {}
        if registration is not None:
            initial = {
                "awards": [award.pk for award in registration.awards.all()],
                "commitment": registration.commitment,
            }
        form = SelfRegistrationForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            individual_awards=selectors.individual_titles(movement),
        )
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.registration_submit(
                    actor=user,
                    movement=movement,
                    person=person,
                    awards=list(form.cleaned_data["awards"]),
                    commitment=form.cleaned_data["commitment"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                if saved.status == RegistrationStatus.SUBMITTED:
                    messages.success(request, _("Đã gửi đăng ký thi đua; chờ lãnh đạo đơn vị duyệt."))
                else:
                    messages.success(request, _("Đã đăng ký thi đua."))
                return redirect("movements:registration_self", pk=movement.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "movement": movement,
        "person": person,
        "registration": registration,
        "participating": participating,
        "form": form,
        **_deadline_context(movement, user),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "movements/registration_self.html", context, status=status)


# ---------------------------------------------------------------- the overview


def _filter_overview(rows: list, values: dict) -> list:
    terms = search_terms(values.get("q") or "")
    if terms:
        rows = [
            row
            for row in rows
            if all(
                f" {term}" in f" {fold(row.unit.name)} {fold(row.unit.short_name)} {row.unit.code.lower()}"
                for term in terms
            )
        ]
    status = values.get("status")
    if status == "missing":
        rows = [row for row in rows if not row.registered]
    elif status == "registered":
        rows = [row for row in rows if row.registered]
    elif status == "pending":
        rows = [row for row in rows if row.pending]
    return rows


@login_required
@require_GET
def registration_overview(request, pk: int):
    """Who has registered and who has not, for the launching unit; filters, export and reminders."""
    user = request.user
    movement = _managed_movement(user, pk)
    form = OverviewFilterForm(request.GET or None)
    all_rows = selectors.registration_overview(movement)
    rows = _filter_overview(all_rows, form.values())
    registered = sum(1 for row in all_rows if row.registered)
    context = {
        "movement": movement,
        "form": form,
        "filtered": form.filtered,
        "page": paginate(request, rows, OVERVIEW_PAGE_SIZE),
        "unit_count": len(all_rows),
        "registered_count": registered,
        "missing_count": len(all_rows) - registered,
        "people_count": sum(row.people for row in all_rows),
        "pending_count": sum(row.pending for row in all_rows),
        "reviews": selectors.review_requests_of(movement),
        # Chosen units may lie outside the officer's own subtree: no link to pages that would 404.
        "openable": {unit.pk for unit in selectors.units_acting_for(user, movement, "registration.manage")},
        **_deadline_context(movement, user),
    }
    return render(request, "movements/registration_overview.html", context)


@login_required
@require_GET
def registration_overview_export(request, pk: int):
    user = request.user
    movement = _managed_movement(user, pk)
    form = OverviewFilterForm(request.GET or None)
    rows = _filter_overview(selectors.registration_overview(movement), form.values())
    content = workbook_bytes(
        sheet_title=_("Tình hình đăng ký"),
        headers=[
            _("STT"),
            _("Mã đơn vị"),
            _("Đơn vị"),
            _("Tình hình"),
            _("Tập thể đăng ký"),
            _("Số cá nhân đăng ký"),
            _("Chờ duyệt"),
        ],
        rows=(
            (
                number,
                row.unit.code,
                row.unit.name,
                _("Đã đăng ký") if row.registered else _("Chưa đăng ký"),
                "; ".join(award.short_name or award.name for award in row.collective.awards.all())
                if row.collective
                else "",
                row.people,
                row.pending,
            )
            for number, row in enumerate(rows, start=1)
        ),
        title=_("Tình hình đăng ký thi đua: %(title)s (xuất ngày %(day)s)")
        % {"title": movement.title, "day": f"{timezone.localdate():%d/%m/%Y}"},
    )
    return xlsx_response(f"tinh-hinh-dang-ky-{movement.pk}.xlsx", content)


@login_required
@require_POST
def registration_remind(request, pk: int):
    user = request.user
    movement = _managed_movement(user, pk)
    count = services.registration_remind(actor=user, movement=movement)
    if count:
        messages.success(
            request,
            ngettext(
                "Đã nhắc %(count)d đơn vị chưa đăng ký.", "Đã nhắc %(count)d đơn vị chưa đăng ký.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Mọi đơn vị đã đăng ký; không có đơn vị nào cần nhắc."))
    return redirect("movements:registration_overview", pk=movement.pk)


# ---------------------------------------------------------------- reviews


@login_required
@require_http_methods(["GET", "POST"])
def review_request_create(request, pk: int):
    """The launching unit asks the participating units for a mid-term or final review report."""
    user = request.user
    movement = _managed_movement(user, pk)
    today = timezone.localdate()
    initial = {
        "kind": ReviewKind.MID_TERM,
        "title": _("Báo cáo sơ kết phong trào %(title)s") % {"title": movement.title},
        "period_start": movement.start,
        "period_end": min(today, movement.end),
        "deadline": today + datetime.timedelta(days=14),
    }
    form = ReviewRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_request_create(actor=user, movement=movement, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Đã gửi yêu cầu báo cáo tới %(count)d đơn vị tham gia.")
                % {"count": services.participating_units(movement).count()},
            )
            return redirect("movements:review_detail", pk=review.pk)
    return render(
        request,
        "movements/review_request_form.html",
        {"movement": movement, "form": form, "can_request": movement.status == MovementStatus.LAUNCHED},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_submit(request, pk: int):
    """A participating unit sends (or corrects) its figures and report file."""
    user = request.user
    review = selectors.access_review_request(user, pk)
    movement = review.movement
    unit, units = _acting_unit(request, user, movement, "review.submit")
    report = selectors.review_report_of(review, unit)
    initial = {}
    if report is not None:
        initial = {name: getattr(report, name) for name in (*selectors.REVIEW_FIGURES, "remarks")}
    if request.method == "POST":
        form = ReviewReportForm(request.POST, request.FILES, initial=initial)
    else:
        form = ReviewReportForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_report_submit(
                actor=user,
                request=review,
                unit=unit,
                file=form.cleaned_data.get("file") or None,
                **form.figures(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                (_("Đã cập nhật báo cáo của %(unit)s.") if report else _("Đã gửi báo cáo của %(unit)s."))
                % {"unit": unit.name},
            )
            return redirect(_with_unit(reverse("movements:review_submit", args=[review.pk]), unit))
    today = timezone.localdate()
    context = {
        "review": review,
        "movement": movement,
        "unit": unit,
        "pick": UnitPickForm(initial={"unit": unit.code}, units=units),
        "report": report,
        "form": form,
        "days_left": (review.deadline - today).days,
        "can_manage": selectors.can_manage(user, movement),
    }
    return render(request, "movements/review_submit.html", context, status=400 if form.errors else 200)


def _review_for_launching_unit(user, pk):
    review = selectors.access_review_request(user, pk)
    if not selectors.can_manage(user, review.movement):
        raise PermissionDenied
    return review


def _review_detail_response(request, review, summary_form, status: int = 200):
    table = selectors.review_table(review)
    days_left = (review.deadline - timezone.localdate()).days
    shown = request.GET.get("status", "")
    rows = table.rows
    if shown == "sent":
        rows = [row for row in rows if row.report is not None]
    elif shown == "missing":
        rows = [row for row in rows if row.report is None]
    elif shown == "overdue":
        rows = [row for row in rows if row.overdue]
    else:
        shown = ""
    context = {
        "review": review,
        "movement": review.movement,
        "table": table,
        "rows": rows,
        "remarks": [row for row in rows if row.report is not None and row.report.remarks],
        "shown": shown,
        "status_choices": [
            ("", _("Tất cả")),
            ("sent", _("Đã gửi")),
            ("missing", _("Chưa gửi")),
            ("overdue", _("Quá hạn")),
        ],
        "summary_form": summary_form,
        "latest": documents_reviews.latest_summary(review),
        "days_left": max(days_left, 0),
        "days_overdue": max(-days_left, 0),
    }
    return render(request, "movements/review_detail.html", context, status=status)


@login_required
@require_GET
def review_detail(request, pk: int):
    """The consolidated table of a review request, for the launching unit."""
    review = _review_for_launching_unit(request.user, pk)
    unit = review.movement.launching_unit
    form = SummaryDocumentForm(initial={"place": documents_reviews.default_place(unit)})
    return _review_detail_response(request, review, form)


@login_required
@require_GET
def review_export(request, pk: int):
    review = _review_for_launching_unit(request.user, pk)
    table = selectors.review_table(review)
    rows = [
        (
            number,
            row.unit.code,
            row.unit.name,
            (_("Gửi muộn") if row.late else _("Đã gửi"))
            if row.report
            else (_("Quá hạn") if row.overdue else _("Chưa gửi")),
            timezone.localtime(row.report.submitted_at).replace(tzinfo=None) if row.report else None,
            *((getattr(row.report, name) if row.report else None) for name in selectors.REVIEW_FIGURES),
            row.report.remarks if row.report else "",
        )
        for number, row in enumerate(table.rows, start=1)
    ]
    rows.append(
        ("", "", _("Tổng cộng"), "", None, *(table.totals[name] for name in selectors.REVIEW_FIGURES), "")
    )
    content = workbook_bytes(
        sheet_title=_("Tổng hợp báo cáo"),
        headers=[
            _("STT"),
            _("Mã đơn vị"),
            _("Đơn vị"),
            _("Tình trạng"),
            _("Gửi lúc"),
            _("Số đăng ký đạt"),
            _("Số danh hiệu đạt được"),
            _("Số sáng kiến, đề tài"),
            _("Số được khen thưởng"),
            _("Nhận xét, kiến nghị"),
        ],
        rows=rows,
        title=_("%(title)s — hạn %(day)s") % {"title": review.title, "day": f"{review.deadline:%d/%m/%Y}"},
    )
    return xlsx_response(f"tong-hop-bao-cao-{review.pk}.xlsx", content)


@login_required
@require_http_methods(["GET", "POST"])
def review_summary_docx(request, pk: int):
    """POST: generate the summary report as a new version. GET: download the latest version."""
    user = request.user
    review = _review_for_launching_unit(user, pk)
    if request.method == "GET":
        latest = documents_reviews.latest_summary(review)
        if latest is None or not latest.file:
            raise Http404
        stem = PurePath(latest.filename).stem
        return FileResponse(
            latest.file.open("rb"),
            as_attachment=True,
            filename=f"{stem}-v{latest.version}.docx",
            content_type=DOCX_CONTENT_TYPE,
        )
    form = SummaryDocumentForm(request.POST)
    if not form.is_valid():
        return _review_detail_response(request, review, form, status=400)
    data = form.cleaned_data
    stored = documents_reviews.review_summary_generate(
        actor=user,
        request=review,
        options=documents_reviews.SummaryOptions(
            day=data["day"],
            number=data["number"],
            place=data["place"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
        ),
    )
    messages.success(
        request, _("Đã tạo báo cáo tổng hợp, phiên bản %(version)d.") % {"version": stored.version}
    )
    return redirect("movements:review_detail", pk=review.pk)


@login_required
@require_GET
def review_file(request, pk: int):
    """A unit's report file, for the launching unit and for those who report for that unit."""
    report = selectors.access_review_report(request.user, pk)
    if not report.file or not report.file.storage.exists(report.file.name):
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=PurePath(report.file.name).name)
