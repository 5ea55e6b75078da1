import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from thidua.accounts import scopes
from thidua.common import selectors
from thidua.common.forms import AuditFilterForm
from thidua.common.models import AuditEntry

AUDIT_PAGE_SIZE = 50


def paginate(request, queryset, per_page: int) -> Page:
    """The requested page (the last one when the number is too large, the first when it is not a number)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
@never_cache
def healthz(request):
    """For load balancers: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _url_or_empty(name: str) -> str:
    # Sections built by other capabilities may not be installed yet; their links simply do not show.
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@login_required
def dashboard(request):
    user = request.user
    context = selectors.dashboard_summary(user)
    context.update(
        {
            "can_manage_units": scopes.can(user, "unit.manage"),
            "can_manage_people": scopes.can(user, "person.manage"),
            "can_manage_roles": scopes.can(user, "role.manage"),
            "imports_url": _url_or_empty("imports:import_list") if scopes.can(user, "import.run") else "",
        }
    )
    if scopes.can(user, "movement.view"):
        # Movements sit above common; imported here so that common never needs them at import time.
        from thidua.movements.selectors import ongoing_movements, open_deadlines

        context["deadlines"] = open_deadlines(user, today=context["today"])
        context["ongoing_movements"] = ongoing_movements(user)
    return render(request, "common/dashboard.html", context)


# ---------------------------------------------------------------- the audit log


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
@require_GET
def audit_list(request):
    scopes.require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    entries = selectors.audit_entries_visible_to(request.user)
    unit_filter = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_username__icontains=data["actor"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        content_type = form.content_type()
        if content_type is not None:
            entries = entries.filter(content_type=content_type)
        if data["date_from"]:
            entries = entries.filter(at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
        if data["q"]:
            text = data["q"].strip()
            entries = entries.filter(
                Q(object_repr__icontains=text) | Q(object_id=text) | Q(note__icontains=text)
            )
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"])
        if data["unit"]:
            from thidua.organizations.selectors import access_unit

            unit_filter = access_unit(request.user, data["unit"], "audit.view")
            entries = entries.filter(unit_path__startswith=unit_filter.path)
    page = paginate(request, entries, AUDIT_PAGE_SIZE)
    return render(
        request,
        "common/audit_list.html",
        {
            "form": form,
            "page": page,
            "unit_filter": unit_filter,
            "filtered": bool(request.GET.keys() - {"page"}),
        },
    )


def _display(value: Any, field: models.Field | None, related: dict) -> str:
    """One logged value as a person reads it: choice labels, names of related objects, dd/mm/yyyy."""
    if value is None or value == "":
        return "—"
    if field is not None:
        if field.is_relation and field.many_to_one:
            return related.get((field.name, value), f"#{value}" if isinstance(value, int) else str(value))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%d/%m/%Y %H:%M}"
        if isinstance(field, models.DateField) and isinstance(value, str):
            try:
                return f"{datetime.date.fromisoformat(value):%d/%m/%Y}"
            except ValueError:
                return value
        if isinstance(field, models.BooleanField):
            return _("Có") if value else _("Không")
    return str(value)


def _change_rows(entry: AuditEntry) -> list[dict]:
    model = entry.content_type.model_class() if entry.content_type_id else None
    fields: dict[str, models.Field | None] = {}
    for name in entry.changes:
        try:
            fields[name] = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            fields[name] = None
    # Names of the related objects, one query per foreign key that appears in the entry.
    related: dict = {}
    for name, field in fields.items():
        if field is None or not (field.is_relation and field.many_to_one):
            continue
        pair = entry.changes[name]
        # Only ids: some services log a readable key instead (a role's unit by its code).
        ids = [
            v
            for v in (pair if isinstance(pair, list) else [pair])
            if isinstance(v, int) and not isinstance(v, bool)
        ]
        for obj in field.related_model._default_manager.filter(pk__in=ids):
            related[(name, obj.pk)] = str(obj)
    rows = []
    for name, pair in entry.changes.items():
        field = fields[name]
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
        rows.append(
            {
                "label": label[:1].upper() + label[1:],
                "name": name,
                "old": _display(old, field, related),
                "new": _display(new, field, related),
            }
        )
    return rows


def _object_url(user, entry: AuditEntry) -> str:
    """A link to the logged object's page, when it still exists and the user may open it."""
    if not entry.content_type_id or not entry.object_id:
        return ""
    model = entry.content_type.model_class()
    from thidua.organizations.models import Employment, Person, Unit

    if model is Employment:
        # A period of work is shown on its person's page.
        employment = (
            Employment.objects.filter(pk=entry.object_id).select_related("person__current_unit").first()
        )
        if employment is not None and scopes.can_on_person(user, "person.view", employment.person):
            return reverse("organizations:person_detail", args=[employment.person_id])
    elif model is Unit:
        unit = Unit.objects.filter(pk=entry.object_id).first()
        if unit is not None and scopes.can(user, "unit.view", unit):
            return reverse("organizations:unit_detail", args=[unit.code])
    elif model is Person:
        person = Person.objects.select_related("current_unit").filter(pk=entry.object_id).first()
        if person is not None and scopes.can_on_person(user, "person.view", person):
            return reverse("organizations:person_detail", args=[person.pk])
    elif model is not None and model._meta.label == "accounts.User" and scopes.can(user, "role.manage"):
        from thidua.accounts.selectors import users_visible_to

        if users_visible_to(user).filter(pk=entry.object_id).exists():
            return reverse("accounts:user_detail", args=[entry.object_id])
    return ""


@login_required
@require_GET
def audit_detail(request, pk: int):
    scopes.require(request.user, "audit.view")
    entry = get_object_or_404(selectors.audit_entries_visible_to(request.user).select_related("actor"), pk=pk)
    return render(
        request,
        "common/audit_detail.html",
        {"entry": entry, "rows": _change_rows(entry), "object_url": _object_url(request.user, entry)},
    )
