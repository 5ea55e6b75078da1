"""Which units a report on a unit counts, as of a date, across mergers.

A report is asked for a unit R "as of" a day D (default today). It counts the records of every unit U
for which either

1. U lies in R's own subtree (R's history is always its own), or
2. U's *carrier on D* lies in R's subtree. The carrier is the unit that holds U's history on D: U itself
   while U is valid on D; otherwise the successor named by U's first UnitSuccession link in force on D
   (followed again until a valid unit is reached, as ``organizations.selectors.unit_successor_on``
   does); a unit that closed without a successor is carried by its parent.

So after the 1 July 2025 merger the new Sở KH&CN Đồng Tháp, asked as of any later day, counts the
records of both old departments and of their offices; asked as of 2020, the old Sở KH&CN Tiền Giang
counts only its own. The figures "by unit" put every counted unit under the child of R (valid or not)
that contains its carrier, or its own position when the carrier lies outside R's tree (case 1 only).

All of this runs over the unit table (a few thousand rows, two queries), never over the records: the
result is a set of unit ids that the aggregate queries filter on.
"""

import datetime
from dataclasses import dataclass, field

from thidua.organizations.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR, Unit, UnitSuccession

_SEGMENT = PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)


@dataclass
class ReportScope:
    root: Unit
    as_of: datetime.date
    # Every unit counted, or None when that is every unit there is (no filter needed at all).
    unit_ids: frozenset[int] | None
    # Counted unit id → the id of the bucket it is shown under (a child of root, or root itself).
    bucket_of: dict[int, int] = field(default_factory=dict)
    # Bucket id → (code, name, path, kind), in tree order; the root first.
    buckets: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)
    # Unit id → kind, for every counted unit (the standard forms tell leaders apart by unit kind).
    kind_of: dict[int, str] = field(default_factory=dict)
    # Unit id → (code, name): the names the lists show for counted units.
    names: dict[int, tuple[str, str]] = field(default_factory=dict)
    # Predecessors from outside root's own subtree that are counted (shown to the reader).
    merged_in: list[tuple[str, str]] = field(default_factory=list)

    @property
    def everything(self) -> bool:
        return self.unit_ids is None

    def units_in_bucket(self, bucket_id: int) -> list[int]:
        return [unit_id for unit_id, bucket in self.bucket_of.items() if bucket == bucket_id]

    def bucket_by_code(self, code: str) -> int | None:
        for bucket_id, (bucket_code, *_rest) in self.buckets.items():
            if bucket_code == code:
                return bucket_id
        return None


def _valid_on(valid_from, valid_to, day: datetime.date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def resolve_scope(root: Unit, as_of: datetime.date) -> ReportScope:
    rows = list(Unit.objects.values_list("id", "code", "name", "path", "parent_id", "valid_from", "valid_to", "kind"))
    by_id = {row[0]: row for row in rows}
    first_link: dict[int, int] = {}
    for predecessor_id, successor_id in (
        UnitSuccession.objects.filter(effective_on__lte=as_of)
        .order_by("effective_on", "id")
        .values_list("predecessor_id", "successor_id")
    ):
        first_link.setdefault(predecessor_id, successor_id)

    carriers: dict[int, int] = {}

    def carrier(unit_id: int) -> int:
        if unit_id in carriers:
            return carriers[unit_id]
        chain, seen, current = [], set(), unit_id
        while True:
            if current in carriers:
                found = carriers[current]
                break
            row = by_id[current]
            chain.append(current)
            seen.add(current)
            if _valid_on(row[5], row[6], as_of):
                found = current
                break
            following = first_link.get(current) or row[4]
            if following is None or following in seen:
                found = current
                break
            current = following
        for link in chain:
            carriers[link] = found
        return found

    prefix = root.path
    counted: dict[int, str] = {}  # unit id → the path it is placed at under root
    merged_in = []
    for unit_id, code, name, path, *_rest in rows:
        carried_path = by_id[carrier(unit_id)][3]
        if carried_path.startswith(prefix):
            counted[unit_id] = carried_path
            if not path.startswith(prefix) and unit_id != root.pk:
                merged_in.append((code, name))
        elif path.startswith(prefix):
            counted[unit_id] = path

    child_length = len(prefix) + _SEGMENT
    by_path = {row[3]: row for row in rows}
    buckets: dict[int, tuple[str, str, str, str]] = {root.pk: (root.code, root.name, root.path, root.kind)}
    bucket_of: dict[int, int] = {}
    for unit_id, placed in counted.items():
        if len(placed) <= len(prefix):
            bucket_of[unit_id] = root.pk
            continue
        child = by_path.get(placed[:child_length])
        if child is None:  # a broken path: count it at the root rather than lose it
            bucket_of[unit_id] = root.pk
            continue
        bucket_of[unit_id] = child[0]
        buckets.setdefault(child[0], (child[1], child[2], child[3], child[7]))
    ordered = dict(sorted(buckets.items(), key=lambda item: item[1][2]))
    merged_in.sort(key=lambda pair: pair[1])
    return ReportScope(
        root=root,
        as_of=as_of,
        unit_ids=None if len(counted) == len(rows) else frozenset(counted),
        bucket_of=bucket_of,
        buckets=ordered,
        kind_of={unit_id: by_id[unit_id][7] for unit_id in counted},
        names={unit_id: (by_id[unit_id][1], by_id[unit_id][2]) for unit_id in counted},
        merged_in=merged_in,
    )
