"""Writes on the exemplar registry and on the publication of decisions. Atomic, audited, Vietnamese
ValidationErrors, PermissionDenied for a step the actor may not take.

The exemplar workflow has one entry point, ``exemplar_transition``, driven by ``enums.EXEMPLAR_TRANSITIONS``.
"""

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit, notifications
from thidua.common.models import AuditAction
from thidua.common.text import clean_text, fold
from thidua.exemplars import blind, selectors
from thidua.exemplars.enums import (
    CONFIRMER,
    EXEMPLAR_TRANSITIONS,
    PROPOSER,
    PROPOSER_EDITABLE,
    ConsentField,
    ExemplarStatus,
)
from thidua.exemplars.models import (
    DecisionPublication,
    Exemplar,
    ExemplarConsent,
    ExemplarPhoto,
    PublicAward,
    Replication,
)
from thidua.exemplars.sanitise import clean_html, plain_text

EXEMPLAR_FIELDS = {"headline", "field_of_work", "period_start", "period_end", "summary", "story_html"}
MAX_PHOTOS = 12


class TransitionRefused(Exception):
    """The transition is not in the table, or its preconditions fail; ``message`` says why (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------- search text


def refresh_search_text(exemplar: Exemplar) -> None:
    """The internal search text (everything) and the public one (only the consented parts)."""
    subject = exemplar.subject_name
    unit_name = exemplar.unit.name if exemplar.unit_id else ""
    everything = [subject, exemplar.headline, exemplar.field_of_work, unit_name, exemplar.summary]
    public = [subject, exemplar.headline, exemplar.field_of_work] if exemplar.public_name else []
    if exemplar.public_name and exemplar.public_unit and exemplar.person_id:
        public.append(unit_name)
    if exemplar.public_name and exemplar.public_story:
        public.extend([exemplar.summary, plain_text(exemplar.story_html)])
    Exemplar.objects.filter(pk=exemplar.pk).update(
        search_text=fold(" ".join(part for part in everything if part)), public_search_text=fold(" ".join(part for part in public if part))
    )


# ---------------------------------------------------------------- checks


def _check_exemplar(exemplar: Exemplar) -> None:
    errors: dict[str, str] = {}
    if not clean_text(exemplar.headline):
        errors["headline"] = _("Nhập nội dung điển hình (điển hình về việc gì).")
    if exemplar.period_start is None or exemplar.period_end is None:
        errors["period_start"] = _("Nhập giai đoạn (từ năm, đến năm).")
    elif not (1945 <= exemplar.period_start <= exemplar.period_end <= 2100):
        errors["period_end"] = _("Giai đoạn không hợp lệ: năm kết thúc phải từ năm bắt đầu trở đi.")
    if errors:
        raise ValidationError(errors)


def _check_awards(exemplar: Exemplar, awards: Iterable) -> list:
    awards = list(awards)
    for record in awards:
        mine = (exemplar.person_id and record.person_id == exemplar.person_id) or (
            exemplar.collective_id and record.unit_id == exemplar.collective_id
        )
        if not mine:
            raise ValidationError({"awards": _("Khen thưởng “%(award)s” không phải của %(name)s.") % {"award": str(record), "name": exemplar.subject_name}})
        if record.revoked:
            raise ValidationError({"awards": _("Khen thưởng “%(award)s” đã bị thu hồi, không dùng làm căn cứ được.") % {"award": str(record)}})
    return awards


def _check_initiatives(exemplar: Exemplar, initiatives: Iterable) -> list:
    initiatives = list(initiatives)
    for initiative in initiatives:
        if exemplar.person_id:
            mine = initiative.author_links.filter(person_id=exemplar.person_id).exists()
        else:
            mine = initiative.unit_id is not None and initiative.unit.path.startswith(exemplar.collective.path)
        if not mine:
            raise ValidationError({"initiatives": _("Sáng kiến, đề tài “%(title)s” không phải của %(name)s.") % {
                "title": initiative.title, "name": exemplar.subject_name}})
    return initiatives


def _subject_unit(person, collective, unit):
    if (person is None) == (collective is None):
        raise ValidationError({"person": _("Chọn một cá nhân hoặc một tập thể.")})
    if collective is not None:
        return collective
    if unit is None:
        unit = person.current_unit
    if unit is None:
        raise ValidationError({"unit": _("%(name)s chưa có đơn vị công tác: chọn đơn vị đề xuất.") % {"name": person.full_name}})
    return unit


# ---------------------------------------------------------------- exemplars


@transaction.atomic
def exemplar_propose(
    *, actor, person=None, collective=None, unit=None, awards: Iterable = (), initiatives: Iterable = (), source_conference=None, **fields: Any
) -> Exemplar:
    """A unit proposes an exemplar (status ``proposed``); the confirming officers of the unit are told."""
    unknown = set(fields) - EXEMPLAR_FIELDS
    if unknown:
        raise TypeError(f"unknown exemplar fields {unknown}")
    unit = _subject_unit(person, collective, unit)
    if actor is not None and not scopes.can(actor, "exemplar.propose", unit):
        raise PermissionDenied
    values = {key: clean_text(value) if isinstance(value, str) and key != "story_html" and key != "summary" else value for key, value in fields.items()}
    values["story_html"] = clean_html(values.get("story_html", ""))
    values["summary"] = (values.get("summary") or "").strip()
    exemplar = Exemplar(person=person, collective=collective, unit=unit, proposed_by=_actor(actor), source_conference=source_conference, **values)
    _check_exemplar(exemplar)
    exemplar.save()
    exemplar.awards.set(_check_awards(exemplar, awards))
    exemplar.initiatives.set(_check_initiatives(exemplar, initiatives))
    refresh_search_text(exemplar)
    changes = audit.created(exemplar)
    changes["awards"] = [None, sorted(record.pk for record in exemplar.awards.all())]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=exemplar, changes=changes)
    confirmers = _confirmers_of(exemplar.unit)
    url = reverse("exemplars:exemplar_detail", args=[exemplar.pk])
    text = _("%(unit)s đề xuất điển hình tiên tiến: %(name)s.") % {"unit": unit.name, "name": exemplar.subject_name}
    transaction.on_commit(lambda: notifications.notify(users=confirmers, text=text, url=url, email=False))
    return exemplar


def _confirmers_of(unit):
    from thidua.accounts.models import User

    return list(
        User.objects.filter(is_active=True, roles__role__in=["officer"], roles__unit__path__in=unit.ancestor_paths()).distinct()
    )


def may_edit(actor, exemplar: Exemplar) -> bool:
    if actor is None or selectors.may_confirm(actor, exemplar):
        return True
    return selectors.may_propose(actor, exemplar) and exemplar.status in PROPOSER_EDITABLE


@transaction.atomic
def exemplar_update(*, actor, exemplar: Exemplar, awards=None, initiatives=None, **fields: Any) -> Exemplar:
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit", "person", "collective").get(pk=exemplar.pk)
    if exemplar.status == ExemplarStatus.WITHDRAWN:
        raise ValidationError({"status": _("Điển hình đã rút khỏi danh sách, không sửa được.")})
    if not may_edit(actor, exemplar):
        raise PermissionDenied
    before = audit.snapshot(exemplar)
    for key, value in fields.items():
        if key not in EXEMPLAR_FIELDS:
            raise TypeError(f"unknown exemplar field {key}")
        if key == "story_html":
            value = clean_html(value)
        elif key == "summary":
            value = (value or "").strip()
        elif isinstance(value, str):
            value = clean_text(value)
        setattr(exemplar, key, value)
    _check_exemplar(exemplar)
    exemplar.save()
    changes = audit.diff(before, audit.snapshot(exemplar))
    if awards is not None:
        old = sorted(exemplar.awards.values_list("pk", flat=True))
        exemplar.awards.set(_check_awards(exemplar, awards))
        new = sorted(exemplar.awards.values_list("pk", flat=True))
        if old != new:
            changes["awards"] = [old, new]
    if initiatives is not None:
        old = sorted(exemplar.initiatives.values_list("pk", flat=True))
        exemplar.initiatives.set(_check_initiatives(exemplar, initiatives))
        new = sorted(exemplar.initiatives.values_list("pk", flat=True))
        if old != new:
            changes["initiatives"] = [old, new]
    refresh_search_text(exemplar)
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=exemplar, changes=changes)
    return exemplar


@transaction.atomic
def exemplar_transition(*, actor, exemplar: Exemplar, to: str, note: str = "") -> Exemplar:
    """Move an exemplar along its workflow. Side effects, in order:

    1. lock the row; check the table and the side: the proposing unit (``exemplar.propose``) resubmits or
       withdraws, the officer (``exemplar.confirm``) confirms, returns or takes it off;
    2. ``returned`` needs a note (what to complete); ``confirmed`` stamps who and when; ``withdrawn`` also
       takes it off the honour board;
    3. audit row; after commit the proposers (returned, confirmed) or the officers (resubmitted) are told.
    """
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit", "person", "collective").get(pk=exemplar.pk)
    source = exemplar.status
    side = EXEMPLAR_TRANSITIONS.get(source, {}).get(to)
    if side is None:
        raise TransitionRefused(_("Không thể chuyển điển hình từ “%(source)s” sang “%(target)s”.") % {
            "source": ExemplarStatus(source).label, "target": ExemplarStatus(to).label if to in ExemplarStatus.values else to})
    allowed = selectors.may_confirm(actor, exemplar) if side == CONFIRMER else selectors.may_propose(actor, exemplar)
    if actor is not None and not allowed:
        raise PermissionDenied
    before = audit.snapshot(exemplar)
    note = (note or "").strip()
    if to == ExemplarStatus.RETURNED:
        if not note:
            raise TransitionRefused(_("Ghi rõ nội dung cần bổ sung khi trả lại."))
        exemplar.return_note = note
    elif to == ExemplarStatus.CONFIRMED:
        exemplar.confirmed_by, exemplar.confirmed_at, exemplar.return_note = _actor(actor), timezone.now(), ""
    elif to == ExemplarStatus.WITHDRAWN:
        exemplar.published = False
    exemplar.status = to
    exemplar.save()
    audit.record(actor=actor, action=AuditAction.TRANSITION, obj=exemplar, changes=audit.diff(before, audit.snapshot(exemplar)), note=note[:500])
    url = reverse("exemplars:exemplar_detail", args=[exemplar.pk])
    if to in (ExemplarStatus.RETURNED, ExemplarStatus.CONFIRMED) and exemplar.proposed_by_id:
        recipients = [exemplar.proposed_by]
        text = (_("Điển hình “%(name)s” được trả lại để bổ sung: %(note)s") if to == ExemplarStatus.RETURNED
                else _("Điển hình “%(name)s” đã được công nhận.")) % {"name": exemplar.subject_name, "note": note}
        transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url, email=False))
    elif to == ExemplarStatus.PROPOSED and side == PROPOSER:
        recipients = _confirmers_of(exemplar.unit)
        text = _("Điển hình “%(name)s” đã được bổ sung, gửi lại.") % {"name": exemplar.subject_name}
        transaction.on_commit(lambda: notifications.notify(users=recipients, text=text, url=url, email=False))
    return exemplar


@transaction.atomic
def exemplar_consent_set(*, actor, exemplar: Exemplar, fields: Iterable[str], note: str = "") -> ExemplarConsent:
    """Record what the holder agrees to publish (an empty list withdraws every consent). The holder states
    it themselves; the unit (for a collective) or the officer writes down a signed paper, named in ``note``."""
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit", "person", "collective").get(pk=exemplar.pk)
    if actor is not None and not selectors.may_record_consent(actor, exemplar):
        raise PermissionDenied
    chosen = [value for value in ConsentField.values if value in set(fields)]
    unknown = set(fields) - set(ConsentField.values)
    if unknown:
        raise ValidationError({"fields": _("Phần không hợp lệ: %(names)s.") % {"names": ", ".join(sorted(unknown))}})
    if chosen and ConsentField.NAME not in chosen:
        raise ValidationError({"fields": _("Muốn công khai phần nào thì phải đồng ý công khai họ tên (tên tập thể) trước.")})
    by_holder = actor is not None and selectors.is_holder(actor, exemplar)
    note = clean_text(note)
    if not by_holder and actor is not None and not note:
        raise ValidationError({"note": _("Ghi căn cứ: văn bản đồng ý của người (tập thể) được biểu dương, ngày ký.")})
    before = {name: getattr(exemplar, f"public_{name}") for name in ConsentField.values}
    for name in ConsentField.values:
        setattr(exemplar, f"public_{name}", name in chosen)
    exemplar.save()
    consent = ExemplarConsent.objects.create(exemplar=exemplar, fields=chosen, given_by_holder=by_holder, recorded_by=_actor(actor), note=note)
    refresh_search_text(exemplar)
    after = {name: getattr(exemplar, f"public_{name}") for name in ConsentField.values}
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=exemplar,
        changes={f"public_{name}": [before[name], after[name]] for name in ConsentField.values if before[name] != after[name]},
        note=(_("Người được biểu dương đồng ý công khai") if by_holder else _("Ghi nhận đồng ý công khai: %(note)s") % {"note": note})[:500],
    )
    return consent


@transaction.atomic
def exemplar_publish(*, actor, exemplar: Exemplar, published: bool) -> Exemplar:
    """The agency's choice to show a confirmed exemplar on the honour board (the holder's consent still
    decides what shows)."""
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit").get(pk=exemplar.pk)
    if actor is not None and not selectors.may_confirm(actor, exemplar):
        raise PermissionDenied
    if published and exemplar.status != ExemplarStatus.CONFIRMED:
        raise ValidationError({"published": _("Chỉ đăng điển hình đã được công nhận.")})
    if exemplar.published != published:
        exemplar.published = published
        exemplar.save(update_fields=["published", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=exemplar, changes={"published": [not published, published]})
    return exemplar


# ---------------------------------------------------------------- photos, replication


@transaction.atomic
def exemplar_photo_add(*, actor, exemplar: Exemplar, file, alt_text: str, caption: str = "") -> ExemplarPhoto:
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit").get(pk=exemplar.pk)
    if not may_edit(actor, exemplar):
        raise PermissionDenied
    alt_text = clean_text(alt_text)
    if not alt_text:
        raise ValidationError({"alt_text": _("Mô tả ngắn nội dung ảnh (cho người dùng trình đọc màn hình).")})
    if exemplar.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photo": _("Mỗi điển hình có tối đa %(count)d ảnh.") % {"count": MAX_PHOTOS}})
    content, extension, width, height = blind.clean_photo(file)
    photo = ExemplarPhoto(
        exemplar=exemplar, caption=clean_text(caption), alt_text=alt_text, width=width, height=height, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), order=exemplar.photos.count() + 1, uploaded_by=_actor(actor),
    )
    photo.file.save(f"anh-{exemplar.pk}{extension}", ContentFile(content), save=False)
    try:
        photo.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=exemplar,
                     changes={"photos": [None, {"id": photo.pk, "sha256": photo.sha256}]}, note=_("Thêm ảnh: %(alt)s") % {"alt": alt_text})
    except Exception:
        photo.file.delete(save=False)
        raise
    return photo


@transaction.atomic
def exemplar_photo_remove(*, actor, photo: ExemplarPhoto) -> None:
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit").get(pk=photo.exemplar_id)
    if not may_edit(actor, exemplar):
        raise PermissionDenied
    name, storage = photo.file.name, photo.file.storage
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=exemplar, changes={"photos": [{"id": photo.pk, "sha256": photo.sha256}, None]},
                 note=_("Gỡ ảnh: %(alt)s") % {"alt": photo.alt_text})
    # The story may show the photo: take its image out too.
    exemplar.story_html = clean_html(exemplar.story_html, allowed_photos=set(exemplar.photos.exclude(pk=photo.pk).values_list("pk", flat=True)))
    exemplar.save(update_fields=["story_html", "updated_at"])
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def replication_add(
    *, actor, exemplar: Exemplar, adopter: str, adopted_on: datetime.date, place: str = "", result: str = "", adopter_unit=None
) -> Replication:
    exemplar = Exemplar.objects.select_for_update(of=("self",)).select_related("unit").get(pk=exemplar.pk)
    if actor is not None and not (selectors.may_propose(actor, exemplar) or selectors.may_confirm(actor, exemplar)):
        raise PermissionDenied
    adopter = clean_text(adopter) or (adopter_unit.name if adopter_unit is not None else "")
    errors = {}
    if not adopter:
        errors["adopter"] = _("Nhập đơn vị hoặc người áp dụng mô hình.")
    if adopted_on is None:
        errors["adopted_on"] = _("Nhập thời điểm áp dụng.")
    elif adopted_on > timezone.localdate():
        errors["adopted_on"] = _("Thời điểm áp dụng không được ở tương lai.")
    if errors:
        raise ValidationError(errors)
    row = Replication.objects.create(
        exemplar=exemplar, adopter=adopter, adopter_unit=adopter_unit, place=clean_text(place), adopted_on=adopted_on,
        result=(result or "").strip(), created_by=_actor(actor),
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=row, changes=audit.created(row))
    return row


@transaction.atomic
def replication_remove(*, actor, replication: Replication) -> None:
    exemplar = replication.exemplar
    if actor is not None and not (selectors.may_propose(actor, exemplar) or selectors.may_confirm(actor, exemplar)):
        raise PermissionDenied
    audit.record(actor=actor, action=AuditAction.DELETE, obj=replication, changes=audit.snapshot(replication))
    replication.delete()


# ---------------------------------------------------------------- from a conference's honourees


@transaction.atomic
def exemplars_from_honourees(*, actor, conference) -> list[Exemplar]:
    """Add each honouree of the conference (a line of a linked issued decision, not revoked) to the registry,
    confirmed by the conference, with its award as backing; an honouree already registered for that
    conference is left alone. Nothing is published and nothing is consented: the holders decide that."""
    created = []
    headline = _("Điển hình tiên tiến trong phong trào thi đua yêu nước giai đoạn %(period)s") % {"period": conference.period_label}
    for line in selectors.honourees(conference):
        if not (line.person_id or line.unit_id):
            continue  # a household has no page in the registry
        existing = Exemplar.objects.filter(source_conference=conference)
        existing = existing.filter(person_id=line.person_id) if line.person_id else existing.filter(collective_id=line.unit_id)
        if existing.exists():
            continue
        if line.person_id:
            unit = line.nominee.nomination.proposing_unit if line.nominee_id else line.person.current_unit
            unit = unit or conference.organising_unit
        else:
            unit = line.unit
        exemplar = Exemplar(
            person_id=line.person_id, collective_id=line.unit_id, unit=unit, headline=headline,
            period_start=line.period_start or conference.period_start, period_end=line.period_end or conference.period_end,
            summary=(line.achievement or line.decision.achievement or "").strip(), status=ExemplarStatus.CONFIRMED,
            source_conference=conference, proposed_by=_actor(actor), confirmed_by=_actor(actor), confirmed_at=timezone.now(),
        )
        exemplar.save()
        if line.award_record_id:
            exemplar.awards.set([line.award_record])
        refresh_search_text(exemplar)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=exemplar, changes=audit.created(exemplar),
                     note=_("Biểu dương tại %(conference)s") % {"conference": conference.title})
        created.append(exemplar)
    return created


# ---------------------------------------------------------------- publication of decisions (công khai)


def _award_unit(line):
    """The unit an award line counts under: the collective; or the unit that proposed the person (else the
    unit the person worked in on the decision's day, else their current unit)."""
    from django.db.models import Q

    from thidua.organizations.models import Employment

    if line.unit_id:
        return line.unit
    if line.nominee_id and line.nominee.nomination.proposing_unit_id:
        return line.nominee.nomination.proposing_unit
    if line.person_id:
        day = line.decision.decision_date
        employment = (
            Employment.objects.filter(person_id=line.person_id, start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .select_related("unit").order_by("-start_date").first()
        )
        if employment is not None:
            return employment.unit
        return line.person.current_unit
    return None


@transaction.atomic
def decision_publish(*, actor, decision) -> DecisionPublication:
    """Publish an issued award decision (công khai): its lines become the public award list. Whoever drafts
    decisions for the issuing unit (``decision.draft``) decides."""
    from thidua.decisions.enums import DecisionKind, DecisionStatus
    from thidua.decisions.models import Decision

    decision = Decision.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=decision.pk)
    if actor is not None and not scopes.can(actor, "decision.draft", decision.issuing_unit):
        raise PermissionDenied
    if decision.status != DecisionStatus.ISSUED:
        raise ValidationError({"decision": _("Chỉ công khai quyết định đã ban hành.")})
    if decision.kind != DecisionKind.AWARD:
        raise ValidationError({"decision": _("Chỉ công khai quyết định khen thưởng.")})
    if DecisionPublication.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": _("Quyết định này đã được công khai.")})
    publication = DecisionPublication.objects.create(decision=decision, published_by=_actor(actor))
    rows = []
    lines = decision.recipients.select_related("award", "unit", "person__current_unit", "nominee__nomination__proposing_unit", "award_record")
    for line in lines:
        if not line.award_record_id:
            continue
        unit = _award_unit(line)
        name = f"{line.salutation} {line.name}".strip() if line.person_id else line.name
        rows.append(PublicAward(
            publication=publication, award_record=line.award_record, order=line.order, year=decision.decision_date.year,
            unit=unit, unit_name=unit.name if unit is not None else "", is_collective=bool(line.unit_id), name=name,
            position=line.position, award_name=line.award.name, decision_reference=decision.reference,
            decision_date=decision.decision_date, issuer_name=decision.issuing_unit.name,
            search_text=fold(" ".join([line.name, line.position, line.award.name, unit.name if unit else "", decision.reference])),
        ))
    PublicAward.objects.bulk_create(rows)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision, changes={"published": [False, True]},
                 note=_("Công khai quyết định trên trang vinh danh"))
    return publication


@transaction.atomic
def decision_unpublish(*, actor, decision) -> None:
    from thidua.decisions.models import Decision

    decision = Decision.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=decision.pk)
    if actor is not None and not scopes.can(actor, "decision.draft", decision.issuing_unit):
        raise PermissionDenied
    publication = DecisionPublication.objects.filter(decision=decision).first()
    if publication is None:
        return
    publication.delete()  # its PublicAward rows go with it
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision, changes={"published": [True, False]},
                 note=_("Thôi công khai quyết định trên trang vinh danh"))
