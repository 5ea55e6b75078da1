"""The document register (sổ văn bản): the plans, guidance and decisions that movements and decisions
rest on. Reading needs ``document.view``; adding and changing need ``document.manage`` on the
keeping unit. Documents are fetched only through ``access_legal_document`` (404 outside sight)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thidua.accounts import scopes
from thidua.common import selectors, services
from thidua.common.forms import LegalDocumentFilterForm, LegalDocumentForm
from thidua.common.text import fold, search_terms
from thidua.common.views import paginate

PAGE_SIZE = 50


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _bound(request) -> tuple:
    """The POST data and files, or nothing for a GET (an empty POST must still show its errors)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _filtered(user, values: dict):
    documents = selectors.legal_documents_visible_to(user)
    if values["year"]:
        documents = documents.filter(issued_on__year=values["year"])
    if values["unit"] is not None:
        documents = documents.filter(unit=values["unit"])
    terms = search_terms(values["q"])
    if terms:
        # Accent-insensitive: the register holds hundreds of entries, folded here in one query.
        matching = [
            pk
            for pk, number, title, issuer in documents.values_list("pk", "number", "title", "issuer")
            if all(term in f"{fold(number)} {fold(title)} {fold(issuer)}" for term in terms)
        ]
        documents = documents.filter(pk__in=matching)
    return documents.order_by("-issued_on", "number", "id")


@login_required
@require_GET
def document_list(request):
    user = request.user
    scopes.require(user, "document.view")
    from thidua.organizations.models import Unit

    visible = selectors.legal_documents_visible_to(user)
    units = list(Unit.objects.filter(pk__in=visible.values("unit_id")).order_by("path"))
    years = sorted({day.year for day in visible.dates("issued_on", "year")}, reverse=True)
    form = LegalDocumentFilterForm(request.GET or None, units=units, years=years)
    page = paginate(request, _filtered(user, form.values()), PAGE_SIZE)
    rows = list(page.object_list)
    for document in rows:
        document.can_edit = selectors.can_manage_legal_document(user, document)
    page.object_list = rows
    context = {
        "form": form,
        "page": page,
        "filtered": form.filtered,
        "can_create": scopes.can(user, "document.manage"),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "common/documents/document_list.html#results", context)
    else:
        response = render(request, "common/documents/document_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def document_create(request):
    user = request.user
    scopes.require(user, "document.manage")
    form = LegalDocumentForm(*_bound(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.legal_document_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Đã thêm văn bản %(number)s vào sổ văn bản.") % {"number": document.number}
            )
            return redirect(_safe_next(request) or "common:document_list")
    return render(
        request,
        "common/documents/document_form.html",
        {"form": form, "document": None, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


@login_required
def document_edit(request, pk: int):
    user = request.user
    document = selectors.access_legal_document(user, pk)
    if not selectors.can_manage_legal_document(user, document):
        raise PermissionDenied
    initial = {name: getattr(document, name) for name in ("number", "issued_on", "issuer", "title", "unit")}
    form = LegalDocumentForm(*_bound(request), user=user, document=document, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if not values["file"]:
            values.pop("file")
        try:
            services.legal_document_update(actor=user, document=document, **values)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu văn bản %(number)s.") % {"number": values["number"]})
            return redirect(_safe_next(request) or "common:document_list")
    return render(
        request,
        "common/documents/document_form.html",
        {"form": form, "document": document, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def document_file(request, pk: int):
    document = selectors.access_legal_document(request.user, pk)
    if not document.file or not document.file.storage.exists(document.file.name):
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
