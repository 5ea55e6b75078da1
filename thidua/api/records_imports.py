"""Excel import of evidence over the API: POST /api/v1/imports/{ratings,initiatives,awards,disciplines}.
All-or-nothing, with the same 200/422 answers as POST /api/v1/imports/people."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from thidua.accounts import scopes
from thidua.api.schemas import ImportFailedOut, ImportResult, ImportRowError, Message, ValidationErrorOut
from thidua.records import imports

router = Router(tags=["Nhập Excel"])


class RecordImportRowError(ImportRowError):
    sheet: str = ""  # the worksheet, when the file has several (ratings of people and of units)


class RecordImportFailedOut(ImportFailedOut):
    errors: list[RecordImportRowError]


_RESPONSES = {200: ImportResult, 401: Message, 403: Message, 422: RecordImportFailedOut | ValidationErrorOut}


def _run(request, service, file: UploadedFile):
    if not scopes.can(request.auth, imports.RECORDS_PERMISSION):
        raise PermissionDenied
    try:
        batch = service(actor=request.auth, uploaded_file=file, filename=file.name)
    except imports.ImportFailed as failure:
        return Status(
            422,
            {
                "detail": _("Tệp có lỗi nên chưa nhập dòng nào. Sửa các lỗi dưới đây rồi nhập lại."),
                "errors": [
                    {
                        "row": error.row,
                        "column": error.column,
                        "message": str(error.message),
                        "field": error.field,
                        "sheet": error.sheet,
                    }
                    for error in failure.errors
                ],
            },
        )
    return {
        "id": batch.pk,
        "rows": batch.row_count,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
    }


@router.post("/ratings", response=_RESPONSES, summary="Nhập kết quả xếp loại từ tệp Excel")
def ratings_import(request, file: File[UploadedFile]):
    """Tệp .xlsx theo mẫu trong trường `file` (multipart/form-data): trang “Cá nhân” và/hoặc “Tập thể”,
    dạng mỗi dòng một năm hoặc mỗi năm một cột. Mọi dòng hợp lệ thì lưu tất cả; có lỗi thì không lưu gì."""
    return _run(request, imports.import_ratings, file)


@router.post("/initiatives", response=_RESPONSES, summary="Nhập sáng kiến, đề tài từ tệp Excel")
def initiatives_import(request, file: File[UploadedFile]):
    """Tệp .xlsx theo mẫu trong trường `file`. Mọi dòng hợp lệ thì lưu tất cả; có lỗi thì không lưu gì."""
    return _run(request, imports.import_initiatives, file)


@router.post("/awards", response=_RESPONSES, summary="Nhập sổ khen thưởng (khen thưởng đã nhận) từ tệp Excel")
def awards_import(request, file: File[UploadedFile]):
    """Tệp .xlsx theo mẫu trong trường `file`. Mọi dòng hợp lệ thì lưu tất cả; có lỗi thì không lưu gì."""
    return _run(request, imports.import_awards, file)


@router.post("/disciplines", response=_RESPONSES, summary="Nhập kỷ luật, vụ việc đang xem xét từ tệp Excel")
def disciplines_import(request, file: File[UploadedFile]):
    """Tệp .xlsx theo mẫu trong trường `file`. Mọi dòng hợp lệ thì lưu tất cả; có lỗi thì không lưu gì."""
    return _run(request, imports.import_disciplines, file)
