"""Pages of decisions: the list (filters, search, Excel), drafting from approved nominees, the decision page
(lines, money, documents, workflow buttons, signed scan, links), editing a draft, issuing, revocation,
and the money totals.

Decisions are fetched only through ``selectors.access_decision`` (404 outside sight); every write goes
through a service, which checks the side (drafter or signer) and answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.models import GeneratedDocument
from thidua.common.spreadsheets import workbook_bytes, xlsx_response
from thidua.common.text import fold, search_terms
from thidua.common.views import paginate
from thidua.decisions import documents, payments, selectors, services
from thidua.decisions.enums import EDITABLE_STATUSES, DecisionKind, DecisionStatus
from thidua.decisions.forms import (
    AttachmentForm,
    CertificateForm,
    DecisionFilterForm,
    DecisionForm,
    DraftForm,
    IssueForm,
    NomineePickFilterForm,
    NoteForm,
    RecipientForm,
    ReturnedForm,
    RevocationForm,
)
from thidua.decisions.models import Decision, DecisionAttachment, DecisionRecipient, RevocationItem

PAGE_SIZE = 30
LINES_PER_PAGE = 100
STEP_LABELS = {
    DecisionStatus.SUBMITTED: _("Trình ký"),
    DecisionStatus.APPROVED: _("Duyệt dự thảo"),
    DecisionStatus.RETURNED: _("Trả lại dự thảo"),
    DecisionStatus.DRAFT: _("Rút lại để sửa"),
    DecisionStatus.CANCELLED: _("Hủy dự thảo"),
}


def _require_view(user) -> None:
    if not scopes.can(user, "decision.view"):
        raise PermissionDenied


# ---------------------------------------------------------------- list


def _filtered(user, values: dict):
    decisions = selectors.decisions_visible_to(user)
    if values["year"]:
        decisions = decisions.filter(decision_date__year=values["year"])
    if values["unit"] is not None:
        decisions = decisions.filter(issuing_unit=values["unit"])
    if values["status"]:
        decisions = decisions.filter(status=values["status"])
    if values["kind"]:
        decisions = decisions.filter(kind=values["kind"])
    if values["award"] is not None:
        decisions = decisions.filter(pk__in=DecisionRecipient.objects.filter(award=values["award"]).values("decision"))
    terms = search_terms(values["q"])
    if terms:
        # Accent-insensitive over number and subject: a unit issues tens of decisions a year.
        matching = [
            pk for pk, reference, subject in decisions.values_list("pk", "reference", "subject")
            if all(term in f"{fold(reference)} {fold(subject)}" for term in terms)
        ]
        decisions = decisions.filter(pk__in=matching)
    lines = DecisionRecipient.objects.filter(decision=OuterRef("pk"))
    items = RevocationItem.objects.filter(decision=OuterRef("pk"))
    return decisions.annotate(
        line_count=Coalesce(Subquery(lines.values("decision").annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), 0),
        item_count=Coalesce(Subquery(items.values("decision").annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), 0),
        total=Subquery(lines.values("decision").annotate(s=Sum("amount")).values("s")[:1]),
    ).order_by("-decision_date", "-number", "-id")


def _filter_form(request, user):
    from thidua.organizations.models import Unit
    from thidua.rules.models import AwardType

    visible = selectors.decisions_visible_to(user)
    years = sorted({day.year for day in visible.exclude(decision_date=None).dates("decision_date", "year")}, reverse=True)
    units = Unit.objects.filter(pk__in=visible.values("issuing_unit")).order_by("path")
    awards = AwardType.objects.filter(pk__in=DecisionRecipient.objects.filter(decision__in=visible).values("award")).order_by("-precedence", "name")
    return DecisionFilterForm(request.GET or None, units=units, years=years, awards=awards)


@login_required
@require_GET
def decision_list(request):
    user = request.user
    _require_view(user)
    form = _filter_form(request, user)
    visible = selectors.decisions_visible_to(user)
    page = paginate(request, _filtered(user, form.values()), PAGE_SIZE)
    context = {
        "form": form, "page": page, "filtered": form.filtered,
        "can_draft": scopes.can(user, "decision.draft"),
        "waiting_count": selectors.waiting_for(user, visible).count(),
        "export_query": request.GET.urlencode(),
    }
    template = "decisions/decision_list.html#results" if request.htmx and not request.htmx.history_restore_request else "decisions/decision_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def decision_export(request):
    """The filtered list as Excel: one row per decision."""
    user = request.user
    _require_view(user)
    form = _filter_form(request, user)
    rows = [
        (
            decision.reference or _("(chưa có số)"), decision.decision_date, decision.subject, decision.get_kind_display(),
            decision.issuing_unit.name, decision.get_status_display(), decision.line_count or decision.item_count, decision.total or 0,
        )
        for decision in _filtered(user, form.values())
    ]
    content = workbook_bytes(
        sheet_title="Quyết định", title=_("Danh sách quyết định khen thưởng"),
        headers=["Số, ký hiệu", "Ngày ký", "Trích yếu", "Loại", "Cơ quan ban hành", "Trạng thái", "Số tập thể, cá nhân", "Tiền thưởng (đồng)"],
        rows=rows,
    )
    return xlsx_response(f"quyet-dinh-{timezone.localdate():%Y%m%d}.xlsx", content)


# ---------------------------------------------------------------- drafting from approved nominees


@login_required
def draft_from_nominees(request):
    user = request.user
    scopes.require(user, "decision.draft")
    from thidua.nominations.models import Round
    from thidua.rules.models import AwardType

    waiting = selectors.approved_nominees_for(user)
    filters = NomineePickFilterForm(
        request.GET or None,
        rounds=Round.objects.filter(pk__in=waiting.values("nomination__round")).select_related("awarding_unit").order_by("-period_end", "title"),
        awards=AwardType.objects.filter(pk__in=waiting.values("award")).order_by("-precedence", "name"),
    )
    values = filters.values()
    shown = waiting
    if values["round"] is not None:
        shown = shown.filter(nomination__round=values["round"])
    if values["award"] is not None:
        shown = shown.filter(award=values["award"])
    nominees = list(shown[:1000])
    form = DraftForm(request.POST if request.method == "POST" else None, nominee_ids=[n.pk for n in waiting])
    if request.method == "POST" and form.is_valid():
        try:
            created = services.decisions_draft_from_nominees(
                actor=user, nominees=form.cleaned_data["nominees"], grouping=form.cleaned_data["grouping"],
                decision_date=form.cleaned_data["decision_date"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lập %(count)d dự thảo quyết định.") % {"count": len(created)})
            if len(created) == 1:
                return redirect("decisions:decision_detail", pk=created[0].pk)
            return redirect(f"{_url('decisions:decision_list')}?status={DecisionStatus.DRAFT}")
    selected = {int(value) for value in (request.POST.getlist("nominees") if request.method == "POST" else []) if str(value).isdigit()}
    return render(request, "decisions/draft_form.html", {
        "filters": filters, "form": form, "nominees": nominees, "selected": selected, "total_waiting": waiting.count(),
        "truncated": len(nominees) == 1000,
    }, status=400 if form.errors else 200)


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# ---------------------------------------------------------------- the decision page


def _detail_context(request, decision: Decision, **forms) -> dict:
    from thidua.decisions.certificates import format_code

    user = request.user
    allowed = services.transitions_allowed_for(user, decision)
    can_draft = scopes.can(user, "decision.draft", decision.issuing_unit)
    editable = can_draft and decision.status in EDITABLE_STATUSES
    all_lines = documents.lines_with_money(decision) if decision.kind == DecisionKind.AWARD else []
    # A provincial decision may list a thousand people: the table is paged, the totals are of every line.
    lines_page = paginate(request, all_lines, LINES_PER_PAGE)
    lines = list(lines_page.object_list)
    certificates = {}
    if decision.is_issued and decision.kind == DecisionKind.AWARD:
        certificates = {c.recipient_id: format_code(c.code) for c in decision.certificates.filter(recipient__in=lines)}
    for line in lines:
        line.certificate_code = certificates.get(line.pk, "")
        line.revoked = bool(line.award_record_id and line.award_record.revoked)
    items = list(decision.revocation_items.select_related("award_record__award", "award_record__person", "award_record__unit",
                                                           "award_record__decision_line__decision"))
    generated = list(GeneratedDocument.objects.filter(content_type__model="decision", content_type__app_label="decisions",
                                                      object_id=str(decision.pk)).order_by("kind", "-version"))
    templates = selectors.templates_for(user, decision.issuing_unit)
    total = sum(line.amount or 0 for line in all_lines)
    revocable = decision.is_issued and decision.kind == DecisionKind.AWARD and can_draft and any(
        line.award_record_id and not line.award_record.revoked for line in all_lines)
    return {
        "decision": decision,
        "lines": lines,
        "lines_page": lines_page,
        "line_offset": lines_page.start_index() - 1 if lines else 0,
        "items": items,
        "items_total": sum(item.amount_to_recover for item in items),
        "total": total,
        "total_words": _words(total),
        "bases": list(decision.bases.select_related("document")),
        "history": list(decision.transitions.select_related("by__person")),
        "links": selectors.decision_links(decision),
        "actions": [{"to": target, "label": STEP_LABELS.get(target, DecisionStatus(target).label)} for target in allowed if target != DecisionStatus.ISSUED],
        "can_issue": DecisionStatus.ISSUED in allowed,
        "issue_form": forms.get("issue_form") or IssueForm(initial={"decision_date": decision.decision_date or timezone.localdate()}),
        "note_form": NoteForm(),
        "editable": editable,
        "can_draft": can_draft,
        "generated": generated,
        "attachments": list(decision.attachments.select_related("uploaded_by")),
        "attachment_form": (forms.get("attachment_form") or AttachmentForm()) if decision.is_issued and can_draft else None,
        "certificate_form": (forms.get("certificate_form") or CertificateForm(templates=templates))
        if decision.is_issued and can_draft and decision.kind == DecisionKind.AWARD else None,
        "batches": list(decision.certificate_batches.select_related("document", "template")[:5]),
        "revocable": revocable,
        "returned_form": ReturnedForm(initial={"returned_on": timezone.localdate()}),
        "signature_lines": decision.signature_lines(),
    }


def _words(amount: int) -> str:
    from thidua.rules.money import amount_in_words

    return amount_in_words(amount) if amount else ""


@login_required
@require_GET
def decision_detail(request, pk: int):
    decision = selectors.access_decision(request.user, pk)
    return render(request, "decisions/decision_detail.html", _detail_context(request, decision))


@login_required
def decision_edit(request, pk: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    if not scopes.can(user, "decision.draft", decision.issuing_unit):
        raise PermissionDenied
    if decision.status not in EDITABLE_STATUSES:
        messages.error(request, str(services.DecisionFrozen().messages[0]) if decision.is_issued else
                       _("Chỉ sửa được dự thảo hoặc dự thảo bị trả lại."))
        return redirect("decisions:decision_detail", pk=decision.pk)
    from thidua.common.selectors import legal_documents_visible_to

    bases = list(decision.bases.all())
    initial = {name: getattr(decision, name) for name in (
        "subject", "decision_date", "authority_line", "proposal", "achievement", "with_annex", "fund", "effect", "executors",
        "signer", "signer_authority", "signer_body_title", "signer_title", "signer_name", "replaces", "amends",
        "revocation_ground", "revocation_reason")}
    initial["bases_text"] = "\n".join(basis.text for basis in bases if basis.text and not basis.document_id)
    initial["legal_documents"] = [basis.document_id for basis in bases if basis.document_id]
    initial["distribution"] = "\n".join(decision.distribution or [])
    linkable = Decision.objects.filter(issuing_unit=decision.issuing_unit, status=DecisionStatus.ISSUED).order_by("-decision_date", "-number")
    form = DecisionForm(
        request.POST if request.method == "POST" else None, initial=initial, decision=decision,
        signers=selectors.signers_for(decision.issuing_unit),
        documents=legal_documents_visible_to(user).order_by("-issued_on", "number"), linkable=linkable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(actor=user, decision=decision, **form.service_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("decisions:decision_detail", pk=decision.pk)
    return render(request, "decisions/decision_form.html", {"form": form, "decision": decision}, status=400 if form.errors else 200)


@login_required
@require_POST
def decision_transition(request, pk: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    to = request.POST.get("to", "")
    if to not in DecisionStatus.values or to == DecisionStatus.ISSUED:
        messages.error(request, _("Bước không hợp lệ."))
        return redirect("decisions:decision_detail", pk=decision.pk)
    try:
        services.decision_transition(actor=user, decision=decision, to=to, note=request.POST.get("note", ""))
    except services.TransitionRefused as refusal:
        messages.error(request, refusal.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Quyết định: %(status)s.") % {"status": DecisionStatus(to).label})
    return redirect("decisions:decision_detail", pk=decision.pk)


@login_required
@require_POST
def decision_issue(request, pk: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return render(request, "decisions/decision_detail.html", _detail_context(request, decision, issue_form=form), status=400)
    try:
        decision = services.decision_issue(actor=user, decision=decision, decision_date=form.cleaned_data["decision_date"])
    except services.TransitionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("decisions:decision_detail", pk=decision.pk)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "decisions/decision_detail.html", _detail_context(request, decision, issue_form=form), status=400)
    messages.success(request, _("Đã ban hành Quyết định số %(number)s.") % {"number": decision.reference})
    return redirect("decisions:decision_detail", pk=decision.pk)


@login_required
def recipient_edit(request, pk: int, line_id: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    line = get_object_or_404(DecisionRecipient.objects.select_related("award"), pk=line_id, decision=decision)
    if not scopes.can(user, "decision.draft", decision.issuing_unit) or decision.status not in EDITABLE_STATUSES:
        raise PermissionDenied
    form = RecipientForm(request.POST if request.method == "POST" else None,
                         initial={"salutation": line.salutation, "name": line.name, "position": line.position, "achievement": line.achievement})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_recipient_update(actor=user, recipient=line, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã sửa dòng của %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("decisions:decision_detail", pk=decision.pk)
    return render(request, "decisions/recipient_form.html", {"form": form, "decision": decision, "line": line}, status=400 if form.errors else 200)


@login_required
@require_POST
def recipient_remove(request, pk: int, line_id: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    line = get_object_or_404(DecisionRecipient, pk=line_id, decision=decision)
    try:
        services.decision_recipient_remove(actor=user, recipient=line)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã bỏ %(name)s khỏi dự thảo.") % {"name": line.name})
    return redirect("decisions:decision_detail", pk=decision.pk)


# ---------------------------------------------------------------- documents


@login_required
@require_GET
def document_docx(request, pk: int):
    """The issued decision's stored DOCX; for a draft, a preview with a blank number (not stored)."""
    decision = selectors.access_decision(request.user, pk)
    if decision.is_issued:
        stored = documents.issued_docx(decision)
        if stored is None:
            raise Http404
        return _stored_file(stored)
    response = HttpResponse(documents.decision_docx(decision), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{documents.docx_filename(decision)}"'
    return response


@login_required
@require_GET
def document_pdf(request, pk: int):
    decision = selectors.access_decision(request.user, pk)
    try:
        if decision.is_issued:
            return _stored_file(documents.decision_pdf(decision, actor=request.user))
        content = documents.docx_to_pdf(documents.decision_docx(decision))
    except documents.ConversionError as error:
        messages.error(request, error.message)
        return redirect("decisions:decision_detail", pk=decision.pk)
    response = HttpResponse(content, content_type=documents.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{documents.docx_filename(decision, "pdf")}"'
    return response


def _stored_file(stored: GeneratedDocument):
    if not stored.file or not stored.file.storage.exists(stored.file.name):
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.filename)


@login_required
@require_GET
def generated_file(request, pk: int, document_id: int):
    decision = selectors.access_decision(request.user, pk)
    stored = get_object_or_404(GeneratedDocument, pk=document_id, object_id=str(decision.pk),
                               content_type__app_label="decisions", content_type__model="decision")
    return _stored_file(stored)


@login_required
@require_POST
def attachment_add(request, pk: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.decision_attachment_add(actor=user, decision=decision, file=form.cleaned_data["file"], kind=form.cleaned_data["kind"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã đính kèm bản đã ký."))
            return redirect("decisions:decision_detail", pk=decision.pk)
    return render(request, "decisions/decision_detail.html", _detail_context(request, decision, attachment_form=form), status=400)


@login_required
@require_GET
def attachment_file(request, pk: int, attachment_id: int):
    decision = selectors.access_decision(request.user, pk)
    attachment = get_object_or_404(DecisionAttachment, pk=attachment_id, decision=decision)
    if not attachment.file.storage.exists(attachment.file.name):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# ---------------------------------------------------------------- money


@login_required
@require_GET
def payments_file(request, pk: int, fmt: str):
    decision = selectors.access_decision(request.user, pk)
    if not decision.is_issued or decision.kind != DecisionKind.AWARD:
        raise Http404
    name = f"chi-tien-thuong-{decision.number:02d}-{decision.year}-{decision.issuing_unit.code.lower()}"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", payments.payments_xlsx(decision))
    response = HttpResponse(payments.payments_pdf(decision), content_type=documents.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
@require_GET
def money_totals(request):
    user = request.user
    _require_view(user)
    totals = payments.totals_by_fund_and_year(selectors.decisions_visible_to(user))
    return render(request, "decisions/money_totals.html", {"years": totals})


# ---------------------------------------------------------------- revocation


@login_required
def revocation_create(request, pk: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    if not scopes.can(user, "decision.draft", decision.issuing_unit):
        raise PermissionDenied
    if not decision.is_issued or decision.kind != DecisionKind.AWARD:
        raise Http404
    lines = [line for line in decision.recipients.select_related("award", "award_record") if line.award_record_id and not line.award_record.revoked]
    choices = [(line.award_record_id, f"{line.name} — {line.award.name}") for line in lines]
    form = RevocationForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revocation = services.revocation_draft(actor=user, records=data["awards"], ground=data["ground"], reason=data["reason"],
                                                   decision_date=data["decision_date"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lập dự thảo quyết định hủy bỏ khen thưởng; trình người ký duyệt rồi ban hành."))
            return redirect("decisions:decision_detail", pk=revocation.pk)
    return render(request, "decisions/revocation_form.html", {"form": form, "decision": decision, "lines": lines},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def revocation_returned(request, pk: int, item_id: int):
    user = request.user
    decision = selectors.access_decision(user, pk)
    item = get_object_or_404(RevocationItem, pk=item_id, decision=decision)
    form = ReturnedForm(request.POST)
    if form.is_valid():
        try:
            services.revocation_returned(actor=user, item=item, returned_on=form.cleaned_data["returned_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã ghi nhận nộp lại."))
    else:
        messages.error(request, _("Nhập ngày nộp lại theo dạng dd/mm/yyyy."))
    return redirect("decisions:decision_detail", pk=decision.pk)



@login_required
def numbering(request):
    """The decision counters of the units the user issues for, and setting where the system's numbers start
    (after the numbers the agency's register of outgoing documents has already used that year)."""
    from thidua.decisions.forms import NumberingForm
    from thidua.decisions.models import DECISION_SERIES, NumberCounter
    from thidua.organizations.selectors import units_visible_to

    user = request.user
    scopes.require(user, "decision.draft")
    form = NumberingForm(request.POST if request.method == "POST" else None,
                         units=units_visible_to(user, "decision.draft").valid_on(timezone.localdate()).order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            services.numbering_continue(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Quyết định tiếp theo của %(unit)s năm %(year)s nhận số %(number)02d.") % {
                "unit": form.cleaned_data["unit"].name, "year": form.cleaned_data["year"], "number": form.cleaned_data["last"] + 1})
            return redirect("decisions:numbering")
    counters = NumberCounter.objects.filter(series=DECISION_SERIES).filter(scopes.scope_q(user, "decision.draft", "unit__path"))
    page = paginate(request, counters.select_related("unit").order_by("-year", "unit__path"), PAGE_SIZE)
    return render(request, "decisions/numbering.html", {"form": form, "page": page}, status=400 if form.errors else 200)
