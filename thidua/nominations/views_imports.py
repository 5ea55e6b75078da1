"""Pages of the nominee list import, under the dossier: upload, column mapping, matching preview (with
the choices for doubtful rows), apply, cancel, the template and the kept file.

Every page needs ``nomination.propose`` on the dossier's proposing unit (404 when the dossier is out of
sight, 403 when seen but not the user's to edit); the steps that change something also need a dossier
still in draft or returned. The work itself is in ``thidua.nominations.imports``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts import scopes
from thidua.common.imports import ImportFailed
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE, cell_text, xlsx_response
from thidua.nominations import imports, selectors
from thidua.nominations.models import NomineeImport, NomineeImportStatus
from thidua.organizations.views_imports import ImportUploadForm

PREVIEW_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 10
SAMPLE_ROWS = 4

# The preview's tabs: query value → (label, which rows).
VIEWS = {
    "": (gettext_lazy("Tất cả"), lambda row: True),
    "can-xac-nhan": (gettext_lazy("Cần xác nhận"), lambda row: row.match == imports.DOUBTFUL),
    "co-loi": (gettext_lazy("Có lỗi"), lambda row: bool(row.errors)),
    "chac-chan": (gettext_lazy("Chắc chắn"), lambda row: row.match == imports.SURE and not row.errors),
}


class MappingForm(forms.Form):
    """One select per target field, listing the sheet's columns (letter, heading, first value)."""

    def __init__(self, data=None, *, columns, initial_mapping):
        super().__init__(data)
        choices = [("", _("— Không có trong tệp —"))] + [
            (
                column.letter,
                " · ".join(
                    part
                    for part in (
                        column.letter,
                        column.heading or _("(không có tiêu đề)"),
                        column.sample and f"“{column.sample}”",
                    )
                    if part
                ),
            )
            for column in columns
        ]
        for column in imports.FIELDS:
            self.fields[column.key] = forms.ChoiceField(
                label=_(column.heading),
                choices=choices,
                required=False,
                initial=initial_mapping.get(column.key, ""),
                error_messages={"invalid_choice": _("Tệp không có cột này.")},
            )

    def mapping(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}

    def add_service_error(self, error: ValidationError) -> None:
        for key, errors in error.message_dict.items():
            self.add_error(key if key in self.fields else None, errors)


def _dossier(user, pk):
    """404 when out of sight; 403 when seen but not the proposing unit's."""
    nomination = selectors.access_nomination(user, pk)
    if not scopes.can(user, imports.PROPOSE, nomination.proposing_unit):
        raise PermissionDenied
    return nomination


def _detail_url(nomination) -> str:
    return f"{reverse('nominations:nomination_detail', args=[nomination.pk])}#de-nghi"


def _refused(request, nomination):
    """The redirect for a dossier that is no longer the proposing unit's to change, or None."""
    if nomination.status in imports.EDITABLE_STATUSES:
        return None
    messages.error(request, _("Chỉ nhập được danh sách vào hồ sơ dự thảo hoặc hồ sơ bị trả lại."))
    return redirect(_detail_url(nomination))


def _import_of(nomination, import_id) -> NomineeImport:
    return get_object_or_404(
        NomineeImport.objects.select_related("created_by", "batch"), pk=import_id, nomination=nomination
    )


def _service_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------- upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk: int):
    user = request.user
    nomination = _dossier(user, pk)
    refused = _refused(request, nomination)
    if refused is not None:
        return refused
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    failure = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            nominee_import = imports.nominee_import_start(
                actor=user, nomination=nomination, uploaded_file=uploaded, filename=uploaded.name
            )
        except ImportFailed as error:
            failure = error
        except ValidationError as error:
            messages.error(request, _service_message(error))
            return redirect(_detail_url(nomination))
        else:
            messages.success(
                request,
                _("Đã tải lên “%(name)s”. Kiểm tra các cột rồi bấm “Đối chiếu danh sách”.")
                % {"name": nominee_import.original_name},
            )
            return redirect("nominations:import_mapping", pk=nomination.pk, import_id=nominee_import.pk)
    history = Paginator(nomination.imports.select_related("created_by"), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "nomination": nomination,
        "form": form,
        "failure": failure,
        "page": history,
        "fields": imports.FIELDS,
        "accepted": nomination.round.accepted_awards.order_by("precedence", "name"),
        "can_import_people": scopes.can(user, "import.run"),
    }
    status = 422 if failure else 400 if form.errors else 200
    return render(request, "nominations/import_upload.html", context, status=status)


@login_required
@require_GET
def import_template(request, pk: int):
    nomination = _dossier(request.user, pk)
    return xlsx_response("mau-danh-sach-de-nghi.xlsx", imports.nominees_template_bytes(nomination))


@login_required
@require_GET
def import_file(request, pk: int, import_id: int):
    nomination = _dossier(request.user, pk)
    nominee_import = _import_of(nomination, import_id)
    if not nominee_import.file or not nominee_import.file.storage.exists(nominee_import.file.name):
        raise Http404
    return FileResponse(
        nominee_import.file.open("rb"),
        as_attachment=True,
        filename=nominee_import.original_name,
        content_type=XLSX_CONTENT_TYPE,
    )


# ---------------------------------------------------------------- mapping


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk: int, import_id: int):
    user = request.user
    nomination = _dossier(user, pk)
    nominee_import = _import_of(nomination, import_id)
    if nominee_import.status != NomineeImportStatus.PENDING:
        return redirect("nominations:import_preview", pk=nomination.pk, import_id=nominee_import.pk)
    refused = _refused(request, nomination)
    if refused is not None:
        return refused
    layout = imports.import_layout(nominee_import)
    columns = imports.sheet_columns(layout)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        columns=columns,
        initial_mapping=nominee_import.mapping,
    )
    if request.method == "POST" and form.is_valid():
        try:
            imports.nominee_import_map(actor=user, nominee_import=nominee_import, mapping=form.mapping())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("nominations:import_preview", pk=nomination.pk, import_id=nominee_import.pk)
    rows = layout.sheet.rows[layout.header_row : layout.header_row + 1 + SAMPLE_ROWS]
    sample = [
        [cell_text(row[index])[:40] if index < len(row) else "" for index in range(layout.width)]
        for row in rows
    ]
    context = {
        "nomination": nomination,
        "nominee_import": nominee_import,
        "form": form,
        "columns": columns,
        "sample_header": sample[0] if sample else [],
        "sample_rows": sample[1:],
        "sheet_name": layout.sheet.name,
        "header_row": layout.header_row + 1,
        "detected": bool(layout.detected),
    }
    return render(request, "nominations/import_mapping.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------- preview and choices


def _preview_context(request, nomination, nominee_import, *, failure=None) -> dict:
    preview = imports.build_preview(actor=request.user, nominee_import=nominee_import, nomination=nomination)
    view = request.GET.get("xem", "")
    if view not in VIEWS:
        view = ""
    keep = VIEWS[view][1]
    rows = [row for row in preview.rows if keep(row)]
    tabs = [
        {
            "value": value,
            "label": label,
            "count": sum(1 for row in preview.rows if test(row)),
            "active": value == view,
        }
        for value, (label, test) in VIEWS.items()
    ]
    if failure is None and preview.errors:
        failure = ImportFailed(preview.errors, truncated=preview.truncated)
    return {
        "nomination": nomination,
        "nominee_import": nominee_import,
        "preview": preview,
        "page": Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page")),
        "tabs": tabs,
        "view": view,
        "failure": failure,
        "skip": imports.SKIP,
        "can_import_people": scopes.can(request.user, "import.run"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk: int, import_id: int):
    user = request.user
    nomination = _dossier(user, pk)
    nominee_import = _import_of(nomination, import_id)
    if nominee_import.status != NomineeImportStatus.PENDING:
        page = Paginator(imports.imported_nominees(nominee_import), PREVIEW_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {"nomination": nomination, "nominee_import": nominee_import, "page": page}
        return render(request, "nominations/import_result.html", context)
    refused = _refused(request, nomination)
    if refused is not None:
        return refused
    if imports.mapping_problems(nominee_import.mapping or {}):
        messages.warning(
            request, _("Chọn cột họ tên (hoặc tên tập thể) và cột danh hiệu, hình thức trước khi đối chiếu.")
        )
        return redirect("nominations:import_mapping", pk=nomination.pk, import_id=nominee_import.pk)
    if request.method == "POST":
        choices = {
            key.removeprefix("row-"): value for key, value in request.POST.items() if key.startswith("row-")
        }
        try:
            imports.nominee_import_confirm(actor=user, nominee_import=nominee_import, choices=choices)
        except ValidationError as error:
            messages.error(request, _service_message(error))
        else:
            messages.success(request, _("Đã lưu lựa chọn."))
        return redirect(request.get_full_path())
    return render(
        request, "nominations/import_preview.html", _preview_context(request, nomination, nominee_import)
    )


@login_required
@require_POST
def import_apply(request, pk: int, import_id: int):
    user = request.user
    nomination = _dossier(user, pk)
    nominee_import = _import_of(nomination, import_id)
    try:
        batch = imports.nominee_import_apply(actor=user, nominee_import=nominee_import)
    except ImportFailed as failure:
        nominee_import.refresh_from_db()
        context = _preview_context(request, nomination, nominee_import, failure=failure)
        return render(request, "nominations/import_preview.html", context, status=422)
    except ValidationError as error:
        messages.error(request, _service_message(error))
        return redirect(_detail_url(nomination))
    messages.success(
        request,
        _("Đã thêm %(count)d đề nghị vào hồ sơ từ tệp “%(name)s”.")
        % {"count": batch.created_count, "name": batch.original_name},
    )
    return redirect(_detail_url(nomination))


@login_required
@require_POST
def import_cancel(request, pk: int, import_id: int):
    user = request.user
    nomination = _dossier(user, pk)
    nominee_import = _import_of(nomination, import_id)
    try:
        imports.nominee_import_cancel(actor=user, nominee_import=nominee_import)
    except ValidationError as error:
        messages.error(request, _service_message(error))
    else:
        messages.success(
            request,
            _("Đã hủy danh sách “%(name)s”; hồ sơ không thay đổi.") % {"name": nominee_import.original_name},
        )
    return redirect(_detail_url(nomination))


def batch_result_url(batch) -> str | None:
    """The page of a NOMINEES ImportBatch (for the general list of imports, which links each batch to
    its result page): the import's page under its dossier, or None for a batch of another kind."""
    nominee_import = NomineeImport.objects.filter(batch=batch).only("pk", "nomination_id").first()
    if nominee_import is None:
        return None
    return reverse("nominations:import_preview", args=[nominee_import.nomination_id, nominee_import.pk])
