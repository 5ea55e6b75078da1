"""`thidua eligibility`: who in a unit may receive which award for a year, in a table or as the API's JSON."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.organizations.models import Person, Unit
from thidua.rules import selectors
from thidua.rules.models import AwardType
from thidua.rules.rulesets import ruleset_for


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Ngày phải có dạng YYYY-MM-DD: %(value)s") % {"value": value}) from None


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - len(text))


class Command(BaseCommand):
    help = _(
        "Xét điều kiện khen thưởng của mọi cá nhân, tập thể trong một đơn vị (và cấp dưới) cho một năm "
        "thành tích, theo quy định có hiệu lực vào một ngày. In bảng, hoặc JSON như API (--json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help=_("Mã đơn vị."))
        parser.add_argument("--year", required=True, type=int, help=_("Năm thành tích."))
        parser.add_argument(
            "--award", help=_("Mã danh hiệu, hình thức (mặc định: mọi danh hiệu xét hằng năm).")
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=_iso_date,
            help=_("Xét theo quy định tại ngày YYYY-MM-DD (mặc định hôm nay)."),
        )
        parser.add_argument("--json", action="store_true", help=_("In JSON giống GET /api/v1/eligibility."))

    def handle(
        self,
        *args,
        unit: str,
        year: int,
        award: str | None,
        as_of: datetime.date | None,
        json: bool,
        **options,
    ):
        root = Unit.objects.filter(code=unit).first()
        if root is None:
            raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": unit})
        problem = selectors.year_problem(year)
        if problem:
            raise CommandError(problem)
        day = as_of or timezone.localdate()
        awards = selectors.catalog()
        ruleset = ruleset_for(day, root)
        if award:
            if award not in {item.code for item in awards}:
                raise CommandError(
                    _("Không có danh hiệu, hình thức khen thưởng mã “%(code)s”.") % {"code": award}
                )
            codes = selectors.screenable_codes(ruleset, [award])
            if not codes:
                raise CommandError(
                    _("Quy định %(ruleset)s không có tiêu chuẩn xét %(award)s cho cá nhân hoặc tập thể.")
                    % {"ruleset": ruleset.code, "award": award}
                )
        else:
            codes = selectors.screenable_codes(ruleset, selectors.annual_codes(awards))
        payload = selectors.eligibility_payload(root=root, year=year, award_codes=codes, as_of=day)
        if json:
            self._write_json(payload)
        else:
            self._write_table(root, payload, {item.code: item for item in awards})

    def _write_json(self, payload: dict) -> None:
        self.stdout.write(json_dumps(payload))

    def _write_table(self, root: Unit, payload: dict, awards: dict[str, AwardType]) -> None:
        write = self.stdout.write
        write(
            _("Đơn vị: %(unit)s (%(code)s) — thành tích năm %(year)d")
            % {"unit": root.name, "code": root.code, "year": payload["year"]}
        )
        write(
            _("Quy định: %(name)s (%(code)s), xét ngày %(day)s")
            % {
                "name": payload["ruleset_name"],
                "code": payload["ruleset"],
                "day": datetime.date.fromisoformat(payload["as_of"]).strftime("%d/%m/%Y"),
            }
        )
        if payload["beyond_validity"]:
            write(
                self.style.WARNING(
                    _(
                        "Cảnh báo: ngày xét đã quá thời hạn hiệu lực của quy định mới nhất; cần kiểm tra văn bản thay thế."
                    )
                )
            )
        for quota in payload["quotas"]:
            style = (
                self.style.ERROR
                if quota["exceeded"] and quota["mode"] == "block"
                else self.style.WARNING
                if quota["exceeded"]
                else str
            )
            write(style(_("Định mức: %(message)s") % {"message": quota["message"]}))
        items = payload["items"]
        if not items:
            write(_("Không có cá nhân, tập thể nào để xét."))
            return
        person_ids = [item["person"] for item in items if "person" in item]
        names = {
            pk: " ".join(part for part in parts if part)
            for pk, *parts in Person.objects.filter(pk__in=person_ids).values_list(
                "pk", "family_name", "middle_name", "given_name"
            )
        }
        unit_names = dict(
            Unit.objects.filter(code__in={item["unit"] for item in items if "unit" in item}).values_list(
                "code", "name"
            )
        )
        rows = []
        counts: dict[str, dict[str, int]] = {}
        for item in items:
            subject = (
                names.get(item["person"], str(item["person"]))
                if "person" in item
                else f"{unit_names.get(item['unit'], '')} ({item['unit']})"
            )
            award = awards.get(item["award"])
            award_label = (award.short_name or award.name) if award else item["award"]
            missing = "; ".join(
                reason["message"] for reason in item["reasons"] if reason["passed"] is not True
            )
            rows.append((subject, award_label, str(selectors.VERDICT_LABELS[item["verdict"]]), missing))
            counts.setdefault(award_label, {}).setdefault(item["verdict"], 0)
            counts[award_label][item["verdict"]] += 1
        headers = (_("Cá nhân, tập thể"), _("Danh hiệu"), _("Kết quả"), _("Lý do chưa đạt, cần xem xét"))
        widths = [max(len(headers[index]), *(len(row[index]) for row in rows)) for index in range(3)]
        write("")
        write("  ".join(_pad(headers[index], widths[index]) for index in range(3)) + "  " + headers[3])
        write("  ".join("-" * width for width in widths) + "  " + "-" * len(headers[3]))
        for row in rows:
            write("  ".join(_pad(row[index], widths[index]) for index in range(3)) + "  " + (row[3] or "—"))
        write("")
        for award_label, by_verdict in counts.items():
            write(
                _(
                    "%(award)s: %(eligible)d đủ điều kiện, %(review)d cần xem xét, %(ineligible)d chưa đủ điều kiện"
                )
                % {
                    "award": award_label,
                    "eligible": by_verdict.get("eligible", 0),
                    "review": by_verdict.get("needs_review", 0),
                    "ineligible": by_verdict.get("ineligible", 0),
                }
            )


def json_dumps(payload: dict) -> str:
    # The parameter named ``json`` shadows the module inside ``handle``; keep the module here.
    return json.dumps(payload, ensure_ascii=False, indent=2)
