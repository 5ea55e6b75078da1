"""Demo stage for the council (issue 6): the Hội đồng Thi đua – Khen thưởng of the Sở KH&CN Tiền Giang.

- The council, established in January 2016: Director Dương Văn Bon as chair, the two deputy directors, the
  Party secretary, the trade-union chair and the youth-union secretary (staff holding these posts
  concurrently, as is usual in a department), the chief inspector, and the office chief as secretary.
  Demo users ``hoidong1`` … ``hoidong7`` and ``thuky`` (password ``thidua-demo``). Their terms end with the
  department on 30/06/2025 (the merger).
- The session of 05/08/2020, ahead of the conference of 10/08/2020: the seed's 02 collectives and 14
  individuals proposed for Giấy khen (``data.seed_nominees``, built by the nominations stage), 7 members
  present, the trade-union chair away with a written vote; every ballot is cast through the ballot service
  and the session is closed through the service, so the nominees become approved and their dossiers settle.
- The next session (16/09/2020) with the other nominees still waiting in the council, published to the
  members with the attendance taken: ready for ``thuky`` to open voting.

Services stamp "now"; as in the nominations stage, the 2020 dates are written back onto the rows they
stamped (``QuerySet.update``) — for the session before it closes: a closed session is immutable, so its
``closed_at`` keeps the time the demo was loaded, like the audit log.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from thidua.accounts.enums import Role
from thidua.accounts.services import role_grant, user_create, user_update
from thidua.accounts.validators import DEMO_PASSWORD
from thidua.common.models import GeneratedDocument
from thidua.council import ballots, selectors, services
from thidua.council.enums import Choice, MemberRole
from thidua.council.models import Council, Membership, Session
from thidua.nominations.models import NominationTransition, Nominee
from thidua.organizations import services as org
from thidua.organizations.models import Employment, Person

TERM_START = datetime.date(2016, 1, 8)
TERM_END = datetime.date(2025, 6, 30)  # the department ceased with the merger of 1/7/2025
SESSION_DAY = datetime.date(2020, 8, 5)
NEXT_SESSION_DAY = datetime.date(2020, 9, 16)
COUNCIL_NAME = "Hội đồng Thi đua – Khen thưởng Sở Khoa học và Công nghệ tỉnh Tiền Giang"
ESTABLISHED_BY = "Quyết định số 05/QĐ-SKHCN ngày 08/01/2016 của Giám đốc Sở Khoa học và Công nghệ"
PLACE = "Phòng họp Sở Khoa học và Công nghệ, số 1 đường Hùng Vương, thành phố Mỹ Tho"
# The member away on 05/08/2020 (in writing) and on 16/09/2020.
AWAY_IN_AUGUST, AWAY_IN_SEPTEMBER = "hoidong5", "hoidong3"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _holders(data, unit_code: str, position: str, day: datetime.date) -> list[Person]:
    employments = (
        Employment.objects.filter(unit=data.units[unit_code], position=position, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person")
        .order_by("start_date", "person_id")
    )
    return [employment.person for employment in employments]


def _youngest_officer(data, day: datetime.date, taken: set[int]) -> Person | None:
    """The youth-union secretary: the youngest officer (chuyên viên) of the department's offices that day."""
    employments = (
        Employment.objects.filter(unit__parent=data.units["SKHCN_TG"], position="Chuyên viên", start_date__lte=day,
                                  person__birth_date__isnull=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exclude(person__in=taken)
        .select_related("person", "unit")
        .order_by("-person__birth_date", "person_id")
    )
    employment = employments.first()
    return employment.person if employment else None


def _members(data) -> list[tuple[str, str, Person, str]]:
    """(username, council role, person, title) of the eight members, from the posts held on the session day.
    Members are not among the people the session votes on. A post nobody else holds that day falls to
    the next candidate; with none left, a person is created (through the services)."""
    from thidua.demo.nominations_data import _post_in

    day = SESSION_DAY
    linked = set(Person.objects.filter(user__isnull=False).values_list("pk", flat=True))
    nominees = {nominee.person_id for nominee in data.seed_nominees if nominee.person_id}
    taken = set(linked) | nominees

    def pick(candidates: list[tuple[str, str]], fallback_name: str) -> tuple[Person, str]:
        for unit_code, position in candidates:
            for person in _holders(data, unit_code, position, day):
                if person.pk not in taken:
                    taken.add(person.pk)
                    return person, _post_in(position, data.units[unit_code].name) if data.units[unit_code].kind != "so_nganh" else position
        person = org.person_create(actor=data.actor, full_name=fallback_name)
        taken.add(person.pk)
        return person, ""

    deputies = [pick([("SKHCN_TG", "Phó Giám đốc Sở")], name) for name in ("Nguyễn Văn Hòa", "Trần Thị Thu")]
    party, party_post = pick([("SKHCN_TG_TDC", "Chi cục trưởng"), ("SKHCN_TG_TTTK", "Giám đốc Trung tâm"), ("SKHCN_TG_TTUD", "Giám đốc Trung tâm"),
                              ("SKHCN_TG_KHTC", "Trưởng phòng")], "Lê Văn Hùng")
    union, union_post = pick([("SKHCN_TG_VP", "Phó Chánh Văn phòng"), ("SKHCN_TG_KHTC", "Phó Trưởng phòng"), ("SKHCN_TG_QLCN", "Phó Trưởng phòng"),
                              ("SKHCN_TG_TTUD", "Phó Giám đốc Trung tâm")], "Phạm Thị Lan")
    youth = _youngest_officer(data, day, taken) or org.person_create(actor=data.actor, full_name="Võ Minh Thanh")
    taken.add(youth.pk)
    inspector, _inspector_post = pick([("SKHCN_TG_TTRA", "Chánh Thanh tra")], "Huỳnh Văn Tâm")
    office_chief, _office_post = pick([("SKHCN_TG_VP", "Chánh Văn phòng")], "Đặng Văn Phước")
    return [
        ("hoidong1", MemberRole.CHAIR, data.people["director"], "Giám đốc Sở"),
        ("hoidong2", MemberRole.STANDING_VICE_CHAIR, deputies[0][0], "Phó Giám đốc Sở"),
        ("hoidong3", MemberRole.VICE_CHAIR, deputies[1][0], "Phó Giám đốc Sở"),
        ("hoidong4", MemberRole.MEMBER, party, ", ".join(part for part in (party_post, "Bí thư Đảng ủy Sở") if part)),
        ("hoidong5", MemberRole.MEMBER, union, ", ".join(part for part in (union_post, "Chủ tịch Công đoàn cơ sở") if part)),
        ("hoidong6", MemberRole.MEMBER, youth, "Chuyên viên, Bí thư Chi đoàn Sở"),
        ("hoidong7", MemberRole.MEMBER, inspector, "Chánh Thanh tra Sở"),
        ("thuky", MemberRole.SECRETARY, office_chief, "Chánh Văn phòng Sở"),
    ]


def _council(data) -> tuple[Council, dict[str, Membership]]:
    officer = data.users["vanphong"]
    council = services.council_create(actor=officer, unit=data.units["SKHCN_TG"], name=COUNCIL_NAME, established_by=ESTABLISHED_BY)
    memberships: dict[str, Membership] = {}
    for username, role, person, title in _members(data):
        # The Director's record is the signer's (``giamdoc``); his council account carries his name only.
        own_person = person if not Person.objects.filter(pk=person.pk, user__isnull=False).exists() else None
        user = user_create(actor=data.actor, username=username, password=DEMO_PASSWORD, person=own_person, is_demo=True)
        if own_person is None:
            user_update(actor=data.actor, user=user, last_name=f"{person.family_name} {person.middle_name}".strip(), first_name=person.given_name)
        council_role = Role.COUNCIL_SECRETARY if role == MemberRole.SECRETARY else Role.COUNCIL_MEMBER
        for code in ("SKHCN_TG", "SKHCN_DT"):
            role_grant(actor=data.actor, user=user, role=council_role, unit=data.units[code])
        data.users[username] = user
        memberships[username] = services.membership_add(actor=officer, council=council, user=user, role=role, title=title,
                                                        start_on=TERM_START, end_on=TERM_END)
    Council.objects.filter(pk=council.pk).update(created_at=_at(TERM_START, 9), updated_at=_at(TERM_START, 9))
    Membership.objects.filter(council=council).update(created_at=_at(TERM_START, 9), updated_at=_at(TERM_START, 9))
    return council, memberships


def written_vote_scan(nominees: list[Nominee], day: datetime.date) -> bytes:
    """A one-page PDF standing for the signed written vote the member sent (plain ASCII text: a scan's
    stand-in, not a document anyone prints)."""
    lines = [
        "SO KHOA HOC VA CONG NGHE TINH TIEN GIANG - HOI DONG THI DUA KHEN THUONG",
        "PHIEU Y KIEN BANG VAN BAN (thanh vien vang mat)",
        f"Phien hop ngay {day:%d/%m/%Y} - {len(nominees)} de nghi tang Giay khen",
        "Y kien: dong y tat ca cac de nghi trong chuong trinh hop.",
        "Nguoi gui: thanh vien Hoi dong (da ky)",
    ]
    text = "BT /F1 11 Tf 60 780 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")


def _choice(nominee_index: int, member_index: int) -> str:
    """Mostly yes; a few abstentions and one no here and there — every proposal still carries."""
    if (nominee_index * 5 + member_index) % 17 == 3:
        return Choice.NO
    if (nominee_index + member_index * 3) % 11 == 4:
        return Choice.ABSTAIN
    return Choice.YES


def _dated_session(session: Session, *, created: datetime.datetime, published: datetime.datetime, opened=None) -> None:
    fields = {"created_at": created, "updated_at": opened or published, "published_at": published}
    if opened is not None:
        fields["opened_at"] = opened
    Session.objects.filter(pk=session.pk).update(**fields)


def _session_2020(data, council: Council, memberships: dict[str, Membership]) -> Session:
    secretary = data.users["thuky"]
    nominees = list(data.seed_nominees)
    session = services.session_create(
        actor=secretary, council=council, nominees=nominees, held_on=SESSION_DAY, place=PLACE,
        title="Phiên họp xét tặng Giấy khen tổng kết phong trào thi đua giai đoạn 2015–2020",
    )
    services.session_publish(actor=secretary, session=session)
    present = [m for username, m in memberships.items() if username != AWAY_IN_AUGUST]
    services.attendance_set(actor=secretary, session=session, present=present)
    services.voting_open(actor=secretary, session=session)
    _dated_session(session, created=_at(datetime.date(2020, 7, 29), 10), published=_at(datetime.date(2020, 7, 30), 8, 30),
                   opened=_at(SESSION_DAY, 14, 20))
    for member_index, membership in enumerate(present):
        votes = {nominee.pk: _choice(index, member_index) for index, nominee in enumerate(nominees)}
        ballots.ballot_cast(actor=membership.user, session=session, votes=votes)
    away = memberships[AWAY_IN_AUGUST]
    document = SimpleUploadedFile("y-kien-bang-van-ban-chu-tich-cong-doan.pdf", written_vote_scan(nominees, SESSION_DAY),
                                  content_type="application/pdf")
    ballots.written_vote_enter(actor=secretary, session=session, membership=away, votes=dict.fromkeys((n.pk for n in nominees), Choice.YES),
                               document=document)
    closing = _at(SESSION_DAY, 16, 30)
    services.session_close(
        actor=secretary, session=session,
        conclusion=("Hội đồng thống nhất đề nghị Giám đốc Sở tặng Giấy khen cho 02 tập thể và 14 cá nhân có thành tích xuất sắc "
                    "trong phong trào thi đua giai đoạn 2015–2020; khen thưởng tại Hội nghị điển hình tiên tiến ngày 10/8/2020."),
    )
    # The rows the closing stamped in the nomination workflow and the documents, back to that afternoon.
    Nominee.objects.filter(pk__in=[n.pk for n in nominees]).update(decided_at=closing, updated_at=closing)
    NominationTransition.objects.filter(nomination__in={n.nomination_id for n in nominees}, at__gt=_at(SESSION_DAY, 0)).update(at=closing)
    GeneratedDocument.objects.filter(object_id=str(session.pk), content_type__app_label="council").update(created_at=closing)
    return session


def _next_session(data, council: Council, memberships: dict[str, Membership]) -> Session | None:
    """The nominees still waiting in the council, on the agenda of a published session, attendance taken."""
    waiting = list(selectors.nominees_awaiting(council))
    if not waiting:
        return None
    secretary = data.users["thuky"]
    session = services.session_create(
        actor=secretary, council=council, nominees=waiting, held_on=NEXT_SESSION_DAY, place=PLACE,
        title="Phiên họp xét tặng Giấy khen các hồ sơ tiếp nhận sau Hội nghị điển hình tiên tiến",
    )
    services.session_publish(actor=secretary, session=session)
    services.attendance_set(actor=secretary, session=session, present=[m for username, m in memberships.items() if username != AWAY_IN_SEPTEMBER])
    _dated_session(session, created=_at(datetime.date(2020, 9, 8), 9), published=_at(datetime.date(2020, 9, 9), 8))
    return session


def council_2020(data) -> None:
    if not data.seed_nominees:
        raise RuntimeError("The council stage needs the nominations stage (data.seed_nominees) before it.")
    council, memberships = _council(data)
    _session_2020(data, council, memberships)
    _next_session(data, council, memberships)
