"""Demo stage for nominations (issue 5): the 2015–2020 awards of the Sở KH&CN Tiền Giang, dossier by dossier.

- The provincial round of the People's Committee for the 2015–2020 period (Bằng khen, CSTĐ tỉnh), opened
  in May 2020 on plan 204/KH-UBND, ahead of the province's 6th emulation congress.
- The department's round "Khen thưởng tổng kết phong trào thi đua giai đoạn 2015–2020" (Giấy khen, and
  Bằng khen to be sent up), tied to the 2015–2020 movement, open 15/6 – 15/7/2020. Its offices sent
  dossiers that stand in every status: the seed's **02 collectives and 14 individuals** (to whom the
  Director gave Giấy khen at the conference of 10/8/2020) wait in four dossiers sent to the council, one of
  them returned once and completed; another dossier waits for a later council session; one dossier's
  Bằng khen was carried to the province's round; others are drafts, sent, under appraisal (some nominees
  decided, others waiting), returned, rejected, withdrawn.
- A simplified round of sudden awards in 2020 (khen thưởng đột xuất) with one dossier decided and one
  approved: outside the period round, so that the seed's count of Giấy khen stays 16.

Everything goes through the services (audit, history, snapshots and eligibility verdicts are real). The
nominations services stamp "now" (a submission's time, a reception's day, the appraisal deadline counted
from it, each history row): after each step this stage writes the 2020 date of that step back onto the
rows the step created, with ``QuerySet.update`` (``_Dossier._dated``). The audit log is left as written:
it records when the demo was loaded, and it is append-only.
"""

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from thidua.common.documents import Letterhead, OfficialDocument
from thidua.common.models import GeneratedDocument
from thidua.common.workdays import add_working_days
from thidua.movements.documents import place_of
from thidua.movements.models import Movement
from thidua.nominations import attachments, documents, services
from thidua.nominations.enums import AttachmentKind, NominationStatus, NomineeStatus
from thidua.nominations.models import Nomination, NominationAttachment, NominationTransition, Nominee, Round
from thidua.organizations.enums import PositionCategory
from thidua.organizations.models import Employment, Person, Unit
from thidua.organizations.selectors import people_in_unit_on
from thidua.records.models import AnnualRating, AwardRecord
from thidua.rules.models import AwardType
from thidua.rules.rulesets import ruleset_for

PERIOD = "giai đoạn 2015–2020"
# The day the offices' staff lists are read: the rounds were open in June–July 2020.
STAFF_DAY = datetime.date(2020, 6, 30)
GOOD_RATINGS = ("HTTNV", "HTXSNV")


def _at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2020) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


# ---------------------------------------------------------------- people and their records in 2020


def _as_of(person: Person, day: datetime.date) -> Person:
    """The person as the records stood on ``day``: unit and post of that day's employment.

    ``services.nominee_add`` checks that an individual belongs to the proposing unit by the person's
    *current* unit. Since the merger of 1/7/2025 everyone of the Tiền Giang department works in the
    Đồng Tháp successor units, so a 2020 dossier of a Tiền Giang office would be refused; in 2020 the
    current unit was that office. The copy is never saved.
    """
    employment = (
        Employment.objects.filter(person=person, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("unit")
        .get()
    )
    then = Person.objects.get(pk=person.pk)
    then.current_unit, then.current_position = employment.unit, employment.position
    return then


def _titles(person: Person | None = None, unit: Unit | None = None) -> dict[str, list[int]]:
    """Years of each title or form in the register, 2015–2019 (those of 2020 were not decided yet)."""
    records = AwardRecord.objects.filter(period_end__range=(2015, 2019)).select_related("award")
    records = records.filter(person=person) if person is not None else records.filter(unit=unit)
    years: dict[str, list[int]] = {}
    for record in records.order_by("period_end"):
        years.setdefault(record.award.code, []).append(record.period_end)
    return years


def _years(years: list[int]) -> str:
    return ", ".join(str(year) for year in years)


def _post_in(post: str, unit_name: str) -> str:
    """"Trưởng phòng" + "Phòng Quản lý khoa học" → "Trưởng phòng Quản lý khoa học" (the words they share once)."""
    post_words, unit_words = post.split(), unit_name.split()
    folded_post, folded_unit = [w.casefold() for w in post_words], [w.casefold() for w in unit_words]
    shared = max(k for k in range(min(len(post_words), len(unit_words)) + 1) if folded_post[len(post_words) - k:] == folded_unit[:k])
    return " ".join(post_words + unit_words[shared:])


def _person_summary(person: Person, post: str, deed: str) -> str:
    titles = _titles(person=person)
    parts = [f"{post}. Giai đoạn 2015–2020: {deed}."]
    if titles.get("LDTT"):
        parts.append(f"{len(titles['LDTT']):02d} năm đạt danh hiệu Lao động tiên tiến ({_years(titles['LDTT'])}).")
    if titles.get("CSTDCS"):
        parts.append(f"Chiến sĩ thi đua cơ sở năm {_years(titles['CSTDCS'])}.")
    return " ".join(parts)


def _unit_summary(unit: Unit, deed: str) -> str:
    titles = _titles(unit=unit)
    parts = [f"{deed}."]
    if titles.get("TTLDTT"):
        parts.append(f"Tập thể lao động tiên tiến các năm {_years(titles['TTLDTT'])}.")
    return " ".join(parts)


# Not proposed: the Director, who confers the Giấy khen; the officer who appraises the dossiers; and the two
# people whose later stories (a reprimand in 2024, an inspection pending since 2024) the demo tells elsewhere.
NOT_PROPOSED = ("director", "tdkt_officer", "driver", "tdc_deputy")


@dataclass
class _Staff:
    """The staff of the department's offices on STAFF_DAY, handed out so that nobody is proposed twice."""

    taken: set[int] = field(default_factory=set)

    def pick(self, data, code: str, count: int, *, rating_ok: bool = True) -> list[Person]:
        """The first ``count`` people of the office (in name order) rated at least HTTNV for 2020, or, with
        ``rating_ok=False``, rated below it."""
        avoided = {data.people[key].pk for key in NOT_PROPOSED}
        candidates = people_in_unit_on(data.units[code], STAFF_DAY, include_subunits=False)
        ratings = dict(AnnualRating.objects.filter(year=2020, person__in=candidates).values_list("person", "rating"))
        chosen = [
            person
            for person in candidates
            if person.pk not in self.taken | avoided and (ratings.get(person.pk) in GOOD_RATINGS) == rating_ok
        ][:count]
        if len(chosen) < count:
            raise LookupError(f"{code}: only {len(chosen)} of {count} people to propose")
        self.taken |= {person.pk for person in chosen}
        return chosen


def _head_employment(unit: Unit, day: datetime.date) -> Employment | None:
    """The employment of the unit's head on ``day`` (a manager's post that is not a deputy's)."""
    return (
        Employment.objects.filter(unit=unit, position_category=PositionCategory.MANAGER, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exclude(position__startswith="Phó")
        .select_related("person")
        .order_by("start_date")
        .first()
    )


def _head(unit: Unit, day: datetime.date) -> tuple[str, str]:
    """(name, post) of the head who signs the unit's documents on ``day``."""
    employment = _head_employment(unit, day)
    return (employment.person.full_name, employment.position) if employment else ("", "Thủ trưởng đơn vị")


# ---------------------------------------------------------------- the documents the units uploaded


def _meeting_day(day: datetime.date) -> datetime.date:
    """The unit's meeting two days before its documents, moved back off a weekend."""
    meeting = day - datetime.timedelta(days=2)
    while meeting.weekday() >= 5:
        meeting -= datetime.timedelta(days=1)
    return meeting


def _letterhead(unit: Unit, kind: str, number: int, day: datetime.date) -> Letterhead:
    return Letterhead(
        parent_body=unit.parent.name.upper() if unit.parent_id else "",
        body=unit.name.upper(),
        number=f"{number:02d}/{kind}-{unit.document_code}",
        place=place_of(unit),
        day=day,
    )


def _subject(nominee: Nominee) -> str:
    return f"Tập thể {nominee.unit.name}" if nominee.unit_id else nominee.person.full_name


def _award_list(nominees: list[Nominee]) -> list[str]:
    """"Giấy khen: 01 tập thể, 03 cá nhân", one line per award, in the order proposed."""
    lines = []
    for award in dict.fromkeys(nominee.award.name for nominee in nominees):
        group = [nominee for nominee in nominees if nominee.award.name == award]
        collectives = sum(1 for nominee in group if nominee.unit_id)
        parts = [f"{collectives:02d} tập thể"] if collectives else []
        if len(group) > collectives:
            parts.append(f"{len(group) - collectives:02d} cá nhân")
        lines.append(f"{award}: {', '.join(parts)}")
    return lines


LAW_BASIS = "Căn cứ Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành"
PERIOD_BASIS = (
    f"{LAW_BASIS}; căn cứ Kế hoạch số 204/KH-UBND ngày 12/7/2019 của Ủy ban nhân dân tỉnh và Hướng dẫn số 140/HD-SNV "
    "ngày 22/8/2019 của Sở Nội vụ;"
)


def cover_letter(unit: Unit, addressee: str, nominees: list[Nominee], number: int, day: datetime.date, *, purpose: str,
                 basis: str = PERIOD_BASIS) -> bytes:
    """The signed tờ trình the unit uploads (the page's generated one is the draft it prints from)."""
    name, post = _head(unit, day)
    document = OfficialDocument(_letterhead(unit, "TTr", number, day), "TỜ TRÌNH", f"Về việc đề nghị khen thưởng {purpose}")
    document.paragraph(f"Kính gửi: {addressee}", indent=False, align="center")
    document.paragraph(basis, italic=True)
    document.paragraph(f"Căn cứ kết quả họp xét của {unit.name}, kính đề nghị xét, khen thưởng {purpose} như sau:")
    document.items(_award_list(nominees))
    document.paragraph("(Có danh sách, báo cáo thành tích và biên bản họp xét kèm theo).", italic=True)
    document.signature(authority=[post.upper()], name=name, recipients=["Như trên", "Lưu: VT"])
    return document.to_bytes()


def achievement_report(unit: Unit, nominees: list[Nominee], number: int, day: datetime.date, *, title: str) -> bytes:
    name, post = _head(unit, day)
    document = OfficialDocument(_letterhead(unit, "BC", number, day), "BÁO CÁO", title)
    rows = [(index, _subject(nominee), nominee.award.name, nominee.summary) for index, nominee in enumerate(nominees, start=1)]
    document.table(["STT", "Tập thể, cá nhân", "Hình thức đề nghị", "Tóm tắt thành tích"], rows, widths_mm=[12, 40, 33, 80])
    document.signature(authority=[post.upper()], name=name, recipients=["Lưu: VT"])
    return document.to_bytes()


def award_minutes(unit: Unit, nominees: list[Nominee], number: int, day: datetime.date, *, present: int) -> bytes:
    """Biên bản họp xét khen thưởng: everyone present voted, every proposal carried."""
    name, post = _head(unit, day)
    document = OfficialDocument(_letterhead(unit, "BB", number, day), "BIÊN BẢN", f"Họp xét đề nghị khen thưởng {PERIOD}")
    document.paragraph(f"Vào lúc 14 giờ 00 ngày {day:%d/%m/%Y}, tại trụ sở {unit.name}, đơn vị tổ chức họp xét đề nghị khen thưởng tổng kết phong trào thi đua {PERIOD}.")
    document.paragraph(f"Chủ trì: {name}, {post}. Có mặt {present}/{present} công chức, viên chức, người lao động của đơn vị.")
    document.paragraph("Kết quả biểu quyết:", bold=True)
    rows = [(index, _subject(nominee), nominee.award.name, f"{present}/{present} (100%)") for index, nominee in enumerate(nominees, start=1)]
    document.table(["STT", "Tập thể, cá nhân", "Hình thức đề nghị", "Số phiếu đồng ý"], rows, widths_mm=[12, 60, 50, 43])
    document.paragraph("Biên bản được thông qua tại cuộc họp; cuộc họp kết thúc lúc 16 giờ 00 cùng ngày./.")
    document.signature(authority=["CHỦ TRÌ"], name=name, recipients=["Lưu: VT"])
    return document.to_bytes()


# ---------------------------------------------------------------- one dossier, step by step


class _Dossier:
    """A dossier built through the services; each step's 2020 date is written back after it (see above)."""

    def __init__(self, nomination: Nomination, *, actor, on: datetime.datetime, numbers: Iterator[int]):
        self.nomination, self.actor, self.last, self.numbers = nomination, actor, on, numbers
        self.round, self.unit = nomination.round, nomination.proposing_unit
        self.nominees: list[Nominee] = list(nomination.nominees.all())

    @classmethod
    def create(cls, round_: Round, unit: Unit, *, actor, title: str, on: datetime.datetime, numbers: Iterator[int]) -> "_Dossier":
        nomination = services.nomination_create(actor=actor, round=round_, proposing_unit=unit, title=title)
        Nomination.objects.filter(pk=nomination.pk).update(created_at=on, updated_at=on)
        return cls(nomination, actor=actor, on=on, numbers=numbers)

    def _touch(self, on: datetime.datetime, **fields) -> None:
        self.last = max(self.last, on)
        Nomination.objects.filter(pk=self.nomination.pk).update(updated_at=self.last, **fields)

    def propose(self, award_code: str, summary: str, on: datetime.datetime, *, person=None, unit=None) -> Nominee:
        nominee = services.nominee_add(
            actor=self.actor, nomination=self.nomination, award=AwardType.objects.get(code=award_code), summary=summary,
            person=_as_of(person, on.date()) if person is not None else None, unit=unit,
        )
        Nominee.objects.filter(pk=nominee.pk).update(created_at=on, updated_at=on)
        self.nominees.append(nominee)
        self._touch(on)
        return nominee

    def attach(self, kind: str, filename: str, content: bytes, on: datetime.datetime) -> NominationAttachment:
        upload = SimpleUploadedFile(filename, content)
        attachment = attachments.nomination_attachment_add(actor=self.actor, nomination=self.nomination, kind=kind, file=upload)
        NominationAttachment.objects.filter(pk=attachment.pk).update(uploaded_at=on)
        self._touch(on)
        return attachment

    def attach_dossier(self, on: datetime.datetime, *, present: int) -> None:
        """The tờ trình and the achievement report of ``on``, and the minutes of the unit's meeting two days before."""
        day, slug, number = on.date(), self.unit.code.removeprefix("SKHCN_TG_").lower(), next(self.numbers)
        nominees = list(self.nomination.nominees.select_related("person", "unit", "award"))
        purpose = f"tổng kết phong trào thi đua {PERIOD}"
        self.attach(AttachmentKind.COVER_LETTER, f"to-trinh-{slug}.docx",
                    cover_letter(self.unit, "Giám đốc Sở Khoa học và Công nghệ", nominees, number, day, purpose=purpose), on)
        self.attach(AttachmentKind.ACHIEVEMENT_REPORT, f"bao-cao-thanh-tich-{slug}.docx",
                    achievement_report(self.unit, nominees, number, day, title=f"Thành tích {PERIOD} của tập thể, cá nhân đề nghị khen thưởng"), on)
        self.attach(AttachmentKind.AWARD_MINUTES, f"bien-ban-hop-xet-{slug}.docx",
                    award_minutes(self.unit, nominees, number, _meeting_day(day), present=present), on)

    def step(self, to: str, on: datetime.datetime, *, actor=None, note: str = "", items: list[str] | None = None) -> None:
        services.nomination_transition(actor=actor or self.actor, nomination=self.nomination, to=to, note=note, items=items)
        self._dated(to, on)

    def _dated(self, to: str, on: datetime.datetime) -> None:
        """Write the step's date on the rows it stamped with the time the demo was loaded."""
        NominationTransition.objects.filter(pk=self.nomination.transitions.order_by("-id").values("pk")[:1]).update(at=on)
        fields: dict = {}
        if to == NominationStatus.SUBMITTED:
            fields["submitted_at"] = on
            self._evaluated_on(on)
        elif to == NominationStatus.UNDER_REVIEW:
            ruleset = ruleset_for(on.date(), self.round.awarding_unit)
            days = int(ruleset.param("deadlines.appraisal_working_days", services.DEFAULT_APPRAISAL_WORKING_DAYS))
            fields["received_on"], fields["appraisal_due"] = on.date(), add_working_days(on.date(), days)
        # Nominees the step moved (e.g. into the council) carry the loading time, later than any demo date.
        self.nomination.nominees.filter(updated_at__gt=self.last).update(updated_at=on)
        self._touch(on, **fields)
        self.nomination.refresh_from_db()

    def _evaluated_on(self, on: datetime.datetime) -> None:
        """The verdicts as the submission computed them on its day: the service screens under the ruleset in
        force *today* (Decree 152/2025); on a 2020 submission day that was Decree 91/2017. Same engine, same
        nominees, the day of the submission (a verdict the engine has no criteria for keeps the service's
        "needs review")."""
        from thidua.rules.engine import screen

        nominees = list(self.nomination.nominees.select_related("award"))
        result = screen(
            root=self.unit, year=self.round.period_end, as_of=on.date(), award_codes=sorted({n.award.code for n in nominees}),
            person_ids=[n.person_id for n in nominees if n.person_id],
        )
        verdicts = {(v.award, v.subject, v.subject_id): v for v in result.verdicts}
        for nominee in nominees:
            subject = ("individual", nominee.person_id) if nominee.person_id else ("collective", nominee.unit_id)
            verdict = verdicts.get((nominee.award.code, *subject))
            changes = {"evaluated_at": on, "ruleset_code": result.ruleset.code}
            if verdict is not None:
                changes.update(verdict=verdict.verdict, verdict_reasons=[reason.as_dict() for reason in verdict.reasons])
            Nominee.objects.filter(pk=nominee.pk).update(**changes)

    def forward(self, target_round: Round, on: datetime.datetime, *, actor, note: str) -> "_Dossier":
        """Carry the nominees beyond the awarding unit's power up a level (``services.nomination_forward``):
        the new dossier of the awarding unit in ``target_round``, with the carried nominees and documents."""
        upward = services.nomination_forward(actor=actor, nomination=self.nomination, target_round=target_round, note=note)
        self._dated(NominationStatus.FORWARDED, on)
        self.nomination.nominees.filter(status=NomineeStatus.FORWARDED).update(decided_at=on)
        Nomination.objects.filter(pk=upward.pk).update(created_at=on, updated_at=on)
        Nominee.objects.filter(nomination=upward).update(created_at=on, updated_at=on)
        NominationAttachment.objects.filter(nomination=upward).update(uploaded_at=on)
        return _Dossier(upward, actor=actor, on=on, numbers=self.numbers)

    def generate(self, *kinds: str, on: datetime.datetime) -> None:
        """The tờ trình and danh sách generated on the dossier page (dated by the submission)."""
        for kind in kinds:
            stored = documents.nomination_document_generate(actor=self.actor, nomination=self.nomination, kind=kind)
            GeneratedDocument.objects.filter(pk=stored.pk).update(created_at=on)

    def note(self, nominee: Nominee, text: str, on: datetime.datetime, *, actor) -> None:
        services.nominee_note(actor=actor, nominee=nominee, note=text)
        Nominee.objects.filter(pk=nominee.pk).update(updated_at=on)
        self._touch(on)

    def decide(self, nominee: Nominee, to: str, on: datetime.datetime, *, actor, note: str = "") -> None:
        services.nominee_decide(actor=actor, nominee=nominee, to=to, note=note)
        Nominee.objects.filter(pk=nominee.pk).update(decided_at=on, updated_at=on)
        self._touch(on)


# ---------------------------------------------------------------- the stage


def nominations_2020(data) -> None:
    officer, manager, admin = data.users["vanphong"], data.users["truongphong"], data.users["admin"]
    department, province = data.units["SKHCN_TG"], data.units["UBND_TG"]
    giay_khen, bang_khen = "GIAY_KHEN", "BANG_KHEN_TINH"
    staff = _Staff()
    dossiers: dict[str, _Dossier] = {}
    numbers = itertools.count(11)  # the offices' document numbers, in the order the demo writes them
    # The offices without an account in the demo sent paper dossiers, keyed in by the department's emulation
    # officer (as in many departments); the head of the science office (truongphong) sends that office's own.
    keyed_in = officer

    province_round = services.round_create(
        actor=admin, awarding_unit=province, title="Khen thưởng tổng kết phong trào thi đua yêu nước giai đoạn 2015–2020",
        track="chuyen_de", period_start=2015, period_end=2020, opens_on=datetime.date(2020, 5, 20),
        submission_deadline=datetime.date(2020, 8, 31), accepted_awards=AwardType.objects.filter(code__in=[bang_khen, "CSTD_TINH"]),
    )
    Round.objects.filter(pk=province_round.pk).update(created_at=_at(5, 18), updated_at=_at(5, 18))
    period_round = services.round_create(
        actor=officer, awarding_unit=department, title="Khen thưởng tổng kết phong trào thi đua giai đoạn 2015–2020",
        track="chuyen_de", period_start=2015, period_end=2020, opens_on=datetime.date(2020, 6, 15),
        submission_deadline=datetime.date(2020, 7, 15), accepted_awards=AwardType.objects.filter(code__in=[giay_khen, bang_khen]),
        movement=Movement.objects.filter(launching_unit=department, title="Phong trào thi đua yêu nước giai đoạn 2015 – 2020").first(),
    )
    Round.objects.filter(pk=period_round.pk).update(created_at=_at(6, 10), updated_at=_at(6, 10))

    def dossier(key: str, code: str, title: str, on: datetime.datetime, *, actor=keyed_in, round_=period_round) -> _Dossier:
        dossiers[key] = _Dossier.create(round_, data.units[code], actor=actor, title=title, on=on, numbers=numbers)
        return dossiers[key]

    def individuals(built: _Dossier, people: list[Person], deed: str, on: datetime.datetime, award: str = giay_khen) -> None:
        for person in people:
            then = _as_of(person, on.date())
            built.propose(award, _person_summary(person, _post_in(then.current_position, then.current_unit.name), deed), on, person=person)

    # ------------------------------------------------------------ withdrawn: a dossier sent alone, then merged
    tdc_people = staff.pick(data, "SKHCN_TG_TDC", 3)
    withdrawn = dossier("withdrawn_tdc", "SKHCN_TG_TDC", "Đề nghị tặng Giấy khen cho cá nhân của Chi cục Tiêu chuẩn Đo lường Chất lượng", _at(6, 18, 10))
    individuals(withdrawn, tdc_people[:1], "kiểm định, hiệu chuẩn phương tiện đo an toàn, đúng quy trình", _at(6, 18, 10))
    withdrawn.attach_dossier(_at(6, 25, 15), present=8)
    withdrawn.step(NominationStatus.SUBMITTED, _at(6, 26, 8, 30))
    withdrawn.step(NominationStatus.WITHDRAWN, _at(6, 29, 10, 15),
                   note="Chi cục rút hồ sơ để gộp đề nghị vào hồ sơ chung của đơn vị theo hướng dẫn của Văn phòng Sở.")

    # ------------------------------------------------------------ the seed's 02 collectives and 14 individuals
    vp = dossier("in_council_vp", "SKHCN_TG_VP", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Văn phòng Sở", _at(6, 22, 9))
    individuals(vp, staff.pick(data, "SKHCN_TG_VP", 5), "hoàn thành xuất sắc nhiệm vụ tham mưu tổng hợp, hành chính, quản trị của cơ quan", _at(6, 22, 9))
    vp.attach_dossier(_at(7, 3, 16), present=12)
    vp.step(NominationStatus.SUBMITTED, _at(7, 6, 9, 30))
    vp.generate(documents.COVER_LETTER, documents.NOMINEE_LIST, on=_at(7, 6, 9, 10))
    vp.step(NominationStatus.UNDER_REVIEW, _at(7, 7, 8, 30), actor=officer)

    qlkh = dossier("resubmitted_qlkh", "SKHCN_TG_QLKH", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Phòng Quản lý khoa học",
                   _at(6, 24, 14), actor=manager)
    qlkh_unit = data.units["SKHCN_TG_QLKH"]
    qlkh_collective = qlkh.propose(giay_khen, _unit_summary(qlkh_unit, "Hoàn thành xuất sắc nhiệm vụ quản lý nhiệm vụ khoa học và công nghệ giai đoạn 2015–2020"),
                                   _at(6, 24, 14), unit=qlkh_unit)
    # The head is proposed for a Bằng khen in a dossier of its own (below); canbo, the office's staff member, is here.
    staff.taken |= {data.people["qlkh_head"].pk, data.people["qlkh_staff"].pk}
    individuals(qlkh, [data.people["qlkh_staff"], *staff.pick(data, "SKHCN_TG_QLKH", 2)],
                "tham mưu quản lý, đánh giá, nghiệm thu các nhiệm vụ khoa học và công nghệ cấp tỉnh, cấp cơ sở", _at(6, 24, 14))
    qlkh.attach_dossier(_at(7, 7, 15), present=6)
    qlkh.step(NominationStatus.SUBMITTED, _at(7, 8, 10))
    qlkh.generate(documents.COVER_LETTER, documents.NOMINEE_LIST, on=_at(7, 8, 9, 40))
    qlkh.step(NominationStatus.UNDER_REVIEW, _at(7, 9, 8, 15), actor=officer)
    qlkh.step(NominationStatus.RETURNED, _at(7, 13, 14), actor=officer,
              note="Hồ sơ đề nghị khen thưởng tập thể chưa có báo cáo thành tích riêng của tập thể; tóm tắt thành tích của tập thể chưa nêu kết quả cụ thể.",
              items=["Bổ sung báo cáo thành tích của tập thể Phòng Quản lý khoa học giai đoạn 2015–2020",
                     "Nêu cụ thể số nhiệm vụ khoa học và công nghệ đã quản lý, nghiệm thu trong tóm tắt thành tích của tập thể"])
    services.nominee_update(
        actor=manager, nominee=qlkh_collective,
        summary=_unit_summary(qlkh_unit, "Hoàn thành xuất sắc nhiệm vụ quản lý nhiệm vụ khoa học và công nghệ giai đoạn 2015–2020: "
                              "tham mưu triển khai 42 nhiệm vụ cấp tỉnh, tổ chức nghiệm thu 35 nhiệm vụ, 28 kết quả được chuyển giao ứng dụng"),
    )
    Nominee.objects.filter(pk=qlkh_collective.pk).update(updated_at=_at(7, 14, 9))
    qlkh.attach(AttachmentKind.ACHIEVEMENT_REPORT, "bao-cao-thanh-tich-tap-the-qlkh.docx",
                achievement_report(qlkh_unit, [Nominee.objects.select_related("unit", "award").get(pk=qlkh_collective.pk)], next(numbers), datetime.date(2020, 7, 14),
                                   title=f"Thành tích {PERIOD} của tập thể Phòng Quản lý khoa học"), _at(7, 14, 9, 10))
    qlkh.step(NominationStatus.SUBMITTED, _at(7, 14, 10))
    qlkh.generate(documents.COVER_LETTER, on=_at(7, 14, 9, 50))
    qlkh.step(NominationStatus.UNDER_REVIEW, _at(7, 15, 8), actor=officer)

    ttud_unit = data.units["SKHCN_TG_TTUD"]
    ttud = dossier("in_council_ttud", "SKHCN_TG_TTUD", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
                   _at(6, 25, 8, 30))
    ttud.propose(giay_khen, _unit_summary(ttud_unit, "Hoàn thành xuất sắc nhiệm vụ ứng dụng, chuyển giao tiến bộ khoa học và công nghệ vào sản xuất nông nghiệp của tỉnh giai đoạn 2015–2020"),
                 _at(6, 25, 8, 30), unit=ttud_unit)
    individuals(ttud, staff.pick(data, "SKHCN_TG_TTUD", 3), "thực hiện tốt các mô hình ứng dụng tiến bộ kỹ thuật, chuyển giao cho nông dân", _at(6, 25, 8, 30))
    ttud.attach_dossier(_at(7, 8, 16), present=9)
    ttud.step(NominationStatus.SUBMITTED, _at(7, 9, 9))
    ttud.step(NominationStatus.UNDER_REVIEW, _at(7, 10, 8, 30), actor=officer)

    tdc = dossier("in_council_tdc", "SKHCN_TG_TDC", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Chi cục Tiêu chuẩn Đo lường Chất lượng",
                  _at(7, 1, 9))
    individuals(tdc, tdc_people, "kiểm định, hiệu chuẩn phương tiện đo an toàn, đúng quy trình; tham gia thanh tra, kiểm tra đo lường, chất lượng hàng hóa", _at(7, 1, 9))
    tdc.attach_dossier(_at(7, 9, 15), present=8)
    tdc.step(NominationStatus.SUBMITTED, _at(7, 10, 8, 45))
    tdc.step(NominationStatus.UNDER_REVIEW, _at(7, 13, 8, 30), actor=officer)

    seed = [vp, qlkh, ttud, tdc]
    for built in seed:
        for nominee in built.nomination.nominees.filter(verdict="eligible").order_by("id")[:1]:
            built.note(nominee, "Đủ tiêu chuẩn; thành tích tiêu biểu của đơn vị giai đoạn 2015–2020.", _at(7, 24, 10), actor=officer)
    for built in seed:
        built.step(NominationStatus.IN_COUNCIL, _at(7, 28, 15), actor=officer,
                   note="Trình Hội đồng Thi đua – Khen thưởng Sở xét tặng Giấy khen tại Hội nghị điển hình tiên tiến giai đoạn 2015–2020.")

    # ------------------------------------------------------------ another dossier for a later council session
    qlcn = dossier("in_council_qlcn", "SKHCN_TG_QLCN", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Phòng Quản lý công nghệ và Thị trường công nghệ",
                   _at(7, 2, 10))
    individuals(qlcn, staff.pick(data, "SKHCN_TG_QLCN", 2), "tham mưu quản lý công nghệ, sở hữu trí tuệ và phát triển thị trường công nghệ của tỉnh", _at(7, 2, 10))
    qlcn.attach_dossier(_at(7, 10, 16), present=5)
    qlcn.step(NominationStatus.SUBMITTED, _at(7, 13, 9, 15))
    qlcn.step(NominationStatus.UNDER_REVIEW, _at(7, 14, 8, 30), actor=officer)
    qlcn.step(NominationStatus.IN_COUNCIL, _at(7, 31, 10), actor=officer,
              note="Hồ sơ tiếp nhận sau khi đã chốt danh sách Hội nghị; trình Hội đồng Thi đua – Khen thưởng Sở tại phiên họp tiếp theo.")

    # ------------------------------------------------------------ a Bằng khen carried to the province's round
    head = data.people["qlkh_head"]
    bk = dossier("forwarded_qlkh", "SKHCN_TG_QLKH", "Đề nghị Bằng khen của Chủ tịch UBND tỉnh — Trưởng phòng Quản lý khoa học", _at(6, 24, 15), actor=manager)
    individuals(bk, [head], "chủ trì, hướng dẫn quản lý các nhiệm vụ khoa học và công nghệ; 02 năm liền (2019, 2020) hoàn thành xuất sắc nhiệm vụ, "
                "có sáng kiến được công nhận và áp dụng", _at(6, 24, 15), award=bang_khen)
    bk.attach_dossier(_at(7, 7, 16), present=6)
    bk.step(NominationStatus.SUBMITTED, _at(7, 8, 10, 30))
    bk.step(NominationStatus.UNDER_REVIEW, _at(7, 9, 8, 20), actor=officer)
    bk.note(bk.nominees[0], "Đủ tiêu chuẩn Bằng khen (02 năm liền hoàn thành xuất sắc nhiệm vụ, có sáng kiến); vượt thẩm quyền của Giám đốc Sở, trình Chủ tịch UBND tỉnh.",
            _at(7, 20, 10), actor=officer)
    # The department's own dossier in the province's round: it adds its tờ trình and sends it up.
    upward = dossiers["forward_to_province"] = bk.forward(province_round, _at(7, 30, 14), actor=officer,
                                                          note="Giám đốc Sở đồng ý trình Chủ tịch UBND tỉnh tặng Bằng khen.")
    upward.attach(AttachmentKind.COVER_LETTER, "to-trinh-so-khcn-bang-khen.docx",
                  cover_letter(department, "Ủy ban nhân dân tỉnh Tiền Giang", list(upward.nomination.nominees.select_related("person", "unit", "award")),
                               next(numbers), datetime.date(2020, 8, 3), purpose=f"tổng kết phong trào thi đua yêu nước {PERIOD}"),
                  _at(8, 3, 15))
    upward.step(NominationStatus.SUBMITTED, _at(8, 4, 9))

    # ------------------------------------------------------------ under appraisal: some nominees decided, others wait
    khtc = dossier("under_review_khtc", "SKHCN_TG_KHTC", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Phòng Kế hoạch – Tài chính",
                   _at(7, 6, 10))
    individuals(khtc, staff.pick(data, "SKHCN_TG_KHTC", 3), "tham mưu quản lý tài chính, kế hoạch vốn cho hoạt động khoa học và công nghệ", _at(7, 6, 10))
    khtc.attach_dossier(_at(7, 15, 14), present=6)
    khtc.step(NominationStatus.SUBMITTED, _at(7, 15, 16))
    khtc.step(NominationStatus.UNDER_REVIEW, _at(7, 16, 8, 30), actor=officer)
    first, second, _third = khtc.nominees
    khtc.note(first, "Thành tích rõ, đủ tiêu chuẩn Giấy khen.", _at(7, 22, 9), actor=officer)
    khtc.decide(first, "approved", _at(7, 24, 10), actor=officer)
    khtc.note(second, "Đề nghị đơn vị nêu rõ kết quả thẩm định, giải ngân kế hoạch vốn khoa học và công nghệ trong giai đoạn.", _at(7, 22, 9, 30), actor=officer)

    # ------------------------------------------------------------ rejected: the 2020 rating falls short
    tttk = dossier("rejected_tttk", "SKHCN_TG_TTTK", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Trung tâm Thông tin và Thống kê khoa học và công nghệ",
                   _at(7, 1, 14))
    individuals(tttk, staff.pick(data, "SKHCN_TG_TTTK", 1, rating_ok=False), "xây dựng, cập nhật cơ sở dữ liệu thông tin khoa học và công nghệ của tỉnh", _at(7, 1, 14))
    tttk.attach_dossier(_at(7, 9, 16), present=7)
    tttk.step(NominationStatus.SUBMITTED, _at(7, 10, 14))
    tttk.step(NominationStatus.UNDER_REVIEW, _at(7, 13, 9), actor=officer)
    tttk.step(NominationStatus.REJECTED, _at(7, 27, 16), actor=officer,
              note="Năm 2020 cá nhân được đề nghị chưa đạt mức xếp loại Hoàn thành tốt nhiệm vụ, chưa đủ tiêu chuẩn xét tặng Giấy khen.")

    # ------------------------------------------------------------ returned, not completed before the deadline
    ttra = dossier("returned_ttra", "SKHCN_TG_TTRA", "Đề nghị tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020 — Thanh tra Sở", _at(7, 3, 9))
    individuals(ttra, staff.pick(data, "SKHCN_TG_TTRA", 2), "tham gia các đoàn thanh tra, kiểm tra chuyên ngành khoa học và công nghệ", _at(7, 3, 9))
    ttra.attach_dossier(_at(7, 13, 16), present=4)
    ttra.step(NominationStatus.SUBMITTED, _at(7, 14, 8, 30))
    ttra.step(NominationStatus.UNDER_REVIEW, _at(7, 15, 9), actor=officer)
    ttra.step(NominationStatus.RETURNED, _at(7, 21, 15), actor=officer,
              note="Biên bản họp xét chưa ghi số người có mặt và kết quả biểu quyết của từng trường hợp.",
              items=["Bổ sung biên bản họp xét khen thưởng ghi rõ thành phần, số người có mặt và số phiếu đồng ý của từng cá nhân",
                     "Xác nhận kết quả xếp loại năm 2019 của các cá nhân được đề nghị"])

    # ------------------------------------------------------------ sent on the last day, not yet received
    ttud_late = dossier("submitted_ttud", "SKHCN_TG_TTUD", "Đề nghị bổ sung Giấy khen — Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", _at(7, 13, 10))
    individuals(ttud_late, staff.pick(data, "SKHCN_TG_TTUD", 1), "vận hành, bảo dưỡng trang thiết bị phòng thí nghiệm nuôi cấy mô", _at(7, 13, 10))
    ttud_late.attach_dossier(_at(7, 15, 15), present=9)
    ttud_late.step(NominationStatus.SUBMITTED, _at(7, 15, 16, 45))

    # ------------------------------------------------------------ a draft still missing documents
    qlcn_head = _head_employment(data.units["SKHCN_TG_QLCN"], STAFF_DAY).person
    draft = dossier("draft_qlcn", "SKHCN_TG_QLCN", "Đề nghị Bằng khen của Chủ tịch UBND tỉnh — Phòng Quản lý công nghệ và Thị trường công nghệ (dự thảo)",
                    _at(7, 14, 15))
    staff.taken.add(qlcn_head.pk)
    individuals(draft, [qlcn_head], "chủ trì tham mưu phát triển thị trường khoa học và công nghệ, hỗ trợ doanh nghiệp đổi mới công nghệ", _at(7, 14, 15),
                award=bang_khen)
    draft.attach(AttachmentKind.COVER_LETTER, "to-trinh-qlcn-du-thao.docx",
                 cover_letter(draft.unit, "Giám đốc Sở Khoa học và Công nghệ", list(draft.nomination.nominees.select_related("person", "unit", "award")),
                              next(numbers), datetime.date(2020, 7, 14), purpose=f"tổng kết phong trào thi đua {PERIOD}"), _at(7, 14, 16))

    # ------------------------------------------------------------ sudden awards of 2020: decided, and approved
    sudden_round = services.round_create(
        actor=officer, awarding_unit=department, title="Khen thưởng đột xuất năm 2020", track="dot_xuat", simplified=True,
        period_start=2020, period_end=2020, opens_on=datetime.date(2020, 1, 2), submission_deadline=datetime.date(2020, 12, 31),
        accepted_awards=AwardType.objects.filter(code=giay_khen),
    )
    Round.objects.filter(pk=sudden_round.pk).update(created_at=_at(1, 2, 8), updated_at=_at(1, 2, 8))
    for key, code, title, deed, on, count in [
        ("decided_tdc", "SKHCN_TG_TDC", "Đề nghị khen thưởng đột xuất — kiểm tra đo lường xăng dầu dịp Tết Canh Tý 2020",
         "có thành tích xuất sắc đột xuất trong đợt kiểm tra đo lường, chất lượng xăng dầu dịp Tết Nguyên đán Canh Tý 2020", _at(2, 3, 9), 2),
        ("approved_tttk", "SKHCN_TG_TTTK", "Đề nghị khen thưởng đột xuất — số hóa tài liệu thư viện khoa học và công nghệ",
         "có thành tích xuất sắc đột xuất trong việc số hóa tài liệu của thư viện khoa học và công nghệ tỉnh", _at(11, 16, 9), 1),
    ]:
        built = dossier(key, code, title, on, round_=sudden_round)
        individuals(built, staff.pick(data, code, count), deed, on)
        nominees = list(built.nomination.nominees.select_related("person", "unit", "award"))
        slug, number = code.removeprefix("SKHCN_TG_").lower(), next(numbers)
        built.attach(AttachmentKind.COVER_LETTER, f"to-trinh-dot-xuat-{slug}.docx",
                     cover_letter(built.unit, "Giám đốc Sở Khoa học và Công nghệ", nominees, number, on.date(), purpose="đột xuất năm 2020",
                                  basis=f"{LAW_BASIS};"),
                     on + datetime.timedelta(hours=2))
        built.attach(AttachmentKind.SHORT_REPORT, f"bao-cao-tom-tat-{slug}.docx",
                     achievement_report(built.unit, nominees, number, on.date(), title="Tóm tắt thành tích đột xuất năm 2020"),
                     on + datetime.timedelta(hours=2))
        built.step(NominationStatus.SUBMITTED, on + datetime.timedelta(days=1))
        built.step(NominationStatus.UNDER_REVIEW, on + datetime.timedelta(days=2), actor=officer)
        built.step(NominationStatus.APPROVED, on + datetime.timedelta(days=7), actor=officer,
                   note="Giám đốc Sở đồng ý khen thưởng theo thủ tục đơn giản.")
    decided = dossiers["decided_tdc"]
    decided.step(NominationStatus.DECIDED, _at(2, 14, 16), actor=officer,
                 note="Quyết định số 45/QĐ-SKHCN ngày 14/02/2020 của Giám đốc Sở Khoa học và Công nghệ.")

    data.nominations = {key: Nomination.objects.get(pk=built.nomination.pk) for key, built in dossiers.items()}
    data.seed_nominees = list(Nominee.objects.filter(nomination__in=[built.nomination for built in seed]).order_by("nomination__created_at", "id"))
