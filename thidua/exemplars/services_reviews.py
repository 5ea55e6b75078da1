"""Writes on presentations (tham luận) and their reviews: submission by a unit or its staff, the
reviewer copy for blind review, scoring by the assigned reviewers, and the organiser's decision with its
message to the authors.

A decision goes through ``presentation_decide``; the authors' own steps through ``presentation_resubmit``
and ``presentation_withdraw``: all three read ``enums.PRESENTATION_TRANSITIONS``.
"""

import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text
from thidua.exemplars import blind, selectors
from thidua.exemplars.enums import (
    AUTHOR,
    DECISIONS,
    ORGANISER,
    PRESENTATION_TRANSITIONS,
    REVIEWABLE,
    ConferenceStatus,
    PresentationStatus,
    Recommendation,
)
from thidua.exemplars.models import Conference, Presentation, PresentationAuthor, Review, ReviewScore
from thidua.exemplars.services import TransitionRefused

MAX_AUTHORS = 10
# The files are logged by name and hash, not as field values.
_AUDITED = [field.name for field in Presentation._meta.concrete_fields if not isinstance(field, models.FileField)]


def _snapshot(presentation: Presentation) -> dict:
    return audit.snapshot(presentation, fields=_AUDITED)


def _created(presentation: Presentation) -> dict:
    return {key: [None, value] for key, value in _snapshot(presentation).items() if value not in (None, "")}


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _attach(presentation: Presentation, file) -> None:
    """Store the file and its reviewer copy (``blind.blind_copy``) on the presentation (not saved)."""
    extension = blind.check_presentation_file(file)
    file.seek(0)
    content = file.read()
    file.seek(0)
    presentation.original_name = Path(file.name).name[:255]
    presentation.size = len(content)
    presentation.sha256 = hashlib.sha256(content).hexdigest()
    # The stored names say nothing about the authors either.
    presentation.file.save(f"tham-luan{extension}", ContentFile(content), save=False)
    copy = blind.blind_copy(content, extension)
    if copy is not None:
        presentation.blind_file.save(f"tham-luan-an-danh{extension}", ContentFile(copy), save=False)
        presentation.blind_source = "auto"
    else:
        presentation.blind_file = None
        presentation.blind_source = ""


def _set_authors(presentation: Presentation, authors: Iterable) -> list[PresentationAuthor]:
    """``authors``: dicts with ``person`` (a Person) or ``name``, and ``affiliation``."""
    rows = []
    for index, author in enumerate(authors, start=1):
        person = author.get("person")
        name = clean_text(author.get("name")) or (person.full_name if person is not None else "")
        if not name:
            continue
        affiliation = clean_text(author.get("affiliation"))
        if not affiliation and person is not None:
            affiliation = ", ".join(part for part in (person.current_position, person.current_unit.name if person.current_unit_id else "") if part)
        rows.append(PresentationAuthor(presentation=presentation, order=index, person=person, name=name, affiliation=affiliation))
    if not rows:
        raise ValidationError({"authors": _("Nhập ít nhất một tác giả.")})
    if len(rows) > MAX_AUTHORS:
        raise ValidationError({"authors": _("Tối đa %(count)d tác giả.") % {"count": MAX_AUTHORS}})
    presentation.authors.all().delete()
    PresentationAuthor.objects.bulk_create(rows)
    return rows


def _clean_files_on_failure(presentation: Presentation):
    for field in (presentation.file, presentation.blind_file):
        if field:
            field.delete(save=False)


@transaction.atomic
def presentation_submit(
    *, actor, conference: Conference, unit, title: str, abstract: str = "", authors: Iterable = (), file=None
) -> Presentation:
    """A unit (or one of its staff) sends a presentation while the conference calls for them, before the
    deadline (the organiser may still take one in late). The organisers are told."""
    conference = Conference.objects.select_for_update(of=("self",)).select_related("organising_unit").get(pk=conference.pk)
    if actor is not None and not selectors.may_submit_for(actor, conference, unit):
        raise PermissionDenied
    organiser = actor is None or selectors.is_organiser(actor, conference)
    if conference.status != ConferenceStatus.OPEN:
        raise ValidationError({"conference": _("Hội nghị không trong thời gian nhận tham luận.")})
    if conference.submission_deadline and timezone.localdate() > conference.submission_deadline and not organiser:
        raise ValidationError({"conference": _("Đã quá hạn gửi tham luận (%(day)s).") % {"day": f"{conference.submission_deadline:%d/%m/%Y}"}})
    title = clean_text(title)
    if not title:
        raise ValidationError({"title": _("Nhập tên tham luận.")})
    presentation = Presentation(conference=conference, unit=unit, title=title, abstract=(abstract or "").strip(),
                                submitted_by=_actor(actor), submitted_at=timezone.now())
    if file is not None:
        _attach(presentation, file)
    try:
        presentation.save()
        authors = _set_authors(presentation, authors)
        changes = _created(presentation)
        changes["authors"] = [None, [author.name for author in authors]]
        audit.record(actor=actor, action=AuditAction.CREATE, obj=presentation, changes=changes)
    except Exception:
        _clean_files_on_failure(presentation)
        raise
    url = reverse("conferences:presentation_detail", args=[presentation.pk])
    recipients = _organisers(conference)
    text = _("Tham luận mới gửi tới %(conference)s: %(title)s.") % {"conference": conference.title, "title": title}
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url, email=False))
    return presentation


def _organisers(conference: Conference) -> list:
    from thidua.accounts.models import User

    return list(User.objects.filter(is_active=True, roles__role="officer", roles__unit__path__in=conference.organising_unit.ancestor_paths()).distinct())


def _authors_users(presentation: Presentation) -> list:
    from thidua.accounts.models import User

    people = presentation.authors.filter(person__isnull=False).values("person_id")
    users = list(User.objects.filter(is_active=True, person_id__in=people))
    if presentation.submitted_by_id and presentation.submitted_by.is_active:
        users.append(presentation.submitted_by)
    return users


def _lock(presentation: Presentation) -> Presentation:
    return Presentation.objects.select_for_update(of=("self",)).select_related("conference__organising_unit", "unit").get(pk=presentation.pk)


def _check_step(presentation: Presentation, to: str, side: str) -> None:
    allowed = PRESENTATION_TRANSITIONS.get(presentation.status, {})
    if allowed.get(to) != side:
        raise TransitionRefused(_("Không thể chuyển tham luận từ “%(source)s” sang “%(target)s”.") % {
            "source": PresentationStatus(presentation.status).label,
            "target": PresentationStatus(to).label if to in PresentationStatus.values else to})


@transaction.atomic
def presentation_resubmit(*, actor, presentation: Presentation, title: str | None = None, abstract: str | None = None, file=None) -> Presentation:
    """The authors send the revised presentation; the earlier reviews stay for the record, the reviewers
    review the new version (their reviews can be updated again)."""
    presentation = _lock(presentation)
    if actor is not None and not selectors.is_participant(actor, presentation):
        raise PermissionDenied
    _check_step(presentation, PresentationStatus.SUBMITTED, AUTHOR)
    if presentation.conference.status != ConferenceStatus.OPEN:
        raise ValidationError({"conference": _("Hội nghị không còn nhận tham luận.")})
    before = _snapshot(presentation)
    if title is not None:
        presentation.title = clean_text(title) or presentation.title
    if abstract is not None:
        presentation.abstract = abstract.strip()
    old_files = [presentation.file.name, presentation.blind_file.name if presentation.blind_file else ""]
    if file is not None:
        _attach(presentation, file)
    presentation.status = PresentationStatus.SUBMITTED
    presentation.revision += 1
    presentation.submitted_at = timezone.now()
    presentation.save()
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=presentation, changes=audit.diff(before, _snapshot(presentation)),
                 note=_("Gửi lại tham luận đã chỉnh sửa"))
    if file is not None:
        storage = presentation.file.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in old_files if name])
    recipients = _organisers(presentation.conference)
    url = reverse("conferences:presentation_detail", args=[presentation.pk])
    text = _("Tham luận “%(title)s” đã được chỉnh sửa, gửi lại.") % {"title": presentation.title}
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url, email=False))
    return presentation


@transaction.atomic
def presentation_withdraw(*, actor, presentation: Presentation) -> Presentation:
    presentation = _lock(presentation)
    if actor is not None and not selectors.is_participant(actor, presentation):
        raise PermissionDenied
    _check_step(presentation, PresentationStatus.WITHDRAWN, AUTHOR)
    before = _snapshot(presentation)
    presentation.status = PresentationStatus.WITHDRAWN
    presentation.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=presentation, changes=audit.diff(before, _snapshot(presentation)))
    return presentation


@transaction.atomic
def presentation_decide(*, actor, presentation: Presentation, to: str, message: str = "") -> Presentation:
    """The organiser's decision: ``accepted``, ``revisions_required`` or ``rejected``. Side effects, in order:

    1. lock the row; check the table and ``conference.manage`` on the organising unit;
    2. ``revisions_required`` and ``rejected`` need a message to the authors (what to change, or why);
    3. stamp who and when; audit row;
    4. after commit, the authors (their accounts) and whoever submitted it receive the message.
    """
    presentation = _lock(presentation)
    if actor is not None and not selectors.is_organiser(actor, presentation.conference):
        raise PermissionDenied
    if to not in DECISIONS:
        raise TransitionRefused(_("Quyết định phải là chọn, cần chỉnh sửa hoặc không chọn."))
    _check_step(presentation, to, ORGANISER)
    message = (message or "").strip()
    if to != PresentationStatus.ACCEPTED and not message:
        raise ValidationError({"message": _("Ghi ý kiến gửi tác giả: cần chỉnh sửa gì, hoặc vì sao không chọn.")})
    before = _snapshot(presentation)
    presentation.status, presentation.decision_message = to, message
    presentation.decided_by, presentation.decided_at = _actor(actor), timezone.now()
    presentation.save()
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=presentation, changes=audit.diff(before, _snapshot(presentation)), note=message[:500])
    recipients = _authors_users(presentation)
    url = reverse("conferences:presentation_detail", args=[presentation.pk])
    label = PresentationStatus(to).label
    text = _("Tham luận “%(title)s”: %(decision)s.") % {"title": presentation.title, "decision": label}
    if message:
        text += " " + message
    transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url))
    return presentation


@transaction.atomic
def presentation_blind_copy_set(*, actor, presentation: Presentation, file) -> Presentation:
    """The organiser replaces the reviewer copy (a file anonymised by hand). Its own properties are
    removed as well."""
    presentation = _lock(presentation)
    if actor is not None and not selectors.is_organiser(actor, presentation.conference):
        raise PermissionDenied
    extension = blind.check_presentation_file(file)
    file.seek(0)
    content = file.read()
    copy = blind.blind_copy(content, extension)
    if copy is None:
        raise ValidationError({"file": _(
            "Tệp vẫn còn thông tin tác giả mà hệ thống không xóa được (thuộc tính nằm trong phần nén của PDF, hoặc tệp có mật khẩu). "
            "Hãy xuất lại tệp không kèm thuộc tính tài liệu."
        )})
    old = presentation.blind_file.name if presentation.blind_file else ""
    presentation.blind_file.save(f"tham-luan-an-danh{extension}", ContentFile(copy), save=False)
    presentation.blind_source = "manual"
    presentation.save(update_fields=["blind_file", "blind_source", "updated_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=presentation, changes={"blind_source": [None, "manual"]},
                 note=_("Tải lên bản ẩn danh cho người đánh giá"))
    if old:
        storage = presentation.blind_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return presentation


# ---------------------------------------------------------------- reviews


@transaction.atomic
def review_submit(*, actor, presentation: Presentation, scores: dict, recommendation: str, comment: str = "") -> tuple[Review, bool]:
    """An assigned reviewer scores a presentation on each criterion of the conference (whole points from 0
    to the criterion's maximum) and recommends. Sending again replaces the reviewer's own review while the
    organiser has not decided. Returns (review, created)."""
    presentation = _lock(presentation)
    conference = presentation.conference
    if selectors.role_on(actor, presentation) != selectors.REVIEWER:
        # Organisers and participants do not review (an author reviewing their own work; an organiser who
        # knows the names in a blind review).
        raise PermissionDenied
    if presentation.pk not in set(selectors.presentations_to_review(actor, conference).values_list("pk", flat=True)):
        raise PermissionDenied
    if presentation.status not in REVIEWABLE:
        raise TransitionRefused(_("Tham luận đã có quyết định hoặc đang chờ tác giả chỉnh sửa: không đánh giá được nữa."))
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": _("Chọn đề nghị: chọn, cần chỉnh sửa hoặc không chọn.")})
    criteria = list(conference.criteria.all())
    if not criteria:
        raise ValidationError({"scores": _("Hội nghị chưa có tiêu chí đánh giá.")})
    by_id = {criterion.pk: criterion for criterion in criteria}
    given: dict[int, int] = {}
    errors = []
    for key, value in (scores or {}).items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            errors.append(_("Tiêu chí “%(key)s” không có trong hội nghị.") % {"key": key})
            continue
        criterion = by_id.get(criterion_id)
        if criterion is None:
            errors.append(_("Tiêu chí %(key)s không có trong hội nghị.") % {"key": key})
            continue
        if isinstance(value, bool) or not isinstance(value, int) and not (isinstance(value, str) and value.strip().isdigit()):
            errors.append(_("Điểm của tiêu chí “%(name)s” phải là số nguyên.") % {"name": criterion.name})
            continue
        points = int(value)
        if not 0 <= points <= criterion.max_points:
            errors.append(_("Điểm của tiêu chí “%(name)s” phải từ 0 đến %(max)d.") % {"name": criterion.name, "max": criterion.max_points})
            continue
        given[criterion_id] = points
    missing = [criterion.name for criterion in criteria if criterion.pk not in given]
    if missing and not errors:
        errors.append(_("Chưa chấm tiêu chí: %(names)s.") % {"names": "; ".join(missing)})
    if errors:
        raise ValidationError({"scores": errors})
    review = Review.objects.filter(presentation=presentation, reviewer=actor).first()
    created = review is None
    before = audit.snapshot(review) if review else {}
    if created:
        review = Review(presentation=presentation, reviewer=actor)
    review.recommendation, review.comment, review.total = recommendation, (comment or "").strip(), sum(given.values())
    review.save()
    review.scores.all().delete()
    ReviewScore.objects.bulk_create([ReviewScore(review=review, criterion=by_id[pk], points=points) for pk, points in given.items()])
    changes = audit.diff(before, audit.snapshot(review))
    changes["scores"] = [None, {by_id[pk].name: points for pk, points in given.items()}]
    audit.record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=review, changes=changes,
                 object_repr=_("Đánh giá tham luận #%(id)d") % {"id": presentation.pk})
    return review, created
