"""Printing certificates (inline for small decisions, as a background task with a polled progress bar for
large ones) and calibrating pre-printed blanks (templates with field positions in millimetres, a test
print with a grid)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.views import paginate
from thidua.decisions import certificates, selectors
from thidua.decisions.forms import CertificateForm, TemplateForm
from thidua.decisions.models import CertificateBatch
from thidua.decisions.views import _detail_context

PAGE_SIZE = 30


def _base_url(request) -> str:
    """The verification link printed in the QR: the configured public address, else this site's."""
    import os

    if os.environ.get("THIDUA_PUBLIC_URL"):
        return certificates.public_base_url()
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_POST
def certificates_start(request, pk: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    form = CertificateForm(request.POST, templates=selectors.templates_for(user, decision.issuing_unit))
    if form.is_valid():
        try:
            batch = certificates.certificate_batch_start(actor=user, decision=decision, mode=form.cleaned_data["mode"],
                                                         template=form.cleaned_data["template"], base_url=_base_url(request))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if batch.status == "done":
                messages.success(request, _("Đã tạo %(count)d giấy khen trong một tệp PDF.") % {"count": batch.total})
            else:
                messages.info(request, _("Đang tạo %(count)d giấy khen; trang sẽ cập nhật tiến độ.") % {"count": batch.total})
            return redirect(f"{_detail_url(decision.pk)}#giay-khen")
    return render(request, "decisions/decision_detail.html", _detail_context(request, decision, certificate_form=form), status=400)


def _detail_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("decisions:decision_detail", args=[pk])


@login_required
@require_GET
def batch_progress(request, pk: int, batch_id: int):
    """The progress bar's fragment; htmx asks again every second until the batch is done or failed."""
    decision = selectors.access_decision(request.user, pk)
    batch = get_object_or_404(CertificateBatch.objects.select_related("document"), pk=batch_id, decision=decision)
    return render(request, "decisions/_batch.html", {"batch": batch, "decision": decision})


# ---------------------------------------------------------------- blanks and their calibration


def _template_form(request, user, template=None):
    from thidua.organizations.selectors import units_visible_to
    from thidua.rules.models import AwardType

    initial = {}
    if template is not None:
        initial = {"unit": template.unit, "name": template.name, "award": template.award, "width_mm": template.width_mm, "height_mm": template.height_mm}
    return TemplateForm(
        request.POST if request.method == "POST" else None, initial=initial, template=template,
        units=units_visible_to(user, "decision.draft").order_by("path"),
        awards=AwardType.objects.filter(is_active=True).order_by("-precedence", "name"), 
    )


@login_required
@require_GET
def template_list(request):
    user = request.user
    scopes.require(user, "decision.draft")
    page = paginate(request, selectors.templates_for(user), PAGE_SIZE)
    return render(request, "decisions/template_list.html", {"page": page})


@login_required
def template_edit(request, template_id: int | None = None):
    user = request.user
    scopes.require(user, "decision.draft")
    template = selectors.access_template(user, template_id) if template_id is not None else None
    form = _template_form(request, user, template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = certificates.template_save(
                actor=user, unit=data["unit"], name=data["name"], award=data["award"], width_mm=data["width_mm"],
                height_mm=data["height_mm"], fields=form.positions(), template=template,
            )
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            form.add_error("unit", _("Bạn không quản lý mẫu phôi của đơn vị này."))
        else:
            messages.success(request, _("Đã lưu mẫu phôi “%(name)s”. In thử để kiểm tra vị trí.") % {"name": saved.name})
            return redirect("decisions:template_edit", template_id=saved.pk)
    return render(request, "decisions/template_form.html", {"form": form, "template": template}, status=400 if form.errors else 200)


@login_required
@require_GET
def template_test_print(request, template_id: int):
    template = selectors.access_template(request.user, template_id)
    response = HttpResponse(certificates.test_print(template), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="in-thu-mau-phoi-{template.pk}.pdf"'
    return response
