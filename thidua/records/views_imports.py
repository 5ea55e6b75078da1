"""Pages of the Excel import of evidence: the list of past evidence imports, one upload page per kind
(ratings, initiatives, past awards, discipline), the templates, the result page and the kept file.
The work itself is in thidua.records.imports."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from thidua.accounts import scopes
from thidua.common.models import ImportKind
from thidua.common.spreadsheets import XLSX_CONTENT_TYPE, xlsx_response
from thidua.organizations.views_imports import run_upload
from thidua.records import imports

PAGE_SIZE = 25

# One entry per kind of evidence file: the import, its columns (by sheet), its template and its words.
KINDS = {
    ImportKind.RATINGS: {
        "service": imports.import_ratings,
        "columns": imports.ratings_template_columns,
        "template": imports.ratings_template_bytes,
        "filename": "mau-nhap-xep-loai.xlsx",
        "url": "records_imports:ratings",
        "title": gettext_lazy("Nhập kết quả xếp loại"),
        "intro": gettext_lazy(
            "Kết quả đánh giá, xếp loại hằng năm của cá nhân (trang “Cá nhân”) và của tập thể (trang “Tập thể”). "
            "Người được tìm theo Số CCCD, không có thì theo họ tên, ngày sinh và mã đơn vị. Nhận cả bảng mỗi năm "
            "một cột (2021, 2022, 2023…) như các đơn vị thường lưu. Nhập lại thì kết quả cùng người, cùng năm được "
            "cập nhật, không tạo trùng."
        ),
    },
    ImportKind.INITIATIVES: {
        "service": imports.import_initiatives,
        "columns": lambda: [("", imports.initiatives_template_columns())],
        "template": imports.initiatives_template_bytes,
        "filename": "mau-nhap-sang-kien.xlsx",
        "url": "records_imports:initiatives",
        "title": gettext_lazy("Nhập sáng kiến, đề tài"),
        "intro": gettext_lazy(
            "Mỗi dòng là một sáng kiến hoặc đề tài, đề án đã được công nhận, với các tác giả (họ tên hoặc Số CCCD, "
            "cách nhau bằng dấu “;”). Nhập lại cùng tên, ngày công nhận và số quyết định thì bản ghi đó được cập nhật."
        ),
    },
    ImportKind.AWARDS: {
        "service": imports.import_awards,
        "columns": lambda: [("", imports.awards_template_columns())],
        "template": imports.awards_template_bytes,
        "filename": "mau-nhap-so-khen-thuong.xlsx",
        "url": "records_imports:awards",
        "title": gettext_lazy("Nhập sổ khen thưởng"),
        "intro": gettext_lazy(
            "Các danh hiệu, hình thức khen thưởng đã nhận theo quyết định cũ, để lịch sử trước khi dùng thidua được "
            "tính khi xét. Đối tượng là cá nhân, tập thể (mã đơn vị) hoặc hộ gia đình. Nhập lại cùng đối tượng, "
            "danh hiệu và thời gian đạt thành tích thì bản ghi đó được cập nhật."
        ),
    },
    ImportKind.DISCIPLINES: {
        "service": imports.import_disciplines,
        "columns": lambda: [("", imports.disciplines_template_columns())],
        "template": imports.disciplines_template_bytes,
        "filename": "mau-nhap-ky-luat.xlsx",
        "url": "records_imports:disciplines",
        "title": gettext_lazy("Nhập kỷ luật, vụ việc đang xem xét"),
        "intro": gettext_lazy(
            "Mỗi dòng là một hình thức kỷ luật đang có hiệu lực hoặc một vụ việc chưa có kết luận (đang xem xét kỷ "
            "luật, đang bị điều tra, có đơn khiếu nại, tố cáo đang xác minh) — khen thưởng được hoãn xét trong thời "
            "gian đó. Nhập lại cùng người, ngày bắt đầu và hình thức thì bản ghi đó được cập nhật."
        ),
    },
}


class RecordImportFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Tên tệp"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("Tìm theo tên tệp")}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"),
        required=False,
        choices=[("", gettext_lazy("Tất cả"))] + [(kind.value, kind.label) for kind in imports.RECORD_KINDS],
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )


def _upload_links():
    return [
        {
            "kind": kind,
            "title": spec["title"],
            "url": reverse(spec["url"]),
            "template_url": _template_url(kind),
        }
        for kind, spec in KINDS.items()
    ]


def _template_url(kind: str) -> str:
    return reverse("records_imports:template", args=[kind])


@login_required
@require_GET
def index(request):
    scopes.require(request.user, imports.RECORDS_PERMISSION)
    form = RecordImportFilterForm(request.GET or None)
    batches = imports.record_batches_visible_to(request.user)
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
        request,
        "records/imports/index.html",
        {"form": form, "page": page, "filtered": filtered, "uploads": _upload_links()},
    )


def _upload(request, kind: str):
    scopes.require(request.user, imports.RECORDS_PERMISSION)
    spec = KINDS[kind]
    form, failure, done = run_upload(request, spec["service"], "records_imports:batch")
    if done is not None:
        return done
    column_sheets = [
        {
            "title": _("Các cột của trang “%(sheet)s”") % {"sheet": title} if title else "",
            "columns": columns,
            "id": f"import-columns-{index}" if index else "import-columns",
        }
        for index, (title, columns) in enumerate(spec["columns"]())
    ]
    context = {
        "form": form,
        "kind": kind,
        "title": spec["title"],
        "intro": spec["intro"],
        "template_url": _template_url(kind),
        "column_sheets": column_sheets,
        "failure": failure,
    }
    return render(request, "records/imports/upload.html", context, status=422 if failure else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_ratings(request):
    return _upload(request, ImportKind.RATINGS)


@login_required
@require_http_methods(["GET", "POST"])
def import_initiatives(request):
    return _upload(request, ImportKind.INITIATIVES)


@login_required
@require_http_methods(["GET", "POST"])
def import_awards(request):
    return _upload(request, ImportKind.AWARDS)


@login_required
@require_http_methods(["GET", "POST"])
def import_disciplines(request):
    return _upload(request, ImportKind.DISCIPLINES)


@login_required
@require_GET
def template(request, kind: str):
    scopes.require(request.user, imports.RECORDS_PERMISSION)
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    return xlsx_response(spec["filename"], spec["template"]())


@login_required
@require_GET
def batch_detail(request, pk: int):
    batch = get_object_or_404(imports.record_batches_visible_to(request.user), pk=pk)
    changes, change_count = imports.record_batch_changes(batch)
    return render(
        request,
        "records/imports/detail.html",
        {
            "batch": batch,
            "changes": changes,
            "change_count": change_count,
            "upload_url": reverse(KINDS[batch.kind]["url"]),
        },
    )


@login_required
@require_GET
def batch_file(request, pk: int):
    batch = get_object_or_404(imports.record_batches_visible_to(request.user), pk=pk)
    if not batch.file or not batch.file.storage.exists(batch.file.name):
        raise Http404
    return FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch.original_name,
        content_type=XLSX_CONTENT_TYPE,
    )
