"""Account administration: accounts, their roles, locking. Needs ``role.manage``; an administrator
sees only the accounts and role assignments of their own subtree (``accounts.selectors``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import scopes, selectors, services
from thidua.accounts.forms_admin import (
    RoleGrantForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    people_linkable_by,
)
from thidua.common.views import paginate
from thidua.organizations.selectors import units_visible_to

USER_PAGE_SIZE = 50


@login_required
def user_list(request):
    actor = request.user
    scopes.require(actor, "role.manage")
    units = list(
        units_visible_to(actor, "role.manage").only("code", "name", "depth", "path").order_by("path")
    )
    form = UserFilterForm(request.GET or None, units=units)
    page = paginate(request, selectors.users_search(actor, **form.search_arguments()), USER_PAGE_SIZE)
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(request.GET.get(key) for key in ("q", "role", "unit", "active")),
        },
    )


@login_required
def user_create(request):
    actor = request.user
    scopes.require(actor, "role.manage")
    initial = {}
    if request.GET.get("person"):
        initial["person"] = get_object_or_404(
            people_linkable_by(actor), pk=request.GET["person"] if request.GET["person"].isdigit() else 0
        )
    form = UserCreateForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The account and its first role stand or fall together.
            with transaction.atomic():
                user = services.user_create(
                    actor=actor,
                    username=data["username"],
                    password=data["password1"],
                    email=data["email"],
                    person=data["person"],
                )
                if data["role"]:
                    services.role_grant(actor=actor, user=user, role=data["role"], unit=data["unit"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "account": None, "linked_person": initial.get("person")},
        status=400 if form.errors else 200,
    )


def _detail_context(actor, account, grant_form=None) -> dict:
    return {
        "account": account,
        "assignments": list(
            selectors.roles_in_scope(actor)
            .filter(user=account)
            .select_related("unit", "granted_by")
            .order_by("role", "unit__path")
        ),
        "hidden_assignments": account.roles.exclude(
            pk__in=selectors.roles_in_scope(actor).values("pk")
        ).count(),
        "grant_form": grant_form or RoleGrantForm(actor=actor),
        "is_self": account.pk == actor.pk,
        "can_see_person": account.person_id is not None
        and scopes.can_on_person(actor, "person.view", account.person),
    }


@login_required
def user_detail(request, pk: int):
    actor = request.user
    scopes.require(actor, "role.manage")
    account = selectors.access_user(actor, pk)
    return render(request, "accounts/user_detail.html", _detail_context(actor, account))


@login_required
def user_edit(request, pk: int):
    actor = request.user
    scopes.require(actor, "role.manage")
    account = selectors.access_user(actor, pk)
    form = UserEditForm(
        request.POST or None,
        actor=actor,
        user=account,
        initial={"email": account.email, "person": account.person},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=actor,
                user=account,
                email=form.cleaned_data["email"],
                person=form.cleaned_data["person"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu tài khoản %(name)s.") % {"name": account.username})
            if selectors.users_visible_to(actor).filter(pk=account.pk).exists():
                return redirect("accounts:user_detail", pk=account.pk)
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "account": account, "linked_person": account.person},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def role_grant(request, pk: int):
    actor = request.user
    scopes.require(actor, "role.manage")
    account = selectors.access_user(actor, pk)
    form = RoleGrantForm(request.POST, actor=actor)
    if form.is_valid():
        assignment = services.role_grant(
            actor=actor, user=account, role=form.cleaned_data["role"], unit=form.cleaned_data["unit"]
        )
        messages.success(
            request,
            _("Đã cấp vai trò %(role)s tại %(unit)s.")
            % {"role": assignment.get_role_display(), "unit": assignment.unit.name},
        )
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_detail.html", _detail_context(actor, account, form), status=400)


@login_required
@require_POST
def role_revoke(request, pk: int, assignment_pk: int):
    actor = request.user
    scopes.require(actor, "role.manage")
    account = selectors.access_user(actor, pk)
    assignment = get_object_or_404(
        selectors.roles_in_scope(actor).select_related("unit", "user"), pk=assignment_pk, user=account
    )
    services.role_revoke(actor=actor, assignment=assignment)
    messages.success(
        request,
        _("Đã thu hồi vai trò %(role)s tại %(unit)s.")
        % {"role": assignment.get_role_display(), "unit": assignment.unit.name},
    )
    if selectors.users_visible_to(actor).filter(pk=account.pk).exists():
        return redirect("accounts:user_detail", pk=account.pk)
    return redirect("accounts:user_list")


@login_required
@require_POST
def user_set_active(request, pk: int):
    actor = request.user
    scopes.require(actor, "role.manage")
    account = selectors.access_user(actor, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=actor, user=account, active=active)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if active:
            messages.success(request, _("Đã mở khóa tài khoản %(name)s.") % {"name": account.username})
        else:
            messages.success(request, _("Đã khóa tài khoản %(name)s.") % {"name": account.username})
    return redirect("accounts:user_detail", pk=account.pk)
