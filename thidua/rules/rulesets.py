"""Rulesets as versioned data.

A national ruleset is a JSON file shipped in ``rules/data/rulesets/``: its validity dates, parameters
(money, quotas, votes, quorum, dossier documents, deadlines) and, per award and subject, a list of rules —
each a predicate from the fixed vocabulary in ``engine.py`` with parameters, a legal source and how
certain that source is. A province or agency layers its own values on top with ``RuleOverride`` rows
(edited by admins in the UI, audited), each valid for a period and a unit's subtree.

``ruleset_for(day, unit)`` gives the document in force on ``day`` for ``unit`` with the overrides applied.
"""

import copy
import datetime
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Q

DATA_DIR = Path(__file__).resolve().parent / "data"
RULESET_DIR = DATA_DIR / "rulesets"


class RulesetError(Exception):
    pass


def _parse_day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@lru_cache(maxsize=1)
def shipped_rulesets() -> tuple[dict[str, Any], ...]:
    """The national rulesets shipped with thidua, oldest first (read once per process)."""
    documents = []
    for path in sorted(RULESET_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        document["_file"] = path.name
        documents.append(document)
    documents.sort(key=lambda d: d["valid_from"] or "0000-00-00")
    return tuple(documents)


@dataclass
class AppliedOverride:
    target: str
    value: Any
    legal_source: str
    certainty: str
    unit_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None


@dataclass
class EffectiveRuleset:
    code: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    document: dict[str, Any]
    day: datetime.date
    # True when the day falls after the newest ruleset's end (e.g. a decree that expired unextended):
    # the newest one is used and the interface says so.
    beyond_validity: bool = False
    overrides: list[AppliedOverride] = field(default_factory=list)

    @property
    def parameters(self) -> dict[str, Any]:
        return self.document.get("parameters", {})

    def award_rules(self, award_code: str, subject: str) -> list[dict[str, Any]] | None:
        """The rules for an award and a subject (individual/collective/household), or None when the
        ruleset has no criteria for that pair."""
        award = self.document.get("awards", {}).get(award_code)
        if not award or subject not in award:
            return None
        return award[subject]["rules"]

    def param(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.parameters
        for key in dotted.split("."):
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    @property
    def label(self) -> str:
        return f"{self.code} ({self.name})"


def _choose_document(day: datetime.date) -> tuple[dict[str, Any], bool]:
    documents = shipped_rulesets()
    if not documents:
        raise RulesetError("No ruleset is shipped.")
    for document in documents:
        start, end = _parse_day(document["valid_from"]), _parse_day(document["valid_to"])
        if (start is None or start <= day) and (end is None or day <= end):
            return document, False
    newest = documents[-1]
    if _parse_day(newest["valid_from"]) and day > _parse_day(newest["valid_from"]):
        return newest, True
    return documents[0], False


def set_at_path(document: dict[str, Any], target: str, value: Any) -> None:
    """Set ``value`` at a dotted path. Inside a ``rules`` list, a path step names a rule by its id
    (also inside nested ``any_of``/``all_of`` rules: ``awards.X.individual.rules.grounds.params.rules.cstdcs``)."""
    steps = target.split(".")
    node: Any = document
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        if isinstance(node, list):
            match = next((item for item in node if isinstance(item, dict) and item.get("id") == step), None)
            if match is None:
                raise RulesetError(f"No rule '{step}' at {'.'.join(steps[:index])}")
            if last:
                node[node.index(match)] = value
                return
            node = match
            continue
        if not isinstance(node, dict):
            raise RulesetError(f"Cannot descend into {'.'.join(steps[:index])}")
        if last:
            node[step] = value
            return
        if step not in node:
            node[step] = {}
        node = node[step]


def get_at_path(document: dict[str, Any], target: str) -> Any:
    node: Any = document
    for step in target.split("."):
        if isinstance(node, list):
            node = next((item for item in node if isinstance(item, dict) and item.get("id") == step), None)
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            return None
        if node is None:
            return None
    return node


def ruleset_for(day: datetime.date, unit=None) -> EffectiveRuleset:
    """The ruleset in force on ``day`` with the overrides valid that day for ``unit`` (one query).

    Overrides apply from the widest scope to the narrowest (installation-wide, then the province,
    then the department…), so an agency's own value wins over its province's.
    """
    from thidua.rules.models import RuleOverride

    base, beyond = _choose_document(day)
    document = copy.deepcopy(base)
    overrides_q = Q(unit__isnull=True)
    if unit is not None and unit.path:
        overrides_q |= Q(unit__path__in=unit.ancestor_paths())
    rows = (
        RuleOverride.objects.filter(overrides_q, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
    )
    rows = sorted(rows, key=lambda r: (r.unit.depth if r.unit_id else -1, r.valid_from, r.pk))
    applied = []
    for row in rows:
        set_at_path(document, row.target, row.value)
        applied.append(
            AppliedOverride(
                target=row.target,
                value=row.value,
                legal_source=row.legal_source,
                certainty=row.certainty,
                unit_name=row.unit.name if row.unit_id else "",
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
        )
    return EffectiveRuleset(
        code=base["code"],
        name=base["name"],
        valid_from=_parse_day(base["valid_from"]),
        valid_to=_parse_day(base["valid_to"]),
        document=document,
        day=day,
        beyond_validity=beyond,
        overrides=applied,
    )


def validate_override_target(target: str, value: Any, day: datetime.date) -> None:
    """An override must point at something that exists in the ruleset in force (no typos that
    silently change nothing), and keep the value's type."""
    base, _ = _choose_document(day)
    current = get_at_path(base, target)
    if current is None and not target.startswith("parameters."):
        raise RulesetError(target)
    if current is not None and value is not None and isinstance(current, (int, float)) != isinstance(value, (int, float)):
        raise RulesetError(target)
