"""Clusters and blocs (cụm, khối thi đua): comparable units compared with each other for a year.

Writes here are atomic and audited and raise Vietnamese ValidationErrors. Who may do what:

- the organizer's officers (``cluster.manage`` on the organizer unit) create and change a cluster, set
  its covenant, rotate its head to the next year and enter the final scores;
- a member's manager or officer (``registration.manage`` on the member unit) signs the covenant for the
  unit and enters its self-scores;
- the officers of the head unit (``cluster.manage`` on it) or of the organizer enter the cluster's
  review scores.

The ranking (``cluster_ranking``) is what flags (Cờ thi đua) are proposed from.
"""

import datetime
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scopes
from thidua.common import audit
from thidua.common.models import AuditAction
from thidua.common.text import clean_text, nfc, sort_key
from thidua.movements.enums import ClusterKind
from thidua.movements.models import Cluster, ClusterMember, ClusterScore, Movement, MovementCriterion
from thidua.organizations.models import Unit

# The first year a cluster can be for; a cluster may be prepared for next year, not later.
MIN_YEAR = 1945
MIN_MEMBERS = 2
SCORE_FIELDS = ("self_score", "review_score", "final_score")
CLUSTER_FIELDS = {"name", "kind", "year", "movement", "members", "head_unit", "deputy_head_unit"}

# score_set: a score not given is left as it is; None clears it.
UNSET: Any = object()


def role_labels(kind: str) -> tuple[str, str]:
    """The head's and the deputy's titles: "Cụm trưởng" in a cluster, "Khối trưởng" in a bloc."""
    if kind == ClusterKind.BLOC:
        return _("Khối trưởng"), _("Khối phó")
    return _("Cụm trưởng"), _("Cụm phó")


def points(value: Decimal | None) -> str:
    """Points the Vietnamese way, without trailing zeros: 7,5 — 20 — 0,25."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _errors_add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _by_name(units: Iterable[Unit]) -> list[Unit]:
    # Vietnamese dictionary order of the names; the code breaks ties between units of the same name.
    return sorted(units, key=lambda unit: (sort_key(unit.name), unit.code))


# ---------------------------------------------------------------- checks shared by create and update


def _year_bounds() -> tuple[int, int]:
    return MIN_YEAR, timezone.localdate().year + 1


def _check_cluster(cluster: Cluster, members: Sequence[Unit], errors: dict[str, list[str]]) -> None:
    """Every rule of a cluster's make-up, each problem added to ``errors`` under its field."""
    if not cluster.name:
        _errors_add(errors, "name", _("Nhập tên cụm, khối thi đua."))
    if cluster.kind not in ClusterKind.values:
        _errors_add(errors, "kind", _("Chọn loại: cụm thi đua hoặc khối thi đua."))
    first, last = _year_bounds()
    year_ok = isinstance(cluster.year, int) and first <= cluster.year <= last
    if not year_ok:
        _errors_add(
            errors, "year", _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": first, "last": last}
        )
    organizer = cluster.organizer
    movement = cluster.movement
    if movement is not None:
        launching = movement.launching_unit
        if not organizer.path.startswith(launching.path):
            _errors_add(
                errors,
                "movement",
                _(
                    "Phong trào “%(title)s” do %(unit)s phát động: không dùng được cho cụm, khối của %(organizer)s."
                )
                % {"title": movement.title, "unit": launching.name, "organizer": organizer.name},
            )
        elif year_ok and not (movement.start.year <= cluster.year <= movement.end.year):
            _errors_add(
                errors,
                "movement",
                _("Phong trào “%(title)s” (%(start)s – %(end)s) không diễn ra trong năm %(year)s.")
                % {
                    "title": movement.title,
                    "start": f"{movement.start:%d/%m/%Y}",
                    "end": f"{movement.end:%d/%m/%Y}",
                    "year": cluster.year,
                },
            )

    if len(members) < MIN_MEMBERS:
        _errors_add(
            errors,
            "members",
            _("Cụm, khối thi đua cần ít nhất %(count)s đơn vị thành viên.") % {"count": MIN_MEMBERS},
        )
    for unit in members:
        if unit.pk == organizer.pk:
            _errors_add(
                errors,
                "members",
                _("%(unit)s là đơn vị tổ chức, không đồng thời là thành viên.") % {"unit": unit.name},
            )
        elif not unit.path.startswith(organizer.path):
            _errors_add(
                errors,
                "members",
                _("%(unit)s không trực thuộc %(organizer)s.")
                % {"unit": unit.name, "organizer": organizer.name},
            )
        elif year_ok:
            first_day, last_day = datetime.date(cluster.year, 1, 1), datetime.date(cluster.year, 12, 31)
            if (unit.valid_from and unit.valid_from > last_day) or (
                unit.valid_to and unit.valid_to < first_day
            ):
                _errors_add(
                    errors,
                    "members",
                    _("%(unit)s không hoạt động trong năm %(year)s.")
                    % {"unit": unit.name, "year": cluster.year},
                )
    # Comparable units: a unit is never compared with its own superior (or its own sub-unit).
    by_path = sorted((unit for unit in members if unit.pk != organizer.pk), key=lambda unit: unit.path)
    for index, outer in enumerate(by_path):
        for inner in by_path[index + 1 :]:
            if inner.path.startswith(outer.path):
                _errors_add(
                    errors,
                    "members",
                    _(
                        "%(inner)s trực thuộc %(outer)s: thành viên của một cụm, khối phải là các đơn vị "
                        "tương đương, không gồm cả cấp trên và cấp dưới."
                    )
                    % {"inner": inner.name, "outer": outer.name},
                )
    if year_ok and members and cluster.kind in ClusterKind.values:
        # One cluster (or one bloc) per unit and year under the same organizer.
        elsewhere = (
            ClusterMember.objects.filter(
                cluster__organizer=organizer,
                cluster__year=cluster.year,
                cluster__kind=cluster.kind,
                unit__in=[unit.pk for unit in members],
            )
            .exclude(cluster_id=cluster.pk)
            .select_related("unit", "cluster")
            .order_by("unit__path")
        )
        for membership in elsewhere:
            _errors_add(
                errors,
                "members",
                _("%(unit)s đã là thành viên của %(cluster)s năm %(year)s.")
                % {"unit": membership.unit.name, "cluster": membership.cluster.name, "year": cluster.year},
            )

    head_label, deputy_label = role_labels(cluster.kind)
    member_ids = {unit.pk for unit in members}
    if cluster.head_unit is not None and cluster.head_unit.pk not in member_ids:
        _errors_add(errors, "head_unit", _("%(role)s phải là một đơn vị thành viên.") % {"role": head_label})
    if cluster.deputy_head_unit is not None:
        if cluster.deputy_head_unit.pk not in member_ids:
            _errors_add(
                errors,
                "deputy_head_unit",
                _("%(role)s phải là một đơn vị thành viên.") % {"role": deputy_label},
            )
        elif cluster.head_unit is not None and cluster.deputy_head_unit.pk == cluster.head_unit.pk:
            _errors_add(
                errors,
                "deputy_head_unit",
                _("%(deputy)s phải là đơn vị khác %(head)s.")
                % {"deputy": deputy_label, "head": head_label.lower()},
            )

    if "name" not in errors and "year" not in errors:
        duplicate = Cluster.objects.filter(organizer=organizer, year=cluster.year, name=cluster.name).exclude(
            pk=cluster.pk
        )
        if duplicate.exists():
            _errors_add(
                errors,
                "name",
                _("%(organizer)s đã có “%(name)s” năm %(year)s.")
                % {"organizer": organizer.name, "name": cluster.name, "year": cluster.year},
            )


def _distinct_units(units: Iterable[Unit]) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for unit in units:
        seen.setdefault(unit.pk, unit)
    return list(seen.values())


def _member_codes(units: Iterable[Unit]) -> list[str]:
    return sorted(unit.code for unit in units)


# ---------------------------------------------------------------- clusters


def _create(
    *, actor, name, kind, year, organizer, movement, members, head_unit, deputy_head_unit, note: str = ""
) -> Cluster:
    if actor is not None and not scopes.can(actor, "cluster.manage", organizer):
        raise PermissionDenied
    units = _distinct_units(members)
    cluster = Cluster(
        name=clean_text(name),
        kind=kind,
        year=year,
        organizer=organizer,
        movement=movement,
        head_unit=head_unit,
        deputy_head_unit=deputy_head_unit,
    )
    errors: dict[str, list[str]] = {}
    _check_cluster(cluster, units, errors)
    if errors:
        raise ValidationError(errors)
    cluster.full_clean()
    cluster.save()
    ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=unit) for unit in units])
    changes = audit.created(cluster)
    changes["members"] = [None, _member_codes(units)]
    audit.record(actor=actor, action=AuditAction.CREATE, obj=cluster, changes=changes, note=note)
    return cluster


@transaction.atomic
def cluster_create(
    *,
    actor,
    name: str,
    kind: str,
    year: int,
    organizer: Unit,
    movement: Movement | None = None,
    members: Iterable[Unit] = (),
    head_unit: Unit | None = None,
    deputy_head_unit: Unit | None = None,
) -> Cluster:
    """A cluster or bloc of at least two comparable units of the organizer's subtree, for a year.

    Members are the organizer's sub-units, active during the year, none a sub-unit of another, and in no
    other cluster of the same kind, organizer and year. The head and the deputy are members."""
    return _create(
        actor=actor,
        name=name,
        kind=kind,
        year=year,
        organizer=organizer,
        movement=movement,
        members=members,
        head_unit=head_unit,
        deputy_head_unit=deputy_head_unit,
    )


@transaction.atomic
def cluster_update(*, actor, cluster: Cluster, **fields: Any) -> Cluster:
    """Change the name, kind, year, movement (criteria grid), members, head or deputy. The organizer
    never changes (it anchors every permission). Once scores exist the year and the movement stay, and
    a member with scores or a signature stays."""
    unknown = set(fields) - CLUSTER_FIELDS
    if unknown:
        raise TypeError(f"unknown cluster fields {unknown}")
    cluster = (
        Cluster.objects.select_for_update(of=("self",))
        .select_related("organizer", "movement__launching_unit")
        .get(pk=cluster.pk)
    )
    if actor is not None and not scopes.can(actor, "cluster.manage", cluster.organizer):
        raise PermissionDenied
    memberships = list(cluster.members.select_related("unit"))
    current_units = [membership.unit for membership in memberships]
    units = _distinct_units(fields.pop("members")) if "members" in fields else current_units
    before = audit.snapshot(cluster)
    for key, value in fields.items():
        setattr(cluster, key, clean_text(value) if key == "name" else value)

    errors: dict[str, list[str]] = {}
    scored = ClusterScore.objects.filter(member__cluster=cluster).exists()
    if scored and (cluster.year != before["year"] or cluster.movement_id != before["movement"]):
        _errors_add(
            errors, "movement", _("Đã có điểm chấm: không đổi năm hay phong trào (bảng tiêu chí) được nữa.")
        )
    kept = {unit.pk for unit in units}
    removed = [membership for membership in memberships if membership.unit_id not in kept]
    if removed:
        with_scores = set(
            ClusterScore.objects.filter(member__in=removed).values_list("member_id", flat=True).distinct()
        )
        for membership in removed:
            if membership.covenant_signed_at or membership.pk in with_scores:
                _errors_add(
                    errors,
                    "members",
                    _("%(unit)s đã ký giao ước hoặc đã có điểm chấm: không bỏ khỏi cụm, khối được.")
                    % {"unit": membership.unit.name},
                )
    _check_cluster(cluster, units, errors)
    if errors:
        raise ValidationError(errors)
    cluster.full_clean()
    cluster.save()
    ClusterMember.objects.filter(pk__in=[membership.pk for membership in removed]).delete()
    current_ids = {unit.pk for unit in current_units}
    ClusterMember.objects.bulk_create(
        [ClusterMember(cluster=cluster, unit=unit) for unit in units if unit.pk not in current_ids]
    )
    changes = audit.diff(before, audit.snapshot(cluster))
    if {unit.pk for unit in units} != current_ids:
        changes["members"] = [_member_codes(current_units), _member_codes(units)]
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes=changes)
    return cluster


def rotation_order(units: Iterable[Unit]) -> list[Unit]:
    """The order in which the head's role passes round the members: alphabetical (Vietnamese order of
    the names). A fixed, published order that every member can check, and that does not depend on
    when a unit joined."""
    return _by_name(units)


def _next_in_order(order: Sequence[Unit], current: Unit | None) -> Unit:
    ids = [unit.pk for unit in order]
    if current is None or current.pk not in ids:
        return order[0]
    return order[(ids.index(current.pk) + 1) % len(order)]


def rotation_preview(cluster: Cluster, units: Iterable[Unit]) -> tuple[Unit, Unit] | None:
    """Next year's head and deputy, without writing anything (shown before the rotation)."""
    order = rotation_order(units)
    if len(order) < MIN_MEMBERS:
        return None
    head = _next_in_order(order, cluster.head_unit)
    return head, _next_in_order(order, head)


def _movement_for_year(movement: Movement | None, year: int) -> Movement | None:
    """The movement whose criteria grid next year's cluster uses: the same one while it runs, else the
    round of the same five-year movement for that year, else none (to be chosen by the organizer)."""
    if movement is None:
        return None
    if movement.start.year <= year <= movement.end.year:
        return movement
    if movement.parent_id:
        return (
            Movement.objects.filter(parent_id=movement.parent_id, start__year__lte=year, end__year__gte=year)
            .select_related("launching_unit")
            .order_by("start", "pk")
            .first()
        )
    return None


@transaction.atomic
def cluster_rotate_head(*, actor, cluster: Cluster, next_year: int) -> Cluster:
    """Next year's cluster: the same name, kind, organizer and members; the head's role passes to the
    member that follows the current head in ``rotation_order`` (after the last, back to the first),
    and the deputy is the member after the new head — next year's head, so that the deputy learns the
    role a year ahead. The covenant is not carried over: each year's covenant is signed anew."""
    cluster = Cluster.objects.select_related("organizer", "head_unit", "movement").get(pk=cluster.pk)
    if actor is not None and not scopes.can(actor, "cluster.manage", cluster.organizer):
        raise PermissionDenied
    if not isinstance(next_year, int) or next_year <= cluster.year:
        raise ValidationError(
            {"year": _("Năm của cụm, khối mới phải sau năm %(year)s.") % {"year": cluster.year}}
        )
    order = rotation_order(membership.unit for membership in cluster.members.select_related("unit"))
    preview = rotation_preview(cluster, order)
    if preview is None:
        raise ValidationError(
            {
                "members": _("Cụm, khối thi đua cần ít nhất %(count)s đơn vị thành viên.")
                % {"count": MIN_MEMBERS}
            }
        )
    head, deputy = preview
    return _create(
        actor=actor,
        name=cluster.name,
        kind=cluster.kind,
        year=next_year,
        organizer=cluster.organizer,
        movement=_movement_for_year(cluster.movement, next_year),
        members=order,
        head_unit=head,
        deputy_head_unit=deputy,
        note=_("Luân phiên từ %(cluster)s") % {"cluster": str(cluster)},
    )


# ---------------------------------------------------------------- the covenant


def _covenant_snapshot(cluster: Cluster) -> dict[str, Any]:
    # The file by its stored name: the log keeps which file, not its content.
    values = audit.snapshot(cluster, fields={"covenant_text", "covenant_signed_on"})
    values["covenant_file"] = cluster.covenant_file.name or ""
    return values


@transaction.atomic
def covenant_set(
    *, actor, cluster: Cluster, text: str, signed_on: datetime.date | None = None, file=None
) -> Cluster:
    """The covenant's text, the day of the signing conference and the signed scan. Once a member has
    signed, the text is what it signed: it no longer changes."""
    cluster = Cluster.objects.select_for_update(of=("self",)).select_related("organizer").get(pk=cluster.pk)
    if actor is not None and not scopes.can(actor, "cluster.manage", cluster.organizer):
        raise PermissionDenied
    text = (nfc(text) or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        _errors_add(errors, "covenant_text", _("Nhập nội dung giao ước thi đua."))
    elif text != cluster.covenant_text:
        signed = cluster.members.filter(covenant_signed_at__isnull=False).count()
        if signed:
            _errors_add(
                errors,
                "covenant_text",
                _("Đã có %(count)s đơn vị ký giao ước: không sửa nội dung được nữa.") % {"count": signed},
            )
    if signed_on is not None and signed_on.year not in (cluster.year - 1, cluster.year):
        _errors_add(
            errors,
            "covenant_signed_on",
            _("Ngày ký giao ước phải thuộc năm %(previous)s hoặc năm %(year)s.")
            % {"previous": cluster.year - 1, "year": cluster.year},
        )
    if errors:
        raise ValidationError(errors)
    before = _covenant_snapshot(cluster)
    cluster.covenant_text = text
    cluster.covenant_signed_on = signed_on
    if file is not None:
        cluster.covenant_file = file
    cluster.save(update_fields=["covenant_text", "covenant_signed_on", "covenant_file", "updated_at"])
    changes = audit.diff(before, _covenant_snapshot(cluster))
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=cluster, changes=changes)
    return cluster


@transaction.atomic
def covenant_sign(*, actor, member: ClusterMember) -> ClusterMember:
    """A member's manager or officer signs the covenant for the unit, once."""
    member = (
        ClusterMember.objects.select_for_update(of=("self",))
        .select_related("cluster", "unit")
        .get(pk=member.pk)
    )
    if actor is not None and not scopes.can(actor, "registration.manage", member.unit):
        raise PermissionDenied
    if not member.cluster.covenant_text:
        raise ValidationError(
            {"covenant": _("%(cluster)s chưa có nội dung giao ước để ký.") % {"cluster": member.cluster.name}}
        )
    if member.covenant_signed_at is not None:
        signed_at = timezone.localtime(member.covenant_signed_at)
        raise ValidationError(
            {
                "covenant": _("%(unit)s đã ký giao ước lúc %(at)s.")
                % {"unit": member.unit.name, "at": f"{signed_at:%d/%m/%Y %H:%M}"}
            }
        )
    member.covenant_signed_at = timezone.now()
    member.covenant_signed_by = actor if getattr(actor, "pk", None) else None
    member.save(update_fields=["covenant_signed_at", "covenant_signed_by"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=member,
        changes={"covenant_signed_at": [None, member.covenant_signed_at.isoformat()]},
        note=_("Ký giao ước thi đua"),
    )
    return member


# ---------------------------------------------------------------- scores


def score_fields_editable(user, cluster: Cluster, member: ClusterMember) -> set[str]:
    """Which of a member's scores the user may enter: the self-score for the member's own managers, the
    review score for the head unit's or the organizer's officers, the final score for the organizer's."""
    if user is None:
        return set(SCORE_FIELDS)
    editable = set()
    if scopes.can(user, "registration.manage", member.unit):
        editable.add("self_score")
    organizer = scopes.can(user, "cluster.manage", cluster.organizer)
    if organizer or (cluster.head_unit_id and scopes.can(user, "cluster.manage", cluster.head_unit)):
        editable.add("review_score")
    if organizer:
        editable.add("final_score")
    return editable


def _score_value(value: Any, criterion: MovementCriterion) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(
            _("Điểm tiêu chí “%(criterion)s” phải là một số, ví dụ 7,5.") % {"criterion": criterion.name}
        )
    try:
        number = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else Decimal(str(value))
    except decimal.InvalidOperation:
        raise ValidationError(
            _("Điểm tiêu chí “%(criterion)s” phải là một số, ví dụ 7,5.") % {"criterion": criterion.name}
        ) from None
    if not number.is_finite() or not (0 <= number <= criterion.max_points):
        raise ValidationError(
            _("Điểm tiêu chí “%(criterion)s” phải từ 0 đến %(max)s.")
            % {"criterion": criterion.name, "max": points(criterion.max_points)}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Điểm tiêu chí “%(criterion)s” chỉ lấy đến 2 chữ số thập phân.") % {"criterion": criterion.name}
        )
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def score_set(
    *,
    actor,
    member: ClusterMember,
    criterion: MovementCriterion,
    self_score: Any = UNSET,
    review_score: Any = UNSET,
    final_score: Any = UNSET,
    note: Any = UNSET,
) -> ClusterScore | None:
    """A member's scores on one criterion; a score not passed stays as it is, None clears it. Each
    score lies between 0 and the criterion's maximum. Returns the row (None when nothing was ever set)."""
    # Locking the member serializes the writes of its scores: two people entering the same new cell at
    # once would otherwise both try to insert it.
    member = (
        ClusterMember.objects.select_for_update(of=("self",))
        .select_related("unit", "cluster__organizer", "cluster__head_unit")
        .get(pk=member.pk)
    )
    cluster = member.cluster
    given = {
        name: value
        for name, value in zip(SCORE_FIELDS, (self_score, review_score, final_score), strict=True)
        if value is not UNSET
    }
    if not given and note is UNSET:
        raise TypeError("score_set needs at least one score or a note")
    editable = score_fields_editable(actor, cluster, member)
    if any(name not in editable for name in given) or (note is not UNSET and not editable):
        raise PermissionDenied
    if cluster.movement_id is None or criterion.movement_id != cluster.movement_id:
        raise ValidationError(
            {
                "criterion": _("Tiêu chí không thuộc bảng tiêu chí của %(cluster)s.")
                % {"cluster": cluster.name}
            }
        )
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal | None] = {}
    for name, value in given.items():
        try:
            values[name] = _score_value(value, criterion)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    score = ClusterScore.objects.select_for_update().filter(member=member, criterion=criterion).first()
    created = score is None
    if created:
        if all(value is None for value in values.values()) and not (note is not UNSET and clean_text(note)):
            return None
        score = ClusterScore(member=member, criterion=criterion)
    before = {} if created else audit.snapshot(score)
    for name, value in values.items():
        setattr(score, name, value)
    if note is not UNSET:
        score.note = clean_text(note)[:255]
    after = audit.snapshot(score)
    changes = (
        audit.diff(before, after)
        if not created
        else {k: [None, v] for k, v in after.items() if v not in (None, "")}
    )
    if not changes:
        return score
    score.save()
    changes.pop("member", None)
    changes.pop("criterion", None)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=score,
        changes=changes,
        object_repr=f"{member.unit.name} — {criterion.name}",
    )
    return score


def score_error_key(member_pk: int, criterion_pk: int, field_name: str = "") -> str:
    """How ``scores_bulk`` names a cell in its ValidationError: "member:criterion:field"."""
    return f"{member_pk}:{criterion_pk}:{field_name}" if field_name else f"{member_pk}:{criterion_pk}"


@transaction.atomic
def scores_bulk(*, actor, cluster: Cluster, rows: Iterable[dict]) -> int:
    """Many cells at once, all or nothing. Each row: {"member", "criterion", and any of "self_score",
    "review_score", "final_score", "note"}. Every row is checked; if any is refused, nothing is saved
    and one ValidationError names each refused cell (``score_error_key``). A cell the user may not
    edit refuses the whole batch with PermissionDenied. Returns the number of rows given."""
    errors: dict[str, list[str]] = {}
    count = 0
    for row in rows:
        member, criterion = row["member"], row["criterion"]
        if member.cluster_id != cluster.pk:
            raise ValidationError(
                {
                    "member": _("%(unit)s không là thành viên của %(cluster)s.")
                    % {"unit": member.unit.name, "cluster": cluster.name}
                }
            )
        values = {name: row[name] for name in (*SCORE_FIELDS, "note") if name in row}
        count += 1
        try:
            score_set(actor=actor, member=member, criterion=criterion, **values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = score_error_key(member.pk, criterion.pk, name if name in SCORE_FIELDS else "")
                errors.setdefault(key, []).extend(messages)
    if errors:
        # Raising inside the atomic block undoes the rows already saved.
        raise ValidationError(errors)
    return count


# ---------------------------------------------------------------- ranking


@dataclass
class RankingRow:
    member: ClusterMember
    scores: dict[int, ClusterScore] = field(default_factory=dict)
    self_total: Decimal | None = None
    review_total: Decimal | None = None
    final_total: Decimal | None = None
    complete: bool = False
    rank: int | None = None

    @property
    def unit(self) -> Unit:
        return self.member.unit

    @property
    def status(self) -> str:
        return "" if self.complete else _("chưa đủ điểm")


def _total(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def cluster_criteria(cluster: Cluster) -> list[MovementCriterion]:
    if cluster.movement_id is None:
        return []
    return list(MovementCriterion.objects.filter(movement_id=cluster.movement_id).order_by("order", "id"))


def cluster_ranking(cluster: Cluster, criteria: list[MovementCriterion] | None = None) -> list[RankingRow]:
    """Members with their self, review and final totals, ranked by the final total (ties share a rank:
    1, 2, 2, 4). A member lacking a final score on some criterion is "chưa đủ điểm": no rank, listed
    after the ranked ones. Three queries whatever the number of members."""
    if criteria is None:
        criteria = cluster_criteria(cluster)
    members = list(cluster.members.select_related("unit", "covenant_signed_by"))
    scores: dict[int, dict[int, ClusterScore]] = {}
    for score in ClusterScore.objects.filter(member__cluster=cluster):
        scores.setdefault(score.member_id, {})[score.criterion_id] = score
    rows = []
    for member in members:
        own = scores.get(member.pk, {})
        cells = [own.get(criterion.pk) for criterion in criteria]
        rows.append(
            RankingRow(
                member=member,
                scores=own,
                self_total=_total([cell.self_score if cell else None for cell in cells]),
                review_total=_total([cell.review_score if cell else None for cell in cells]),
                final_total=_total([cell.final_score if cell else None for cell in cells]),
                complete=bool(criteria)
                and all(cell is not None and cell.final_score is not None for cell in cells),
            )
        )
    ranked = sorted(
        (row for row in rows if row.complete), key=lambda row: (-row.final_total, sort_key(row.unit.name))
    )
    for position, row in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        row.rank = (
            previous.rank if previous is not None and previous.final_total == row.final_total else position
        )
    unranked = sorted(
        (row for row in rows if not row.complete), key=lambda row: (sort_key(row.unit.name), row.unit.code)
    )
    return ranked + unranked
