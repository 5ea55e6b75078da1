"""`thidua synth`: a synthetic province in the configured database, for benchmarks (thidua.demo.synth)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.demo.synth import DEFAULT_PREFIX, DEFAULT_PROVINCE, DEFAULT_UNTIL, SynthRefused, synth_province


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Ngày phải có dạng YYYY-MM-DD: %(value)s") % {"value": value}) from None


def _number(value: float) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = _(
        "Tạo một tỉnh giả lập (khoảng 2.000 đơn vị, N cá nhân với Y năm quá trình công tác, kết quả xếp loại, "
        "sáng kiến, kỷ luật, thời gian nghỉ và sổ khen thưởng) để đo hiệu năng. "
        "Cùng một hạt giống (--seed) cho cùng dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000, help=_("Số cá nhân (mặc định 1.000)."))
        parser.add_argument("--years", type=int, default=10, help=_("Số năm quá trình công tác (mặc định 10)."))
        parser.add_argument("--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên (mặc định 1)."))
        parser.add_argument(
            "--until",
            type=_iso_date,
            default=DEFAULT_UNTIL,
            help=_("Ngày kết thúc quá trình công tác, YYYY-MM-DD (mặc định %(day)s).") % {"day": DEFAULT_UNTIL.isoformat()},
        )
        parser.add_argument("--province", default=DEFAULT_PROVINCE, help=_("Tên tỉnh giả lập."))
        parser.add_argument("--prefix", default=DEFAULT_PREFIX, help=_("Tiền tố mã đơn vị (mặc định SX)."))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_(
                "Xóa toàn bộ đơn vị, cá nhân, quá trình công tác, phân quyền, minh chứng (xếp loại, sáng kiến, kỷ luật, "
                "thời gian nghỉ) và sổ khen thưởng hiện có trước khi tạo."
            ),
        )

    def handle(self, *args, people, years, seed, until, province, prefix, replace, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Không tạo dữ liệu giả lập khi THIDUA_ENV=production."))
        if people < 0 or years < 1:
            raise CommandError(_("Số người phải từ 0 trở lên và số năm từ 1 trở lên."))

        def progress(label: str, seconds: float) -> None:
            self.stdout.write(f"  {label}: {seconds:.1f} s")
            self.stdout.flush()

        self.stdout.write(
            _("Tạo tỉnh giả lập: %(people)s cá nhân, %(years)d năm, hạt giống %(seed)d…")
            % {"people": _number(people), "years": years, "seed": seed}
        )
        try:
            result = synth_province(
                people=people,
                years=years,
                seed=seed,
                until=until,
                province=province,
                prefix=prefix,
                replace=replace,
                progress=progress,
            )
        except SynthRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo %(units)s đơn vị, %(people)s cá nhân, %(employments)s quá trình công tác trong %(seconds).1f giây.")
                % {
                    "units": _number(result.units),
                    "people": _number(result.people),
                    "employments": _number(result.employments),
                    "seconds": result.seconds,
                }
            )
        )
        evidence = result.evidence
        self.stdout.write(
            _(
                "Minh chứng: %(ratings)s kết quả xếp loại, %(initiatives)s sáng kiến và đề tài, %(disciplines)s kỷ luật và "
                "vụ việc, %(leaves)s thời gian nghỉ, %(awards)s khen thưởng đã nhận."
            )
            % {key: _number(evidence[key]) for key in ("ratings", "initiatives", "disciplines", "leaves", "awards")}
        )
