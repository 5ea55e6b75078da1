"""Demo stage for exemplars and the exemplar conference (issue 8): the Hội nghị điển hình tiên tiến of the Sở
KH&CN Tiền Giang on 10/08/2020, re-enacted from the seed, through the services.

- The conference follows plan 204/KH-UBND (12/7/2019) and guidance 140/HD-SNV (22/8/2019) from the document
  register, with the seed's three purposes, summing up 2015–2020. It called for presentations (tham luận)
  until 31/07/2020, reviewed blind by two deputy directors (``hoidong2``, ``hoidong3``) on three criteria:
  the office's, the science office's and the application centre's were chosen (the centre's after one
  revision), the measurement sub-department's was not. The offices sent them on paper; the department's
  emulation officer (``vanphong``, the organiser) keyed them in, as the nominations stage does.
- The programme: welcome, the period report, the three presentations, the award ceremony of the Director's
  decision of 07/08/2020 (the seed's 02 collectives and 14 individuals, ``decisions_data``), the Director
  Dương Văn Bon's speech, the launch of the 2020–2025 movement (the one of ``movements_data``, linked, not
  duplicated: it carries the six focus tasks of the speech), closing. Printable programme and ceremony
  running order are made on demand.
- Delegates: the Director, deputies and heads of the offices, the honourees and two guests of the
  provincial emulation board; RSVP answers (two away on duty); checked in at the door between 07:05 and 07:40.
- Held: the 16 honourees entered the exemplar registry. Most consented in writing to their name, post and
  awards on the public honour board (/vinh-danh/); two of them and both collectives also to their story with
  photos; one declined;
  ``canbo`` (one of the 14) has not answered yet — he can give his consent himself after signing in. The
  Director's decision is published (công khai), so its awards show on the board.
- Reported: the report (báo cáo kết quả hội nghị, DOCX) and the news item, worded like the seed's.
- Today: the science office head (``truongphong``) proposes an exemplar of the successor office for
  2021–2025, waiting for the officer's confirmation.

Services stamp "now"; as in the earlier stages the 2020 moments are written back onto the rows they stamped
(``QuerySet.update``). The audit log keeps the time the demo was loaded.
"""

import datetime
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from thidua.common.models import GeneratedDocument, LegalDocument
from thidua.decisions.enums import DecisionStatus
from thidua.decisions.models import Decision
from thidua.exemplars import services, services_conferences, services_reviews
from thidua.exemplars.models import (
    Conference,
    ConferenceTransition,
    DecisionPublication,
    Exemplar,
    ExemplarConsent,
    ExemplarPhoto,
    Invitation,
    Presentation,
    Replication,
    Review,
    ReviewerAssignment,
)
from thidua.movements.models import Movement
from thidua.organizations.enums import PositionCategory
from thidua.organizations.models import Employment, Person

DAY = datetime.date(2020, 8, 10)
TITLE = "Hội nghị điển hình tiên tiến trong phong trào thi đua giai đoạn 2015 – 2020"
VENUE = "Hội trường Sở Khoa học và Công nghệ, thành phố Mỹ Tho"
PURPOSES = [
    "Tổng kết phong trào thi đua yêu nước giai đoạn 2015 - 2020; đề ra phương hướng, nhiệm vụ đẩy mạnh phong trào thi đua và thực hiện "
    "công tác khen thưởng trong thời gian tới.",
    "Biểu dương thành tích các phong trào thi đua của các tập thể, cá nhân điển hình tiên tiến, tiêu biểu ngành khoa học và công nghệ, qua "
    "đó tạo động lực cho công chức, viên chức và người lao động thực hiện thắng lợi các nhiệm vụ ngành khoa học và công nghệ.",
    "Thông qua Hội nghị rút ra các bài học kinh nghiệm về tổ chức phong trào thi đua và công tác khen thưởng, về xây dựng và nhân rộng các "
    "điển hình tiên tiến; nhận ra những tồn tại, hạn chế cần khắc phục, để đề ra các biện pháp đổi mới công tác thi đua, khen thưởng nhằm "
    "đạt hiệu quả cao trong thời gian tới.",
]
SPEECH = (
    "Để thực hiện thắng lợi các nhiệm vụ đề ra, Giám đốc Sở đề nghị Đảng ủy, Ban Chấp hành Công đoàn, Ban Chấp hành Chi đoàn, lãnh đạo "
    "các phòng, đơn vị phát huy các kết quả đạt được, nêu cao tinh thần thi đua yêu nước gắn kết với thực hiện nhiệm vụ trong giai đoạn "
    "2020 - 2025, theo đó cần thực hiện một số công việc trọng tâm như sau:"
)
CRITERIA = [("Tính thực tiễn, khả năng nhân rộng", 40), ("Chất lượng nội dung, số liệu minh chứng", 40), ("Hình thức trình bày", 20)]
OUTCOME = (
    "Hội nghị diễn ra trang trọng, đúng chương trình; các tham luận thiết thực, nêu được cách làm hay trong công tác thi đua, khen thưởng "
    "và ứng dụng tiến bộ khoa học và công nghệ vào sản xuất.\n"
    "Bài học kinh nghiệm: phong trào thi đua phải gắn với nhiệm vụ chuyên môn của từng phòng, đơn vị; phát hiện, bồi dưỡng điển hình từ "
    "cơ sở; sơ kết, tổng kết và khen thưởng kịp thời; phối hợp chặt chẽ giữa chính quyền và các đoàn thể.\n"
    "Hạn chế cần khắc phục: việc nhân rộng điển hình tiên tiến chưa thường xuyên; một số đơn vị chưa xây dựng nội dung thi đua cụ thể."
)
CONSENT_NOTE = "Phiếu đồng ý công khai thông tin trên Bảng vinh danh, ký ngày 05/08/2020"
PHOTO_FONT = Path(__file__).resolve().parent.parent / "common" / "fonts" / "LiberationSerif-Bold.ttf"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _employment(person: Person, day: datetime.date) -> Employment | None:
    return (
        Employment.objects.filter(person=person, start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("unit").order_by("-start_date").first()
    )


def _post(person: Person, day: datetime.date = DAY) -> tuple[str, str]:
    """(position, unit name) of the person on the day."""
    employment = _employment(person, day)
    return (employment.position, employment.unit.name) if employment else (person.current_position, "")


def _head(unit, day: datetime.date = DAY) -> Person | None:
    employment = (
        Employment.objects.filter(unit=unit, position_category=PositionCategory.MANAGER, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day)).exclude(position__startswith="Phó")
        .select_related("person").order_by("start_date").first()
    )
    return employment.person if employment else None


def _docx(title: str, author: str, paragraphs: list[str]) -> bytes:
    """The presentation as the office typed it (its properties name the author, as Word's do)."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _photo(caption: str, colour: tuple[int, int, int]) -> bytes:
    """A stand-in photo of the ceremony (a drawn card; the demo ships no real photographs)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 640, 8):
        shade = tuple(max(0, channel - step // 12) for channel in colour)
        draw.rectangle([0, step, 960, step + 8], fill=shade)
    draw.rectangle([60, 60, 900, 580], outline=(242, 201, 76), width=8)
    font = ImageFont.truetype(str(PHOTO_FONT), 44)
    small = ImageFont.truetype(str(PHOTO_FONT), 30)
    draw.text((480, 280), caption, fill=(255, 255, 255), font=font, anchor="mm")
    draw.text((480, 360), "Hội nghị điển hình tiên tiến · 10/08/2020", fill=(255, 240, 200), font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _decision(data) -> Decision:
    """The Director's decision of 07/08/2020 giving Giấy khen to the seed's 16 (built by ``decisions_data``)."""
    nominees = [nominee.pk for nominee in data.seed_nominees]
    decision = (
        Decision.objects.filter(issuing_unit=data.units["SKHCN_TG"], status=DecisionStatus.ISSUED, recipients__nominee__in=nominees)
        .distinct().get()
    )
    if decision.recipients.count() != 16:
        raise RuntimeError("The exemplars stage needs the decisions stage's decision with the seed's 16 honourees.")
    return decision


# ---------------------------------------------------------------- the conference, step by step


def _presentations(data, conference: Conference, officer) -> dict[str, Presentation]:
    units = data.units
    office_officer = data.people["tdkt_officer"]
    science_head = data.people["qlkh_head"]
    centre_head = _head(units["SKHCN_TG_TTUD"]) or office_officer
    measurement_head = _head(units["SKHCN_TG_TDC"]) or office_officer
    plan = [
        ("vp", "SKHCN_TG_VP", office_officer,
         "Nâng cao chất lượng công tác thi đua, khen thưởng tại Sở Khoa học và Công nghệ giai đoạn 2015 – 2020",
         "Kinh nghiệm tham mưu tổ chức phong trào thi đua gắn với nhiệm vụ chuyên môn; số hóa hồ sơ khen thưởng; sơ kết, tổng kết và "
         "khen thưởng kịp thời, đúng người, đúng thành tích.",
         ["Giai đoạn 2015 – 2020, Văn phòng Sở tham mưu Giám đốc Sở phát động 5 đợt thi đua hằng năm và các đợt thi đua chuyên đề.",
          "Hồ sơ khen thưởng được hướng dẫn thống nhất, thẩm định đúng thời hạn; việc bình xét được thực hiện công khai, dân chủ."]),
        ("ttud", "SKHCN_TG_TTUD", centre_head,
         "Nâng cao hiệu quả ứng dụng tiến bộ khoa học và công nghệ vào hoạt động sản xuất nông nghiệp",
         "Các mô hình ứng dụng, chuyển giao tiến bộ kỹ thuật cho nông dân; cách tổ chức nhân rộng mô hình ở cơ sở.",
         ["Trung tâm đã xây dựng và chuyển giao các mô hình ứng dụng tiến bộ kỹ thuật trong trồng trọt, chăn nuôi.",
          "Điều kiện để nhân rộng: sự phối hợp với chính quyền địa phương và các hợp tác xã."]),
        ("qlkh", "SKHCN_TG_QLKH", science_head,
         "Chủ động, sáng tạo hoàn thành xuất sắc nhiệm vụ: kinh nghiệm của Phòng Quản lý khoa học",
         "Cách phòng tổ chức quản lý, nghiệm thu nhiệm vụ khoa học và công nghệ đúng tiến độ và đưa kết quả vào ứng dụng.",
         ["Phòng đã tham mưu triển khai 42 nhiệm vụ cấp tỉnh, tổ chức nghiệm thu 35 nhiệm vụ, 28 kết quả được chuyển giao ứng dụng.",
          "Mỗi công chức đăng ký một việc làm sáng tạo mỗi năm và được đánh giá khi sơ kết."]),
        ("tdc", "SKHCN_TG_TDC", measurement_head,
         "Áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia trong cơ quan hành chính",
         "Giới thiệu việc áp dụng hệ thống quản lý chất lượng tại Chi cục.",
         ["Chi cục duy trì áp dụng hệ thống quản lý chất lượng trong giải quyết thủ tục hành chính."]),
    ]
    built = {}
    for index, (key, code, author, title, abstract, body) in enumerate(plan):
        position, unit_name = _post(author)
        built[key] = services_reviews.presentation_submit(
            actor=officer, conference=conference, unit=units[code], title=title, abstract=abstract,
            authors=[{"person": author, "name": author.full_name, "affiliation": f"{position}, {unit_name}" if position else unit_name}],
            file=SimpleUploadedFile(f"Tham luan {author.full_name}.docx", _docx(title, author.full_name, body)),
        )
        Presentation.objects.filter(pk=built[key].pk).update(submitted_at=_at(datetime.date(2020, 7, 20 + index), 9), created_at=_at(datetime.date(2020, 7, 20 + index), 9))
    return built


def _reviews(data, conference: Conference, presentations: dict[str, Presentation]) -> None:
    reviewers = [data.users["hoidong2"], data.users["hoidong3"]]
    criteria = list(conference.criteria.all())
    marks = {"vp": ([36, 35, 17], [34, 36, 18]), "ttud": ([30, 24, 15], [28, 22, 16]), "qlkh": ([37, 36, 18], [38, 35, 17]),
             "tdc": ([20, 25, 14], [18, 22, 15])}
    advice = {"vp": ("accept", "Nêu được cách làm cụ thể, có thể nhân rộng."), "ttud": ("revise", "Cần bổ sung số liệu về các mô hình đã chuyển giao."),
              "qlkh": ("accept", "Số liệu minh chứng rõ, thiết thực."), "tdc": ("reject", "Nội dung chuyên ngành hẹp, ít gắn với công tác thi đua.")}
    for key, presentation in presentations.items():
        for reviewer, points in zip(reviewers, marks[key], strict=True):
            recommendation, comment = advice[key]
            review, _created = services_reviews.review_submit(actor=reviewer, presentation=presentation, recommendation=recommendation,
                                                              comment=comment, scores=dict(zip([c.pk for c in criteria], points, strict=True)))
            Review.objects.filter(pk=review.pk).update(submitted_at=_at(datetime.date(2020, 7, 29), 15), updated_at=_at(datetime.date(2020, 7, 29), 15))


def _decide(officer, presentations: dict[str, Presentation], reviewers) -> None:
    services_reviews.presentation_decide(actor=officer, presentation=presentations["vp"], to="accepted",
                                         message="Tham luận được chọn trình bày tại Hội nghị (15 phút).")
    services_reviews.presentation_decide(actor=officer, presentation=presentations["qlkh"], to="accepted",
                                         message="Tham luận được chọn trình bày tại Hội nghị (15 phút).")
    services_reviews.presentation_decide(actor=officer, presentation=presentations["tdc"], to="rejected",
                                         message="Nội dung chuyên ngành hẹp; đề nghị Chi cục giới thiệu tại hội nghị chuyên đề về tiêu chuẩn, chất lượng.")
    services_reviews.presentation_decide(actor=officer, presentation=presentations["ttud"], to="revisions_required",
                                         message="Bổ sung số liệu về các mô hình đã chuyển giao và kết quả nhân rộng.")
    revised = services_reviews.presentation_resubmit(
        actor=officer, presentation=presentations["ttud"],
        abstract=presentations["ttud"].abstract + " Bổ sung: 12 mô hình đã chuyển giao, 5 mô hình được nhân rộng ra các huyện.",
    )
    criteria = list(revised.conference.criteria.all())
    for reviewer, points in zip(reviewers, ([34, 33, 16], [33, 34, 17]), strict=True):
        services_reviews.review_submit(actor=reviewer, presentation=revised, recommendation="accept", comment="Đã bổ sung số liệu đầy đủ.",
                                       scores=dict(zip([c.pk for c in criteria], points, strict=True)))
    services_reviews.presentation_decide(actor=officer, presentation=revised, to="accepted",
                                         message="Tham luận đã bổ sung được chọn trình bày tại Hội nghị (15 phút).")
    moments = {"vp": datetime.date(2020, 8, 3), "qlkh": datetime.date(2020, 8, 3), "tdc": datetime.date(2020, 8, 3), "ttud": datetime.date(2020, 8, 5)}
    for key, day in moments.items():
        Presentation.objects.filter(pk=presentations[key].pk).update(decided_at=_at(day, 16), updated_at=_at(day, 16))
    Presentation.objects.filter(pk=revised.pk).update(submitted_at=_at(datetime.date(2020, 8, 4), 10))
    Review.objects.filter(presentation=revised, updated_at__gt=_at(DAY, 0)).update(updated_at=_at(datetime.date(2020, 8, 5), 9))


def _agenda(officer, conference: Conference, presentations: dict[str, Presentation], data) -> None:
    report_by = _head(data.units["SKHCN_TG_VP"])
    report_speaker = f"{report_by.full_name}, Chánh Văn phòng Sở" if report_by else "Chánh Văn phòng Sở"
    director = "Ông Dương Văn Bon, Giám đốc Sở Khoa học và Công nghệ"
    items = [
        ("07:30", "08:00", "opening", "Đón tiếp đại biểu; văn nghệ chào mừng", "Ban Tổ chức", None),
        ("08:00", "08:10", "opening", "Tuyên bố lý do, giới thiệu đại biểu", "Ban Tổ chức", None),
        ("08:10", "08:40", "period_report", "Báo cáo tổng kết phong trào thi đua yêu nước giai đoạn 2015 – 2020, phương hướng, nhiệm vụ giai đoạn 2020 – 2025",
         report_speaker, None),
        ("08:40", "08:55", "presentation", "", "", presentations["vp"]),
        ("08:55", "09:10", "presentation", "", "", presentations["ttud"]),
        ("09:10", "09:25", "presentation", "", "", presentations["qlkh"]),
        ("09:25", "09:40", "break", "Giải lao", "", None),
        ("09:40", "10:05", "award_ceremony", "Công bố quyết định và trao Giấy khen cho các tập thể, cá nhân điển hình tiên tiến giai đoạn 2015 – 2020",
         director, None),
        ("10:05", "10:30", "speech", "Phát biểu chỉ đạo", director, None),
        ("10:30", "10:40", "launch", "Phát động phong trào thi đua yêu nước giai đoạn 2020 – 2025", director, None),
        ("10:40", "10:50", "closing", "Bế mạc hội nghị", "Ban Tổ chức", None),
    ]
    for start, end, kind, title, speaker, presentation in items:
        services_conferences.agenda_item_add(
            actor=officer, conference=conference, title=title, kind=kind, speaker=speaker, presentation=presentation,
            starts_at=datetime.time.fromisoformat(start), ends_at=datetime.time.fromisoformat(end),
        )


def _delegates(data, conference: Conference, officer, decision: Decision) -> None:
    """Leaders, heads of the offices, the honourees (a head for each collective) and two guests; RSVP and
    the check-in at the door."""
    units = data.units
    people: list[Person] = [data.people["director"]]
    people += [employment.person for employment in Employment.objects.filter(unit=units["SKHCN_TG"], position="Phó Giám đốc Sở", start_date__lte=DAY)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=DAY)).select_related("person").order_by("person__sort_key")]
    for code in ("SKHCN_TG_VP", "SKHCN_TG_TTRA", "SKHCN_TG_KHTC", "SKHCN_TG_QLKH", "SKHCN_TG_QLCN", "SKHCN_TG_TDC", "SKHCN_TG_TTTK", "SKHCN_TG_TTUD"):
        head = _head(units[code])
        if head is not None:
            people.append(head)
    for line in decision.recipients.order_by("order"):
        if line.person_id:
            people.append(line.person)
    seen, invitations = set(), []
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        position, unit_name = _post(person)
        invitations.append(services_conferences.invitation_add(actor=officer, conference=conference, person=person, name=person.full_name,
                                                               position=position, organisation=unit_name))
    guests = [("Trần Minh Tâm", "Phó Trưởng Ban Thi đua – Khen thưởng", "Sở Nội vụ tỉnh Tiền Giang"),
              ("Lê Thị Thu Hà", "Chuyên viên Ban Thi đua – Khen thưởng", "Sở Nội vụ tỉnh Tiền Giang")]
    for name, position, organisation in guests:
        invitations.append(services_conferences.invitation_add(actor=officer, conference=conference, name=name, position=position,
                                                               organisation=organisation, kind="guest"))
    Invitation.objects.filter(conference=conference).update(created_at=_at(datetime.date(2020, 8, 4), 10))
    # Answers: all but two come (a deputy director and a head of office are away on duty); one internal delegate who
    # said yes does not turn up; canbo (one of the honourees) never answered, but came.
    canbo = data.users["canbo"].person_id
    honoured = {line.person_id for line in decision.recipients.all()}
    others = [i for i in invitations if i.person_id and i.person_id not in honoured and i.person_id != data.people["director"].pk]
    declined, absent = others[:1] + others[-1:], others[-2]
    for invitation in invitations:
        if invitation.person_id == canbo:
            continue
        services_conferences.invitation_rsvp(invitation=invitation, answer="declined" if invitation in declined else "attending")
    Invitation.objects.filter(conference=conference).exclude(rsvp="pending").update(rsvp_at=_at(datetime.date(2020, 8, 6), 9))
    arriving = [i for i in invitations if i not in declined and i is not absent]
    for index, invitation in enumerate(arriving):
        services_conferences.check_in(actor=officer, conference=conference, token=invitation.token)
        minute = 5 + index * 35 // max(1, len(arriving))
        Invitation.objects.filter(pk=invitation.pk).update(checked_in_at=_at(DAY, 7, minute))


def _registry(data, conference: Conference, officer, decision: Decision) -> None:
    """The honourees' consent (paper forms written down by the officer), stories with photos, a replication,
    and publication on the honour board."""
    canbo = data.users["canbo"].person_id
    exemplars = {(exemplar.person_id or exemplar.collective_id, bool(exemplar.collective_id)): exemplar
                 for exemplar in Exemplar.objects.filter(source_conference=conference)}
    lines = list(decision.recipients.order_by("order"))
    individuals = [exemplars[(line.person_id, False)] for line in lines if line.person_id]
    collectives = [exemplars[(line.unit_id, True)] for line in lines if line.unit_id]
    declining = next(exemplar for exemplar in reversed(individuals) if exemplar.person_id != canbo)
    storied = [exemplar for exemplar in individuals if exemplar.person_id not in (canbo, declining.person_id)][:2]
    for exemplar in individuals + collectives:
        services.exemplar_publish(actor=officer, exemplar=exemplar, published=True)
        if exemplar.person_id in (canbo, declining.person_id) and not exemplar.collective_id:
            continue  # canbo decides himself; one holder declined publication
        fields = ["name", "unit", "awards"]
        if exemplar in storied or exemplar in collectives:
            fields += ["story", "photos", "replications"]
        services.exemplar_consent_set(actor=officer, exemplar=exemplar, fields=fields, note=CONSENT_NOTE)
    stories = []
    for exemplar in storied:
        position, unit_name = _post(exemplar.person)
        stories.append((exemplar, f"{exemplar.person.full_name} nhận Giấy khen", (140, 30, 24),
                        f"<p>Là {position.lower() if position else 'công chức'} của {unit_name}, {exemplar.person.full_name} luôn hoàn thành xuất sắc "
                        "nhiệm vụ được giao trong suốt giai đoạn 2015 – 2020.</p><h3>Cách làm</h3><ul><li>Chủ động đề xuất cải tiến quy trình "
                        "công việc của đơn vị.</li><li>Hỗ trợ đồng nghiệp ứng dụng công nghệ thông tin trong xử lý văn bản.</li></ul>"))
    for exemplar in collectives:
        stories.append((exemplar, f"Tập thể {exemplar.collective.name}", (31, 95, 168),
                        f"<p>Tập thể {exemplar.collective.name} đoàn kết, hoàn thành xuất sắc nhiệm vụ giai đoạn 2015 – 2020.</p>"
                        "<blockquote>Mỗi công chức một việc làm sáng tạo, mỗi năm một kết quả được ứng dụng.</blockquote>"))
    for exemplar, caption, colour, body in stories:
        photo = services.exemplar_photo_add(actor=officer, exemplar=exemplar, file=SimpleUploadedFile("anh.jpg", _photo(caption, colour)),
                                            alt_text=f"{caption} tại Hội nghị điển hình tiên tiến ngày 10/08/2020", caption="Hội nghị ngày 10/08/2020")
        services.exemplar_update(actor=officer, exemplar=exemplar, story_html=(
            f'{body}<figure><img src="/vinh-danh/anh/{photo.pk}/" alt="{photo.alt_text}"><figcaption>{photo.caption}</figcaption></figure>'))
        ExemplarPhoto.objects.filter(pk=photo.pk).update(uploaded_at=_at(datetime.date(2020, 8, 11), 9))
    centre = next((exemplar for exemplar in collectives if exemplar.collective.code == "SKHCN_TG_TTUD"), collectives[0])
    row = services.replication_add(actor=officer, exemplar=centre, adopter="Trung tâm Khuyến nông tỉnh Tiền Giang", place="huyện Chợ Gạo",
                                   adopted_on=datetime.date(2021, 3, 15),
                                   result="Mô hình chuyển giao tiến bộ kỹ thuật của Trung tâm được áp dụng trên 120 ha lúa, giảm 20% chi phí thuốc bảo vệ thực vật.")
    Replication.objects.filter(pk=row.pk).update(created_at=_at(datetime.date(2021, 4, 2), 9))
    Exemplar.objects.filter(source_conference=conference).update(created_at=_at(DAY, 11), updated_at=_at(datetime.date(2020, 8, 11), 9),
                                                                 confirmed_at=_at(DAY, 11))
    ExemplarConsent.objects.filter(exemplar__source_conference=conference).update(at=_at(datetime.date(2020, 8, 11), 8))


def _dated(conference: Conference, decision: Decision) -> None:
    moments = {"open_for_submissions": _at(datetime.date(2020, 7, 1), 9), "programme_published": _at(datetime.date(2020, 8, 6), 10),
               "held": _at(DAY, 11, 30), "reported": _at(datetime.date(2020, 8, 12), 15)}
    for step in ConferenceTransition.objects.filter(conference=conference):
        ConferenceTransition.objects.filter(pk=step.pk).update(at=moments[step.to_status])
    Conference.objects.filter(pk=conference.pk).update(created_at=_at(datetime.date(2020, 6, 25), 9), updated_at=moments["reported"])
    ReviewerAssignment.objects.filter(conference=conference).update(assigned_at=_at(datetime.date(2020, 7, 1), 9, 30))
    GeneratedDocument.objects.filter(content_type__app_label="exemplars", object_id=str(conference.pk)).update(created_at=moments["reported"])
    DecisionPublication.objects.filter(decision=decision).update(published_at=_at(datetime.date(2020, 8, 11), 8))


def conference_2020(data) -> Conference:
    officer = data.users["vanphong"]
    department = data.units["SKHCN_TG"]
    decision = _decision(data)
    documents = [LegalDocument.objects.get(number=number) for number in ("204/KH-UBND", "140/HD-SNV")]
    conference = services_conferences.conference_create(
        actor=officer, organising_unit=department, title=TITLE, held_on=DAY, starts_at=datetime.time(7, 30), venue=VENUE,
        period_start=2015, period_end=2020, legal_bases=documents, purposes=PURPOSES, submission_deadline=datetime.date(2020, 7, 31),
        blind_review=True, criteria=CRITERIA, speaker_name="Dương Văn Bon", speaker_title="Giám đốc Sở Khoa học và Công nghệ",
    )
    services_conferences.conference_transition(actor=officer, conference=conference, to="open_for_submissions")
    reviewers = [data.users["hoidong2"], data.users["hoidong3"]]
    for reviewer in reviewers:
        services_conferences.reviewer_assign(actor=officer, conference=conference, user=reviewer)

    presentations = _presentations(data, conference, officer)
    _reviews(data, conference, presentations)
    _decide(officer, presentations, reviewers)
    services_conferences.conference_decisions_set(actor=officer, conference=conference, decisions=[decision])
    movement = Movement.objects.get(launching_unit=department, title="Phong trào thi đua yêu nước giai đoạn 2020 – 2025")
    services_conferences.conference_movement_link(actor=officer, conference=conference, movement=movement)
    services_conferences.conference_speech_set(actor=officer, conference=conference, speaker_name="Dương Văn Bon",
                                               speaker_title="Giám đốc Sở Khoa học và Công nghệ", speech_text=SPEECH)
    _agenda(officer, conference, presentations, data)
    services_conferences.conference_transition(actor=officer, conference=conference, to="programme_published")
    _delegates(data, conference, officer, decision)

    services_conferences.conference_transition(actor=officer, conference=conference, to="held", on=DAY)
    services.decision_publish(actor=officer, decision=decision)
    _registry(data, conference, officer, decision)
    services_conferences.conference_update(
        actor=officer, conference=conference, outcome=OUTCOME, report_number="48/BC-SKHCN", report_date=datetime.date(2020, 8, 12),
        report_signer_title="GIÁM ĐỐC", report_signer_name="Dương Văn Bon", news_byline="Bảo Sơn (Văn phòng Sở)",
        report_recipients=["Ban Thi đua – Khen thưởng tỉnh (b/c)", "Sở Nội vụ (b/c)", "Giám đốc, các Phó Giám đốc Sở", "Các phòng, đơn vị thuộc Sở",
                           "Lưu: VT, VP"],
    )
    services_conferences.conference_transition(actor=officer, conference=conference, to="reported")
    _dated(conference, decision)

    # Today: a proposal of the successor office for 2021–2025, waiting for the officer.
    head = data.people["qlkh_head"]
    services.exemplar_propose(
        actor=data.users["truongphong"], person=head, headline="Điển hình trong chuyển đổi số quản lý nhiệm vụ khoa học và công nghệ",
        field_of_work="Quản lý khoa học", period_start=2021, period_end=2025,
        summary="Chủ trì đưa toàn bộ hồ sơ đăng ký, xét chọn, nghiệm thu nhiệm vụ khoa học và công nghệ lên môi trường số.",
        story_html="<p>Từ năm 2021, phòng tiếp nhận hồ sơ nhiệm vụ khoa học và công nghệ hoàn toàn trực tuyến.</p>",
        awards=list(head.awards.filter(revoked=False, period_end__gte=2021)),
    )
    return conference
