"""Excel import over the API: POST /api/v1/imports/people. All-or-nothing, like the import page."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from thidua.accounts import scopes
from thidua.api.schemas import ImportFailedOut, ImportResult, Message, ValidationErrorOut
from thidua.organizations.imports import ImportFailed, import_people

router = Router(tags=["Nhập Excel"])


@router.post(
    "/people",
    response={200: ImportResult, 401: Message, 403: Message, 422: ImportFailedOut | ValidationErrorOut},
    summary="Nhập danh sách cá nhân từ tệp Excel",
)
def people_import(request, file: File[UploadedFile]):
    """Gửi tệp .xlsx theo mẫu trong trường `file` (multipart/form-data). Mọi dòng hợp lệ thì lưu tất
    cả; có dòng lỗi thì không lưu gì và trả về danh sách lỗi theo dòng và cột."""
    if not scopes.can(request.auth, "import.run"):
        raise PermissionDenied
    try:
        batch = import_people(actor=request.auth, uploaded_file=file, filename=file.name)
    except ImportFailed as failure:
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
