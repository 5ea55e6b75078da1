"""Pages of councils and sessions: the council list and page (members and terms), the session list, the
session page the secretary runs the meeting from (agenda, publishing, attendance, written votes, opening,
live progress, paper ballots, closing, documents), the member's voting page and the tally page.

Sessions are fetched only through ``selectors.access_session`` (404 outside sight); writes go through the
services, which check the caller (403) and the session's state (409 with the reason). The voting page
posts the choices only to ``ballots.ballot_cast``: its POST parameters are hidden from error reports and
its responses are never cached (a shared computer's back button must not show a ballot).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts import scopes
from thidua.common.views import paginate
from thidua.council import ballots, documents, selectors, services
from thidua.council.ballots import CouncilRefused
from thidua.council.enums import PREPARING_STATUSES, ItemResult, SessionStatus
from thidua.council.forms import (
    AgendaForm,
    AttendanceForm,
    BallotForm,
    CancelForm,
    CloseForm,
    CouncilForm,
    MembershipEndForm,
    MembershipForm,
    OpenVotingForm,
    PaperForm,
    ReceiptCheckForm,
    SessionEditForm,
    SessionFilterForm,
    SessionForm,
    WrittenVoteForm,
)
from thidua.council.models import Council, Membership, PaperSheet, Participation, Session
from thidua.council.tally import percent, vote_rule

PAGE_SIZE = 30


def _require_view(user) -> None:
    if not (scopes.can(user, "council.view") or scopes.can(user, "council.manage") or Membership.objects.filter(user=user).exists()):
        raise PermissionDenied


# ---------------------------------------------------------------- councils


@login_required
@require_GET
def council_list(request):
    user = request.user
    _require_view(user)
    councils = selectors.councils_visible_to(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__end_on__isnull=True) | Q(memberships__end_on__gte=timezone.localdate()), distinct=True),
        session_count=Count("sessions", distinct=True),
    ).order_by("unit__path", "name")
    page = paginate(request, councils, PAGE_SIZE)
    return render(request, "council/council_list.html", {"page": page, "can_create": scopes.can(user, "council.manage")})


@login_required
def council_create(request):
    user = request.user
    scopes.require(user, "council.manage")
    form = CouncilForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(actor=user, unit=form.cleaned_data["unit"], name=form.cleaned_data["name"],
                                              established_by=form.cleaned_data["established_by"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lập “%(name)s”. Thêm các thành viên của Hội đồng.") % {"name": council.name})
            return redirect("council:council_detail", pk=council.pk)
    return render(request, "council/council_form.html", {"form": form}, status=400 if form.errors else 200)


def _council_context(request, council: Council, *, membership_form=None) -> dict:
    user = request.user
    today = timezone.localdate()
    memberships = list(council.memberships.select_related("user__person").order_by("-start_on", "id"))
    for membership in memberships:
        membership.current = membership.in_term_on(today)
    can_manage = selectors.can_manage(user, council)
    sessions = council.sessions.annotate(item_count=Count("items")).order_by("-held_on", "-id")[:10]
    return {
        "council": council,
        "memberships": memberships,
        "current_count": sum(1 for m in memberships if m.current),
        "can_manage": can_manage,
        "membership_form": (membership_form or MembershipForm(council=council, initial={"start_on": today})) if can_manage else None,
        "end_form": MembershipEndForm(initial={"end_on": today}),
        "sessions": sessions,
        "can_create_session": selectors.councils_run_by(user).filter(pk=council.pk).exists(),
        "today": today,
    }


@login_required
@require_GET
def council_detail(request, pk: int):
    council = selectors.access_council(request.user, pk)
    return render(request, "council/council_detail.html", _council_context(request, council))


@login_required
@require_POST
def membership_add(request, pk: int):
    user = request.user
    council = selectors.access_council(user, pk)
    if not selectors.can_manage(user, council):
        raise PermissionDenied
    form = MembershipForm(request.POST, council=council)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add(actor=user, council=council, user=data["user"], role=data["role"], title=data["title"],
                                                 start_on=data["start_on"], end_on=data["end_on"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm %(name)s vào Hội đồng.") % {"name": membership.name})
            return redirect(f"{reverse('council:council_detail', args=[council.pk])}#thanh-vien")
    return render(request, "council/council_detail.html", _council_context(request, council, membership_form=form), status=400)


@login_required
@require_POST
def membership_end(request, pk: int, membership_id: int):
    user = request.user
    council = selectors.access_council(user, pk)
    membership = get_object_or_404(Membership, pk=membership_id, council=council)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("end_on", [])) or _("Ngày không hợp lệ."))
        return redirect("council:council_detail", pk=council.pk)
    try:
        services.membership_end(actor=user, membership=membership, end_on=form.cleaned_data["end_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã kết thúc nhiệm kỳ của %(name)s.") % {"name": membership.name})
    return redirect(f"{reverse('council:council_detail', args=[council.pk])}#thanh-vien")


# ---------------------------------------------------------------- sessions: list and creation


@login_required
@require_GET
def session_list(request):
    user = request.user
    _require_view(user)
    visible = selectors.sessions_visible_to(user)
    councils = list(selectors.councils_visible_to(user).order_by("name"))
    years = sorted({day.year for day in visible.values_list("held_on", flat=True)}, reverse=True)
    form = SessionFilterForm(request.GET or None, councils=councils, years=years)
    values = form.values()
    sessions = selectors.sessions_filtered(visible, **values).annotate(item_count=Count("items", distinct=True)).order_by("-held_on", "-id")
    page = paginate(request, sessions, PAGE_SIZE)
    template = "council/session_list.html#results" if request.htmx and not request.htmx.history_restore_request else "council/session_list.html"
    return render(request, template, {"page": page, "form": form, "filtered": form.filtered,
                                      "run_by": list(selectors.councils_run_by(user))})


@login_required
def session_create(request, pk: int):
    user = request.user
    council = selectors.access_council(user, pk)
    nominees = selectors.nominees_awaiting(council)
    form = SessionForm(request.POST if request.method == "POST" else None, nominees=nominees)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_create(actor=user, council=council, nominees=list(data["nominees"]), held_on=data["held_on"],
                                                  title=data["title"], place=data["place"])
            except ValidationError as error:
                form.add_service_error(error)
            except PermissionDenied:
                form.add_error("held_on", _("Bạn không là thư ký Hội đồng vào ngày họp này."))
                status = 403
            else:
                messages.success(request, _("Đã lập phiên họp. Điểm danh và gửi chương trình cho thành viên."))
                return redirect("council:session_detail", pk=session.pk)
    groups = selectors.grouped_by_award(list(nominees))
    return render(request, "council/session_form.html", {"form": form, "council": council, "groups": groups}, status=status)


# ---------------------------------------------------------------- the session page


def _rules_view(session: Session, items) -> dict:
    """The quorum and the thresholds the session uses (frozen at opening; before that, in force on the
    session date), each with its source and whether it is verified."""
    rules = session.rules if session.rules else services.session_rules(session)
    quorum = rules.get("quorum") or {}
    seen, thresholds = set(), []
    for item in items:
        award = item.nominee.award
        if award.code in seen:
            continue
        seen.add(award.code)
        rule = vote_rule(rules.get("votes") or {}, award.code)
        thresholds.append({"award": award, "text": rule.describe(), "source": rule.source, "verified": rule.verified})
    return {
        "code": session.ruleset_code or rules.get("code", ""),
        "quorum_share": percent(selectors.parse_share(quorum.get("min_share", 0)), trim=True),
        "quorum_source": quorum.get("source", ""),
        "quorum_verified": quorum.get("certainty") == "verified",
        "written_allowed": bool(quorum.get("absent_may_vote_in_writing")),
        "tie_rejects": quorum.get("tie", "rejected") == "rejected",
        "thresholds": thresholds,
    }


def _session_context(request, session: Session, **forms) -> dict:
    user = request.user
    items = selectors.agenda(session)
    secretary = selectors.is_secretary(user, session)
    membership = selectors.membership_of(user, session.council, session.held_on)
    roster = selectors.roster(session)
    opened = [item for item in items if item.opened]
    preparing = session.status in PREPARING_STATUSES
    present = next((row.present for row in roster if membership and row.membership_id == membership.pk), False)
    context = {
        "session": session,
        "council": session.council,
        "groups": selectors.grouped_by_award(items),
        "items": items,
        "opened": opened,
        "roster": roster,
        "progress": selectors.progress(session),
        "rules": _rules_view(session, items),
        "secretary": secretary,
        "membership": membership,
        "member_present": present,
        "has_voted": selectors.has_participated(session, membership),
        "can_see_rules": scopes.can(user, "rules.view"),
        "written": selectors.written_participations(session) if secretary else [],
        "paper": selectors.paper_tallies(session),
        "paper_sheets": list(PaperSheet.objects.filter(session=session)),
        "documents": list(documents.session_documents(session)) if session.status == SessionStatus.CLOSED else [],
        "document_labels": documents.KIND_LABELS,
        "can_generate": secretary or selectors.can_manage(user, session.council),
    }
    if secretary and preparing:
        context["agenda_form"] = forms.get("agenda_form") or AgendaForm(
            nominees=selectors.nominees_awaiting(session.council, session=session), initial={"nominees": [item.nominee_id for item in items]}
        )
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(roster=roster)
        context["open_form"] = forms.get("open_form") or OpenVotingForm(items=items)
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
        context["edit_form"] = forms.get("edit_form") or SessionEditForm(
            initial={"held_on": session.held_on, "title": session.title, "place": session.place}
        )
    if secretary and session.status == SessionStatus.VOTING:
        absent = [row.membership for row in roster if not row.present]
        voted = set(Participation.objects.filter(session=session).values_list("membership", flat=True))
        absent = [m for m in absent if m.pk not in voted]
        if context["rules"]["written_allowed"] and absent:
            context["written_form"] = forms.get("written_form") or WrittenVoteForm(items=opened, absent=absent, prefix="written")
        context["paper_form"] = forms.get("paper_form") or PaperForm(items=opened, current=context["paper"])
        context["close_form"] = forms.get("close_form") or CloseForm()
    context["error"] = forms.get("error")
    return context


def _render_session(request, session: Session, *, status: int = 200, **forms):
    session.refresh_from_db()
    return render(request, "council/session_detail.html", _session_context(request, session, **forms), status=status)


@login_required
@require_GET
def session_detail(request, pk: int):
    return _render_session(request, selectors.access_session(request.user, pk))


def _run(request, session: Session, action, *, success: str, form_name: str = "", form=None, anchor: str = ""):
    """Run a service for the session page: success → message and redirect; refusal → the page again with
    the reason (409), forbidden (403), bad input on the form (400)."""
    try:
        action()
    except CouncilRefused as refusal:
        return _render_session(request, session, status=refusal.status_code, error=refusal.message, **({form_name: form} if form_name else {}))
    except PermissionDenied:
        return _render_session(request, session, status=403, error=_("Chỉ thư ký Hội đồng (trong nhiệm kỳ vào ngày họp) được làm việc này."))
    except ValidationError as error:
        if form is not None:
            form.add_service_error(error)
            return _render_session(request, session, status=400, **{form_name: form})
        return _render_session(request, session, status=400, error=" ".join(error.messages))
    messages.success(request, success)
    return redirect(f"{reverse('council:session_detail', args=[session.pk])}{anchor}")


@login_required
@require_POST
def session_edit(request, pk: int):
    """Move the meeting (its date decides the roster: a new date takes the members in term then) or rename it."""
    session = selectors.access_session(request.user, pk)
    form = SessionEditForm(request.POST)
    if not form.is_valid():
        return _render_session(request, session, status=400, edit_form=form)
    data = form.cleaned_data
    return _run(request, session,
                lambda: services.session_update(actor=request.user, session=session, held_on=data["held_on"], title=data["title"], place=data["place"]),
                success=_("Đã cập nhật thông tin phiên họp."), form_name="edit_form", form=form)


@login_required
@require_POST
def agenda_edit(request, pk: int):
    session = selectors.access_session(request.user, pk)
    form = AgendaForm(request.POST, nominees=selectors.nominees_awaiting(session.council, session=session))
    if not form.is_valid():
        return _render_session(request, session, status=400, agenda_form=form)
    return _run(request, session, lambda: services.agenda_set(actor=request.user, session=session, nominees=list(form.cleaned_data["nominees"])),
                success=_("Đã cập nhật chương trình họp."), form_name="agenda_form", form=form, anchor="#chuong-trinh")


@login_required
@require_POST
def session_publish(request, pk: int):
    session = selectors.access_session(request.user, pk)
    return _run(request, session, lambda: services.session_publish(actor=request.user, session=session),
                success=_("Đã gửi chương trình họp cho các thành viên Hội đồng."))


@login_required
@require_POST
def attendance(request, pk: int):
    session = selectors.access_session(request.user, pk)
    form = AttendanceForm(request.POST, roster=selectors.roster(session))
    if not form.is_valid():
        return _render_session(request, session, status=400, attendance_form=form)
    present = [int(pk) for pk in form.cleaned_data["present"]]
    return _run(request, session, lambda: services.attendance_set(actor=request.user, session=session, present=present),
                success=_("Đã ghi nhận %(count)d thành viên có mặt.") % {"count": len(present)}, form_name="attendance_form", form=form,
                anchor="#diem-danh")


@login_required
@require_POST
def voting_open(request, pk: int):
    session = selectors.access_session(request.user, pk)
    form = OpenVotingForm(request.POST, items=selectors.agenda(session))
    if not form.is_valid():
        return _render_session(request, session, status=400, open_form=form)
    return _run(request, session, lambda: services.voting_open(actor=request.user, session=session, nominees=form.chosen()),
                success=_("Đã mở bỏ phiếu. Các thành viên có mặt bỏ phiếu trên trang “Bỏ phiếu” của mình."), form_name="open_form", form=form,
                anchor="#tien-do")


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = selectors.access_session(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render_session(request, session, status=400, cancel_form=form)
    return _run(request, session, lambda: services.session_cancel(actor=request.user, session=session, reason=form.cleaned_data["reason"]),
                success=_("Đã hủy phiên họp; các đề nghị có thể đưa vào phiên họp khác."), form_name="cancel_form", form=form)


@login_required
@require_GET
def progress(request, pk: int):
    """The live progress partial (polled every 3 seconds by the secretary's page): counts only."""
    session = selectors.access_session(request.user, pk)
    response = render(request, "council/_progress.html", {"session": session, "progress": selectors.progress(session)})
    add_never_cache_headers(response)
    return response


@sensitive_post_parameters()
@login_required
@require_POST
def written_vote(request, pk: int):
    session = selectors.access_session(request.user, pk)
    roster = selectors.roster(session)
    voted = set(Participation.objects.filter(session=session).values_list("membership", flat=True))
    absent = [row.membership for row in roster if not row.present and row.membership_id not in voted]
    form = WrittenVoteForm(request.POST, request.FILES, items=ballots.opened_items(session), absent=absent, prefix="written")
    if not form.is_valid():
        return _render_session(request, session, status=400, written_form=form)
    membership = form.chosen_membership()
    return _run(
        request, session,
        lambda: ballots.written_vote_enter(actor=request.user, session=session, membership=membership, votes=form.votes(),
                                           document=form.cleaned_data["file"]),
        success=_("Đã nhập ý kiến bằng văn bản của %(name)s.") % {"name": membership.name}, form_name="written_form", form=form, anchor="#tien-do",
    )


@login_required
@require_POST
def paper_entry(request, pk: int):
    session = selectors.access_session(request.user, pk)
    form = PaperForm(request.POST, request.FILES, items=ballots.opened_items(session), current=selectors.paper_tallies(session))
    if not form.is_valid():
        return _render_session(request, session, status=400, paper_form=form)
    return _run(request, session, lambda: services.paper_tally_enter(actor=request.user, session=session, counts=form.counts(), sheet=form.cleaned_data["sheet"]),
                success=_("Đã nhập kết quả kiểm phiếu giấy."), form_name="paper_form", form=form, anchor="#phieu-giay")


@login_required
@require_POST
def session_close(request, pk: int):
    session = selectors.access_session(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render_session(request, session, status=400, close_form=form)
    try:
        services.session_close(actor=request.user, session=session, conclusion=form.cleaned_data["conclusion"])
    except CouncilRefused as refusal:
        return _render_session(request, session, status=refusal.status_code, error=refusal.message, close_form=form)
    except PermissionDenied:
        return _render_session(request, session, status=403, error=_("Chỉ thư ký Hội đồng (trong nhiệm kỳ vào ngày họp) được làm việc này."))
    messages.success(request, _("Đã kết thúc biểu quyết. Kết quả đã được chuyển vào hồ sơ đề nghị."))
    return redirect("council:session_tally", pk=session.pk)


# ---------------------------------------------------------------- the member's ballot


def _ballot_groups(form: BallotForm):
    return selectors.grouped_by_award(form.rows(), nominee_of=lambda row: row[0].nominee)


@sensitive_post_parameters()
@never_cache
@login_required
def ballot(request, pk: int):
    """The member's own voting page: one big choice per nominee, one submit; the receipt is shown once,
    in the response to the vote (it is never stored, so it cannot be shown again)."""
    user = request.user
    session = selectors.access_session(user, pk)
    membership = selectors.membership_of(user, session.council, session.held_on)
    items = ballots.opened_items(session) if session.status == SessionStatus.VOTING else []
    form = BallotForm(request.POST if request.method == "POST" else None, items=items)
    context = {"session": session, "membership": membership, "form": form, "groups": _ballot_groups(form) if items else [],
               "has_voted": selectors.has_participated(session, membership),
               "present": membership is not None and session.attendance.filter(membership=membership, present=True).exists()}
    if request.method == "POST":
        if not form.is_valid():
            context["groups"] = _ballot_groups(form)
            return render(request, "council/ballot.html", context, status=400)
        try:
            code = ballots.ballot_cast(actor=user, session=session, votes=form.votes())
        except CouncilRefused as refusal:
            context["error"] = refusal.message
            context["has_voted"] = selectors.has_participated(session, membership)
            return render(request, "council/ballot.html", context, status=refusal.status_code)
        return render(request, "council/ballot_receipt.html", {"session": session, "receipt": code})
    return render(request, "council/ballot.html", context)


# ---------------------------------------------------------------- after closing


def _tally_context(request, session: Session, **extra) -> dict:
    items = [item for item in selectors.agenda(session) if item.opened]
    for item in items:
        item.share_text = percent(item.share) if item.share is not None else "—"
    return {
        "session": session,
        "groups": selectors.grouped_by_award(items),
        "approved": sum(1 for item in items if item.result == ItemResult.APPROVED),
        "total": len(items),
        "progress": selectors.progress(session),
        "rules": _rules_view(session, items),
        "receipts": selectors.receipt_hashes(session),
        "fingerprint": selectors.receipt_fingerprint(session),
        "check_form": extra.pop("check_form", None) or ReceiptCheckForm(),
        "documents": list(documents.session_documents(session)),
        "document_labels": documents.KIND_LABELS,
        "can_generate": selectors.is_secretary(request.user, session) or selectors.can_manage(request.user, session.council),
        **extra,
    }


@login_required
@require_GET
def session_tally(request, pk: int):
    session = selectors.access_session(request.user, pk)
    if session.status != SessionStatus.CLOSED:
        return redirect("council:session_detail", pk=session.pk)
    return render(request, "council/session_tally.html", _tally_context(request, session))


@sensitive_post_parameters()
@never_cache
@login_required
@require_POST
def receipt_check(request, pk: int):
    """Hash the code a member types in and look for it among the session's receipts (POST: the code
    stays out of URLs and access logs)."""
    session = selectors.access_session(request.user, pk)
    if session.status != SessionStatus.CLOSED:
        return redirect("council:session_detail", pk=session.pk)
    form = ReceiptCheckForm(request.POST)
    if not form.is_valid():
        return render(request, "council/session_tally.html", _tally_context(request, session, check_form=form), status=400)
    counted = selectors.receipt_counted(session, form.cleaned_data["code"])
    return render(request, "council/session_tally.html", _tally_context(request, session, check_form=ReceiptCheckForm(), checked=True,
                                                                          counted=counted, checked_hash=selectors.receipt_hash(form.cleaned_data["code"])))


@login_required
@require_POST
def document_generate(request, pk: int):
    session = selectors.access_session(request.user, pk)
    try:
        stored = documents.session_document_generate(actor=request.user, session=session, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã tạo %(label)s, phiên bản %(version)d.") % {"label": documents.KIND_LABELS[stored.kind], "version": stored.version})
    return redirect(f"{reverse('council:session_tally', args=[session.pk])}#van-ban")


@login_required
@require_GET
def document_file(request, pk: int, document_id: int):
    from thidua.common.documents import DOCX_CONTENT_TYPE

    session = selectors.access_session(request.user, pk)
    stored = get_object_or_404(documents.session_documents(session), pk=document_id)
    if not stored.file or not stored.file.storage.exists(stored.file.name):
        raise Http404
    name = stored.filename.removesuffix(".docx") + f"-v{stored.version}.docx"
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE)


@login_required
@require_GET
def session_file(request, pk: int, kind: str, file_id: str):
    """A scanned paper tally sheet (anyone who sees the session), or the document of a written vote
    (the secretary only: it is signed by the member and shows their choices)."""
    session = selectors.access_session(request.user, pk)
    if kind == "phieu-giay":
        stored = get_object_or_404(PaperSheet, pk=file_id if file_id.isdigit() else 0, session=session)
        name = stored.original_name
    elif kind == "van-ban":
        if not selectors.is_secretary(request.user, session):
            raise PermissionDenied
        try:
            stored = Participation.objects.get(pk=file_id, session=session)
        except (Participation.DoesNotExist, ValidationError, ValueError):
            raise Http404 from None
        name = stored.original_name
    else:
        raise Http404
    if not stored.file or not stored.file.storage.exists(stored.file.name):
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=name)
