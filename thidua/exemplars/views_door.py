"""Delegates: the invitation list (internal people and guests, RSVP, check-in state), the invitation PDFs
with their QR codes, the delegate's own invitation page (``/thu-moi/<token>``: no login, the token is the
key) and the door page where the organiser checks delegates in from a phone.

At the door the organiser scans the QR code (the phone's camera opens the invitation page, which for an
organiser shows a "check in" button) or types the code, or pastes the scanned address into the door
page. A second check-in is refused with the time of the first.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from thidua.common.views import paginate
from thidua.exemplars import documents, selectors, services_conferences, tokens
from thidua.exemplars.enums import ConferenceStatus, Rsvp
from thidua.exemplars.forms import DoorForm, InvitationForm, InvitePeopleForm
from thidua.exemplars.models import Invitation

PAGE_SIZE = 50


def _organiser_conference(user, pk):
    conference = selectors.access_conference(user, pk)
    if not selectors.is_organiser(user, conference):
        raise PermissionDenied
    return conference


def _people_to_invite(conference):
    from thidua.organizations.models import Person

    invited = conference.invitations.filter(person__isnull=False).values("person_id")
    return (Person.objects.filter(current_unit__path__startswith=conference.organising_unit.path).exclude(pk__in=invited)
            .select_related("current_unit").order_by("current_unit__path", "sort_key"))


@login_required
def invitation_list(request, pk: int):
    user = request.user
    conference = _organiser_conference(user, pk)
    guest_form = InvitationForm(request.POST if request.POST.get("form") == "guest" else None)
    people_form = InvitePeopleForm(request.POST if request.POST.get("form") == "people" else None, people=_people_to_invite(conference))
    if request.method == "POST":
        try:
            if request.POST.get("form") == "guest" and guest_form.is_valid():
                services_conferences.invitation_add(actor=user, conference=conference, **guest_form.cleaned_data)
                messages.success(request, _("Đã thêm giấy mời."))
                return redirect("conferences:invitation_list", pk=conference.pk)
            if request.POST.get("form") == "people" and people_form.is_valid():
                created = services_conferences.invitations_add_people(actor=user, conference=conference, people=people_form.cleaned_data["people"])
                messages.success(request, _("Đã mời %(count)d người.") % {"count": len(created)})
                return redirect("conferences:invitation_list", pk=conference.pk)
        except ValidationError as error:
            (guest_form if request.POST.get("form") == "guest" else people_form).add_service_error(error)
    invitations = conference.invitations.select_related("checked_in_by").order_by("kind", "id")
    q = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    if q:
        invitations = invitations.filter(Q(name__icontains=q) | Q(organisation__icontains=q) | Q(position__icontains=q))
    if state == "present":
        invitations = invitations.filter(checked_in_at__isnull=False)
    elif state == "absent":
        invitations = invitations.filter(checked_in_at__isnull=True)
    elif state in Rsvp.values:
        invitations = invitations.filter(rsvp=state)
    page = paginate(request, invitations, PAGE_SIZE)
    return render(request, "exemplars/invitation_list.html", {
        "conference": conference, "page": page, "guest_form": guest_form, "people_form": people_form, "q": q, "state": state,
        "filtered": bool(q or state), "attendance": selectors.attendance(conference),
        "editable": conference.status not in (ConferenceStatus.HELD, ConferenceStatus.REPORTED), "rsvp_choices": Rsvp.choices,
    }, status=400 if (guest_form.errors or people_form.errors) else 200)


@login_required
@require_POST
def invitation_remove(request, pk: int, invitation_id: int):
    user = request.user
    conference = _organiser_conference(user, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_id, conference=conference)
    try:
        services_conferences.invitation_remove(actor=user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xóa giấy mời."))
    return redirect("conferences:invitation_list", pk=conference.pk)


@login_required
def invitations_pdf(request, pk: int, invitation_id: int | None = None):
    user = request.user
    conference = _organiser_conference(user, pk)
    invitations = conference.invitations.order_by("kind", "id")
    if invitation_id is not None:
        invitations = invitations.filter(pk=invitation_id)
        if not invitations.exists():
            raise Http404
    content = documents.invitations_pdf(conference, list(invitations), base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"giay-moi-{invitation_id}.pdf" if invitation_id else f"giay-moi-hoi-nghi-{conference.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# ---------------------------------------------------------------- the door


def _check_in(request, conference, code: str) -> dict:
    """The result box of the door page: ok / already / error, with who and when."""
    try:
        invitation = services_conferences.check_in(actor=request.user, conference=conference, token=code)
    except services_conferences.AlreadyCheckedIn as refusal:
        return {"state": "already", "invitation": refusal.invitation, "at": refusal.at}
    except ValidationError as error:
        return {"state": "error", "message": " ".join(error.messages)}
    return {"state": "ok", "invitation": invitation, "at": invitation.checked_in_at}


@login_required
@never_cache
def door(request, pk: int):
    """The phone page at the door: a big field that takes a scanned address or a typed code, the result in
    large type, and the running count."""
    conference = _organiser_conference(request.user, pk)
    form = DoorForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = _check_in(request, conference, form.cleaned_data["code"])
        form = DoorForm()  # ready for the next delegate
    recent = conference.invitations.filter(checked_in_at__isnull=False).order_by("-checked_in_at")[:8]
    status = 200 if result is None or result["state"] == "ok" else 409 if result["state"] == "already" else 400
    return render(request, "exemplars/door.html", {
        "conference": conference, "form": form, "result": result, "attendance": selectors.attendance(conference), "recent": list(recent),
        "open": conference.status in (ConferenceStatus.PUBLISHED, ConferenceStatus.HELD),
    }, status=status)


# ---------------------------------------------------------------- the delegate's invitation page (public)


@never_cache
def invitation_page(request, token: str):
    """No login: the token is the key. The delegate answers; an organiser who opens the page (by scanning
    the QR at the door) checks the delegate in."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(request, "exemplars/public/invitation.html", {"invitation": None}, status=404)
    conference = invitation.conference
    organiser = request.user.is_authenticated and selectors.is_organiser(request.user, conference)
    result = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "check_in" and organiser:
            result = _check_in(request, conference, invitation.token)
            status = 409 if result["state"] == "already" else 400 if result["state"] == "error" else 200
            invitation.refresh_from_db()
        elif action in (Rsvp.ATTENDING, Rsvp.DECLINED):
            try:
                services_conferences.invitation_rsvp(invitation=invitation, answer=action)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Cảm ơn, Ban Tổ chức đã nhận được trả lời của quý đại biểu."))
            return redirect("honours:invitation", token=invitation.token)
        else:
            raise PermissionDenied
    return render(request, "exemplars/public/invitation.html", {
        "invitation": invitation, "conference": conference, "organiser": organiser, "result": result,
        "code": tokens.format_token(invitation.token), "answerable": conference.status not in (ConferenceStatus.HELD, ConferenceStatus.REPORTED),
        "public_programme": conference.status in (ConferenceStatus.PUBLISHED, ConferenceStatus.HELD, ConferenceStatus.REPORTED),
    }, status=status)
