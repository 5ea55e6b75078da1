"""Pages of the exemplar registry: the list (filters, search), proposing and editing an exemplar with its
story and photos, the officer's confirmation, the holder's consent, replication, and the page where the
agency publishes its issued decisions (công khai).

Exemplars are fetched only through ``selectors.access_exemplar`` (404 outside sight); writes go through
``services`` (403 on PermissionDenied).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.text import search_terms
from thidua.common.views import paginate
from thidua.exemplars import sanitise, selectors, services
from thidua.exemplars.enums import EXEMPLAR_TRANSITIONS, PROPOSER, ConsentField, ExemplarStatus
from thidua.exemplars.forms import (
    ConsentForm,
    ExemplarFilterForm,
    ExemplarForm,
    NoteForm,
    PhotoForm,
    ReplicationForm,
)
from thidua.exemplars.models import Exemplar, ExemplarPhoto, Replication

PAGE_SIZE = 30
STEP_LABELS = {
    ExemplarStatus.CONFIRMED: gettext_lazy("Công nhận điển hình"),
    ExemplarStatus.RETURNED: gettext_lazy("Trả lại để bổ sung"),
    ExemplarStatus.PROPOSED: gettext_lazy("Gửi lại"),
    ExemplarStatus.WITHDRAWN: gettext_lazy("Rút khỏi danh sách"),
}


def _require_view(user) -> None:
    if not scopes.can(user, "exemplar.view") and not getattr(user, "person_id", None):
        raise PermissionDenied


# ---------------------------------------------------------------- list


@login_required
@require_GET
def exemplar_list(request):
    user = request.user
    _require_view(user)
    visible = selectors.exemplars_visible_to(user)
    from thidua.organizations.models import Unit

    form = ExemplarFilterForm(request.GET or None, units=Unit.objects.filter(pk__in=visible.values("unit")).order_by("path"))
    values = form.values()
    exemplars = visible
    if values["status"]:
        exemplars = exemplars.filter(status=values["status"])
    if values["unit"] is not None:
        exemplars = exemplars.filter(unit__path__startswith=values["unit"].path)
    if values["year"]:
        exemplars = exemplars.filter(period_start__lte=values["year"], period_end__gte=values["year"])
    for term in search_terms(values["q"]):
        exemplars = exemplars.filter(search_text__contains=term)
    page = paginate(request, exemplars.order_by("-period_end", "unit__path", "id"), PAGE_SIZE)
    return render(request, "exemplars/exemplar_list.html", {
        "form": form, "page": page, "filtered": form.filtered,
        "can_propose": scopes.can(user, "exemplar.propose"),
        "can_publish_decisions": scopes.can(user, "decision.draft"),
        "waiting": visible.filter(status=ExemplarStatus.PROPOSED).filter(scopes.scope_q(user, "exemplar.confirm", "unit__path")).count(),
    })


# ---------------------------------------------------------------- propose, edit


def _people_for(user):
    from thidua.organizations.models import Person

    return Person.objects.filter(scopes.person_scope_q(user, "exemplar.propose")).filter(current_unit__isnull=False).select_related(
        "current_unit").order_by("current_unit__path", "sort_key")


def _evidence_querysets(exemplar: Exemplar | None, user):
    from thidua.records.models import AwardRecord, Initiative

    if exemplar is None:
        return AwardRecord.objects.none(), Initiative.objects.none()
    if exemplar.person_id:
        awards = AwardRecord.objects.filter(person_id=exemplar.person_id, revoked=False)
        initiatives = Initiative.objects.filter(author_links__person_id=exemplar.person_id)
    else:
        awards = AwardRecord.objects.filter(unit_id=exemplar.collective_id, revoked=False)
        initiatives = Initiative.objects.filter(unit__path__startswith=exemplar.collective.path)
    return awards.select_related("award").order_by("-period_end"), initiatives.distinct().order_by("-recognized_on")


@login_required
def exemplar_create(request):
    user = request.user
    scopes.require(user, "exemplar.propose")
    from thidua.records.models import AwardRecord, Initiative

    form = ExemplarForm(request.POST or None, people=_people_for(user), collectives=selectors.proposable_units(user),
                        awards=AwardRecord.objects.none(), initiatives=Initiative.objects.none())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject = {"person": data["person"]} if data["subject"] == "person" else {"collective": data["collective"]}
        try:
            exemplar = services.exemplar_propose(
                actor=user, **subject, headline=data["headline"], field_of_work=data["field_of_work"], period_start=data["period_start"],
                period_end=data["period_end"], summary=data["summary"], story_html=data["story_html"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã gửi đề xuất điển hình. Chọn các khen thưởng, sáng kiến làm căn cứ và thêm ảnh cho câu chuyện."))
            return redirect("exemplars:exemplar_edit", pk=exemplar.pk)
    return render(request, "exemplars/exemplar_form.html", {"form": form, "exemplar": None}, status=400 if form.errors else 200)


@login_required
def exemplar_edit(request, pk: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    if not services.may_edit(user, exemplar):
        raise PermissionDenied
    awards, initiatives = _evidence_querysets(exemplar, user)
    initial = {name: getattr(exemplar, name) for name in services.EXEMPLAR_FIELDS}
    initial["awards"] = list(exemplar.awards.values_list("pk", flat=True))
    initial["initiatives"] = list(exemplar.initiatives.values_list("pk", flat=True))
    form = ExemplarForm(request.POST or None, initial=initial, people=None, collectives=None, awards=awards, initiatives=initiatives, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.exemplar_update(actor=user, exemplar=exemplar, awards=data.pop("awards"), initiatives=data.pop("initiatives"), **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("exemplars:exemplar_detail", pk=exemplar.pk)
    return render(request, "exemplars/exemplar_form.html", {
        "form": form, "exemplar": exemplar, "photos": list(exemplar.photos.all()), "photo_form": PhotoForm(),
    }, status=400 if form.errors else 200)


# ---------------------------------------------------------------- the exemplar page


def _detail_context(request, exemplar: Exemplar, **forms) -> dict:
    user = request.user
    may_confirm = selectors.may_confirm(user, exemplar)
    may_propose = selectors.may_propose(user, exemplar)
    actions = []
    for target, side in EXEMPLAR_TRANSITIONS.get(exemplar.status, {}).items():
        if (side == PROPOSER and may_propose) or (side != PROPOSER and may_confirm):
            actions.append({"to": target, "label": STEP_LABELS[target], "needs_note": target == ExemplarStatus.RETURNED,
                            "danger": target == ExemplarStatus.WITHDRAWN})
    latest_consent = exemplar.consents.select_related("recorded_by").first()
    return {
        "exemplar": exemplar,
        "story": sanitise.clean_html(exemplar.story_html),
        "photos": list(exemplar.photos.all()),
        "awards": list(exemplar.awards.select_related("award").order_by("-period_end")),
        "initiatives": list(exemplar.initiatives.order_by("-recognized_on")),
        "replications": list(exemplar.replications.select_related("adopter_unit")),
        "consents": list(exemplar.consents.select_related("recorded_by")[:10]),
        "latest_consent": latest_consent,
        "consent_labels": [label for value, label in ConsentField.choices if value in exemplar.consented()],
        "actions": actions,
        "note_form": NoteForm(),
        "can_edit": services.may_edit(user, exemplar) and exemplar.status != ExemplarStatus.WITHDRAWN,
        "can_confirm": may_confirm,
        "can_replicate": (may_propose or may_confirm) and exemplar.status == ExemplarStatus.CONFIRMED,
        "can_consent": selectors.may_record_consent(user, exemplar),
        "replication_form": forms.get("replication_form") or ReplicationForm(),
    }


@login_required
@require_GET
def exemplar_detail(request, pk: int):
    exemplar = selectors.access_exemplar(request.user, pk)
    return render(request, "exemplars/exemplar_detail.html", _detail_context(request, exemplar))


@login_required
@require_POST
def exemplar_transition(request, pk: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    to = request.POST.get("to", "")
    try:
        services.exemplar_transition(actor=user, exemplar=exemplar, to=to, note=request.POST.get("note", ""))
    except services.TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Điển hình: %(status)s.") % {"status": ExemplarStatus(to).label})
    return redirect("exemplars:exemplar_detail", pk=exemplar.pk)


@login_required
def exemplar_consent(request, pk: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    if not selectors.may_record_consent(user, exemplar):
        raise PermissionDenied
    by_holder = selectors.is_holder(user, exemplar)
    form = ConsentForm(request.POST or None, by_holder=by_holder, initial={"fields_": sorted(exemplar.consented())})
    if request.method == "POST" and form.is_valid():
        try:
            services.exemplar_consent_set(actor=user, exemplar=exemplar, fields=form.cleaned_data["fields_"],
                                          note=form.cleaned_data.get("note", ""))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã ghi nhận phần được công khai."))
            return redirect("exemplars:exemplar_detail", pk=exemplar.pk)
    return render(request, "exemplars/exemplar_consent.html", {"form": form, "exemplar": exemplar, "by_holder": by_holder},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def exemplar_publish(request, pk: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    published = request.POST.get("published") == "1"
    try:
        services.exemplar_publish(actor=user, exemplar=exemplar, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã đăng lên bảng vinh danh.") if published else _("Đã gỡ khỏi bảng vinh danh."))
    return redirect("exemplars:exemplar_detail", pk=exemplar.pk)


# ---------------------------------------------------------------- photos, replication


@login_required
@require_POST
def photo_add(request, pk: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo = services.exemplar_photo_add(actor=user, exemplar=exemplar, file=form.cleaned_data["photo"],
                                                alt_text=form.cleaned_data["alt_text"], caption=form.cleaned_data["caption"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm ảnh. Chèn vào câu chuyện bằng: %(tag)s") % {
                "tag": f'<img src="/vinh-danh/anh/{photo.pk}/" alt="{photo.alt_text}">'})
            return redirect("exemplars:exemplar_edit", pk=exemplar.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("exemplars:exemplar_edit", pk=exemplar.pk)


@login_required
@require_POST
def photo_remove(request, pk: int, photo_id: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    photo = get_object_or_404(ExemplarPhoto, pk=photo_id, exemplar=exemplar)
    services.exemplar_photo_remove(actor=user, photo=photo)
    messages.success(request, _("Đã gỡ ảnh."))
    return redirect("exemplars:exemplar_edit", pk=exemplar.pk)


@login_required
@require_POST
def replication_add(request, pk: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    form = ReplicationForm(request.POST)
    if form.is_valid():
        try:
            services.replication_add(actor=user, exemplar=exemplar, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã ghi nhận kết quả nhân rộng."))
            return redirect("exemplars:exemplar_detail", pk=exemplar.pk)
    return render(request, "exemplars/exemplar_detail.html", _detail_context(request, exemplar, replication_form=form), status=400)


@login_required
@require_POST
def replication_remove(request, pk: int, item_id: int):
    user = request.user
    exemplar = selectors.access_exemplar(user, pk)
    item = get_object_or_404(Replication, pk=item_id, exemplar=exemplar)
    services.replication_remove(actor=user, replication=item)
    messages.success(request, _("Đã xóa."))
    return redirect("exemplars:exemplar_detail", pk=exemplar.pk)


# ---------------------------------------------------------------- publishing decisions (công khai)


@login_required
def publication_list(request):
    """Issued award decisions the user drafts for, each with its public state and a button to publish or
    withdraw it from the public pages."""
    from thidua.decisions.enums import DecisionKind, DecisionStatus
    from thidua.decisions.models import Decision

    user = request.user
    scopes.require(user, "decision.draft")
    decisions = Decision.objects.filter(status=DecisionStatus.ISSUED, kind=DecisionKind.AWARD).filter(
        scopes.scope_q(user, "decision.draft", "issuing_unit__path")).select_related("issuing_unit", "publication")
    if request.method == "POST":
        decision = get_object_or_404(decisions, pk=request.POST.get("decision") or 0)
        try:
            if request.POST.get("publish") == "1":
                services.decision_publish(actor=user, decision=decision)
                messages.success(request, _("Đã công khai quyết định %(reference)s.") % {"reference": decision.reference})
            else:
                services.decision_unpublish(actor=user, decision=decision)
                messages.success(request, _("Đã thôi công khai quyết định %(reference)s.") % {"reference": decision.reference})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())
    q = request.GET.get("q", "").strip()[:100]
    if q:
        decisions = decisions.filter(Q(reference__icontains=q) | Q(subject__icontains=q))
    page = paginate(request, decisions.order_by("-decision_date", "-number"), PAGE_SIZE)
    return render(request, "exemplars/publication_list.html", {"page": page, "q": q})
