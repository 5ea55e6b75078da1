"""The public verification page of certificates: ``/xac-thuc/<code>`` (and ``/XAC-THUC/<code>``, the form the
QR codes use). No login, no form posted, no cookie needed; it shows the holder, the award, the decision's
number, date and issuing unit, and whether the award is valid or revoked — nothing more.

Codes carry 80 random bits, so guessing is hopeless; still, an address that asks for too many unknown
codes within the window is answered 429 for a while (the same idea as the login throttling), and an
unknown code always gets the same 404 page whatever it looks like."""

import datetime

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from thidua.decisions import certificates, selectors
from thidua.decisions.forms import VerifyForm
from thidua.decisions.models import VerificationMiss

MISS_LIMIT = int(getattr(settings, "THIDUA_VERIFY_MISS_LIMIT", 20))
MISS_WINDOW_SECONDS = int(getattr(settings, "THIDUA_VERIFY_MISS_WINDOW", 900))


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=MISS_WINDOW_SECONDS)


def is_throttled(ip_address: str | None) -> bool:
    if not ip_address:
        return False
    return VerificationMiss.objects.filter(ip_address=ip_address, at__gte=_window_start()).count() >= MISS_LIMIT


def record_miss(ip_address: str | None) -> None:
    with transaction.atomic():
        VerificationMiss.objects.create(ip_address=ip_address)
        VerificationMiss.objects.filter(at__lt=_window_start() - datetime.timedelta(days=1)).delete()


def lookup(request, code: str) -> tuple[int, dict | None]:
    """(HTTP status, facts): 200 with the facts, 404 for an unknown code, 429 when throttled. Shared by the
    page and the API."""
    ip_address = request.META.get("REMOTE_ADDR")
    if is_throttled(ip_address):
        return 429, None
    normalised = certificates.normalise_code(code)
    certificate = selectors.certificate_by_code(normalised) if normalised else None
    if certificate is None:
        record_miss(ip_address)
        return 404, None
    return 200, selectors.verification_facts(certificate)


@require_GET
@never_cache
def verify(request, code: str):
    status, facts = lookup(request, code)
    return render(request, "decisions/verify.html", {"facts": facts, "status": status, "form": VerifyForm()}, status=status)


@require_GET
@never_cache
def verify_form(request):
    """Type the code printed on a certificate (when the QR cannot be scanned)."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        normalised = certificates.normalise_code(form.cleaned_data["code"])
        if normalised:
            return redirect("verification:verify", code=normalised)
        form.add_error("code", _("Mã xác thực gồm 16 chữ cái và chữ số (không có I, L, O, U)."))
    return render(request, "decisions/verify.html", {"facts": None, "status": None, "form": form}, status=400 if form.errors else 200)
