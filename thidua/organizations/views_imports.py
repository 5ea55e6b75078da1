"""Pages of the Excel import: the list of past imports, the upload pages, the result page, the
templates and the kept files. The work itself is in thidua.organizations.imports."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from thidua.accounts import scopes
from thidua.common.models import ImportKind
from thidua.common.selectors import imports_visible_to
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE, xlsx_response
from thidua.organizations import imports

PAGE_SIZE = 25


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp Excel cần nhập."),
            "empty": gettext_lazy("Tệp đã chọn rỗng."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ImportFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Tên tệp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("Tìm theo tên tệp")}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"),
        required=False,
        choices=[("", gettext_lazy("Tất cả"))] + list(ImportKind.choices),
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )


_UPLOADS = {
    ImportKind.PEOPLE: {
        "service": imports.import_people,
        "columns": imports.people_template_columns,
        "template_url": "imports:template_people",
        "title": gettext_lazy("Nhập danh sách cá nhân"),
        "intro": gettext_lazy(
            "Mỗi dòng là một người. Người đã có được nhận ra theo Số CCCD (không có CCCD: theo họ tên, ngày sinh "
            "và mã đơn vị) và được cập nhật thay vì tạo trùng; đổi đơn vị hoặc chức vụ thì ghi thêm một quá "
            "trình công tác mới từ hôm nay."
        ),
    },
    ImportKind.UNITS: {
        "service": imports.import_units,
        "columns": imports.units_template_columns,
        "template_url": "imports:template_units",
        "title": gettext_lazy("Nhập danh sách đơn vị"),
        "intro": gettext_lazy(
            "Mỗi dòng là một đơn vị. Đơn vị đã có được nhận ra theo mã và được cập nhật; đơn vị mới nằm dưới "
            "đơn vị cấp trên ghi trong tệp (đã có, hoặc ở một dòng phía trên)."
        ),
    },
}


@login_required
@require_GET
def import_list(request):
    scopes.require(request.user, imports.IMPORT_PERMISSION)
    form = ImportFilterForm(request.GET or None)
    batches = imports_visible_to(request.user)
    filtered = False
    if form.is_valid():
        if form.cleaned_data["kind"]:
            batches = batches.filter(kind=form.cleaned_data["kind"])
            filtered = True
        if form.cleaned_data["q"]:
            batches = batches.filter(original_name__icontains=form.cleaned_data["q"])
            filtered = True
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "organizations/imports/list.html", {"form": form, "page": page, "filtered": filtered}
    )


def run_upload(request, service, result_url_name: str):
    """The upload step shared by every import page: validate the form, run the import service, and on
    success say what changed and go to the batch's result page. Returns (form, failure, response)."""
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method != "POST" or not form.is_valid():
        return form, None, None
    uploaded = form.cleaned_data["file"]
    try:
        batch = service(actor=request.user, uploaded_file=uploaded, filename=uploaded.name)
    except imports.ImportFailed as error:
        return form, error, None
    messages.success(
        request,
        _("Đã nhập xong tệp “%(name)s”: %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi.")
        % {
            "name": batch.original_name,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
        },
    )
    return form, None, redirect(result_url_name, pk=batch.pk)


def _upload(request, kind: str):
    scopes.require(request.user, imports.IMPORT_PERMISSION)
    upload = _UPLOADS[kind]
    form, failure, done = run_upload(request, upload["service"], "imports:import_detail")
    if done is not None:
        return done
    context = {
        "form": form,
        "kind": kind,
        "title": upload["title"],
        "intro": upload["intro"],
        "template_url": upload["template_url"],
        "columns": upload["columns"](),
        "failure": failure,
    }
    return render(request, "organizations/imports/upload.html", context, status=422 if failure else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_people(request):
    return _upload(request, ImportKind.PEOPLE)


@login_required
@require_http_methods(["GET", "POST"])
def import_units(request):
    return _upload(request, ImportKind.UNITS)


@login_required
@require_GET
def template_people(request):
    scopes.require(request.user, imports.IMPORT_PERMISSION)
    return xlsx_response("mau-nhap-ca-nhan.xlsx", imports.people_template_bytes())


@login_required
@require_GET
def template_units(request):
    scopes.require(request.user, imports.IMPORT_PERMISSION)
    return xlsx_response("mau-nhap-don-vi.xlsx", imports.units_template_bytes())


@login_required
@require_GET
def import_detail(request, pk: int):
    batch = get_object_or_404(imports_visible_to(request.user), pk=pk)
    if batch.kind == ImportKind.NOMINEES:
        # A nominee list belongs to its dossier: its page is under the dossier.
        from thidua.nominations.views_imports import batch_result_url

        url = batch_result_url(batch)
        if url is None:
            raise Http404
        return redirect(url)
    if batch.kind not in (ImportKind.UNITS, ImportKind.PEOPLE):
        # Evidence imports (ratings, initiatives, awards, discipline) have their own result page.
        return redirect("records_imports:batch", pk=batch.pk)
    changes, change_count = imports.batch_changes(batch)
    return render(
        request,
        "organizations/imports/detail.html",
        {"batch": batch, "changes": changes, "change_count": change_count},
    )


@login_required
@require_GET
def import_file(request, pk: int):
    batch = get_object_or_404(imports_visible_to(request.user), pk=pk)
    if not batch.file or not batch.file.storage.exists(batch.file.name):
        raise Http404
    return FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch.original_name,
        content_type=XLSX_CONTENT_TYPE,
    )
