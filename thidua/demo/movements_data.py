"""Demo stage for emulation movements (issue 4), built through the services like the rest of the demo.

- The 2015–2020 movement of the Tiền Giang Sở KH&CN, with its yearly rounds 2016–2020 and its final
  review (tổng kết), closed on 10/8/2020 at the exemplar conference of the seed.
- The 2020–2025 movement launched at that conference on 10/8/2020 with the six focus tasks the Director
  named, resting on plan 204/KH-UBND and guidance 140/HD-SNV; offices registered; a mid-term review
  (sơ kết 2020–2022) with one report missing.
- The 2026 round of the Đồng Tháp successor department, open for registration, and an emulation cluster
  of departments with a covenant and scores.
"""

import datetime
from decimal import Decimal

from thidua.common.models import LegalDocument
from thidua.movements import services as movements
from thidua.movements import services_clusters as clusters
from thidua.movements.models import Movement
from thidua.rules.models import AwardType

SEED_TASKS_2020_2025 = [
    "Tăng cường sự chỉ đạo của Đảng ủy, sự phối hợp giữa chính quyền và đoàn thể trong triển khai thực hiện các phong trào thi đua yêu nước giai đoạn 2020 – 2025.",
    "Đẩy mạnh công tác tuyên truyền, phổ biến kịp thời, đầy đủ các văn bản của nhà nước về thi đua, khen thưởng nhằm nâng cao nhận thức của công chức, viên chức và người lao động trong công tác thi đua, khen thưởng.",
    "Xây dựng và phát động nhiều đợt thi đua hằng năm, gắn nội dung thi đua hoàn thành tốt nhiệm vụ chuyên môn với việc thực hiện Chỉ thị 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, cải cách hành chính, ứng dụng công nghệ thông tin vào hoạt động của cơ quan nhà nước, thực hiện văn hóa công sở; có sơ kết, tổng kết và khen thưởng kịp thời.",
    "Đẩy mạnh hoạt động thi đua tại đơn vị cơ sở: từng đơn vị xây dựng nội dung thi đua cụ thể cho từng thời điểm, phù hợp với tình hình, đặc điểm của đơn vị.",
    "Lãnh đạo các phòng, đơn vị và các tổ chức đoàn thể tăng cường phối hợp chặt chẽ, tạo sức mạnh tổng hợp trong chỉ đạo và tổ chức thực hiện các phong trào thi đua.",
    "Gắn kết các phong trào thi đua yêu nước với việc thực hiện các nhiệm vụ chuyên môn trọng tâm của ngành khoa học và công nghệ giai đoạn 2020 – 2025.",
]

CRITERIA = [
    ("Thực hiện nhiệm vụ chuyên môn được giao", Decimal("40")),
    ("Cải cách hành chính, ứng dụng công nghệ thông tin", Decimal("20")),
    ("Công tác thi đua, khen thưởng", Decimal("15")),
    ("Xây dựng Đảng, đoàn thể, văn hóa công sở", Decimal("15")),
    ("Sáng kiến, đề tài được áp dụng", Decimal("10")),
]

LEGAL_DOCUMENTS = [
    ("204/KH-UBND", datetime.date(2019, 7, 12), "Ủy ban nhân dân tỉnh Tiền Giang",
     "Kế hoạch tổ chức Hội nghị điển hình tiên tiến các cấp tiến tới Đại hội Thi đua yêu nước tỉnh Tiền Giang lần thứ VI năm 2020"),
    ("140/HD-SNV", datetime.date(2019, 8, 22), "Sở Nội vụ tỉnh Tiền Giang",
     "Hướng dẫn tổ chức hội nghị điển hình tiên tiến các cấp tiến tới Đại hội Thi đua yêu nước cấp tỉnh lần thứ VI năm 2020"),
    ("05-CT/TW", datetime.date(2016, 5, 15), "Bộ Chính trị",
     "Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
]


def _awards(*codes: str) -> list[AwardType]:
    return list(AwardType.objects.filter(code__in=codes))


def _register_offices(data, movement: Movement, offices: list[str], officer, *, with_people: bool) -> None:
    """Each office registers itself for TTLĐTT and, while its staff still work there, each person for
    LĐTT (and CSTĐCS for the office head)."""
    ldtt, cstdcs, ttldtt = (AwardType.objects.get(code=code) for code in ("LDTT", "CSTDCS", "TTLDTT"))
    for code in offices:
        unit = data.units[code]
        people_awards = {}
        if with_people:
            for person in unit.current_people.order_by("sort_key"):
                heads = person.current_position.startswith(("Trưởng", "Chánh", "Giám đốc"))
                people_awards[person] = [ldtt, cstdcs] if heads else [ldtt]
        movements.registration_bulk(
            actor=officer, movement=movement, unit=unit, people_awards=people_awards, unit_awards=[ttldtt],
            commitment="Hoàn thành xuất sắc nhiệm vụ được giao; 100% cá nhân hoàn thành nhiệm vụ, không có cá nhân vi phạm kỷ luật.",
        )


def movements_2015_2025(data) -> None:
    officer = data.users["vanphong"]
    department = data.units["SKHCN_TG"]
    documents = {}
    for number, issued_on, issuer, title in LEGAL_DOCUMENTS:
        documents[number] = LegalDocument.objects.create(
            number=number, issued_on=issued_on, issuer=issuer, title=title,
            unit=data.units["UBND_TG"] if issuer.startswith("Ủy ban") else None,
        )

    # ------------------------------------------------------------ 2015–2020, with rounds, closed 10/8/2020
    period = movements.movement_create(
        actor=officer, title="Phong trào thi đua yêu nước giai đoạn 2015 – 2020", kind="thuong_xuyen",
        launching_unit=department, start=datetime.date(2015, 1, 1), end=datetime.date(2020, 12, 31),
        purpose="Động viên công chức, viên chức, người lao động thi đua hoàn thành xuất sắc nhiệm vụ ngành khoa học và công nghệ giai đoạn 2015 – 2020.",
        content="Thi đua thực hiện thắng lợi kế hoạch phát triển khoa học và công nghệ 5 năm 2015 – 2020 của tỉnh.",
        tasks=["Hoàn thành xuất sắc nhiệm vụ chuyên môn", "Đẩy mạnh ứng dụng tiến bộ khoa học và công nghệ vào sản xuất, đời sống",
               "Cải cách hành chính, xây dựng văn hóa công sở"],
        planned_awards=_awards("LDTT", "CSTDCS", "TTLDTT", "GIAY_KHEN", "BANG_KHEN_TINH"),
        legal_bases=[documents["05-CT/TW"]],
        registration_deadline=datetime.date(2015, 3, 31),
    )
    movements.movement_transition(actor=officer, movement=period, to="launched", on=datetime.date(2015, 1, 20))
    for year in range(2016, 2021):
        round_ = movements.movement_create(
            actor=officer, title=f"Đợt thi đua năm {year}", kind="theo_dot", launching_unit=department, parent=period,
            start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31) if year < 2020 else datetime.date(2020, 12, 31),
            content=f"Thi đua hoàn thành xuất sắc nhiệm vụ năm {year}.", tasks=[f"Hoàn thành các chỉ tiêu kế hoạch năm {year}"],
            planned_awards=_awards("LDTT", "CSTDCS", "TTLDTT"), registration_deadline=datetime.date(year, 3, 15),
        )
        movements.movement_transition(actor=officer, movement=round_, to="launched", on=datetime.date(year, 1, 15))
        movements.movement_transition(
            actor=officer, movement=round_, to="closed", on=datetime.date(year + 1, 1, 20),
            note=f"Tổng kết đợt thi đua năm {year}: các phòng, đơn vị hoàn thành kế hoạch; xét danh hiệu thi đua năm {year}.",
        )
    final = movements.review_request_create(
        actor=officer, movement=period, kind="tong_ket", title="Báo cáo tổng kết phong trào thi đua giai đoạn 2015 – 2020",
        period_start=datetime.date(2015, 1, 1), period_end=datetime.date(2020, 6, 30), deadline=datetime.date(2020, 7, 15),
        instructions="Báo cáo kết quả thực hiện phong trào, số danh hiệu đạt được, sáng kiến, đề xuất điển hình tiên tiến.",
    )
    for index, code in enumerate(["SKHCN_TG_VP", "SKHCN_TG_QLKH", "SKHCN_TG_QLCN", "SKHCN_TG_TDC", "SKHCN_TG_TTUD"]):
        movements.review_report_submit(
            actor=officer, request=final, unit=data.units[code], registrations_met=5 + index, titles_achieved=20 + 3 * index,
            initiatives=1 + index % 3, commendations=2 + index % 2,
            remarks="Đơn vị hoàn thành tốt các chỉ tiêu thi đua giai đoạn 2015 – 2020; đề xuất biểu dương điển hình tiên tiến.",
        )
    movements.movement_transition(
        actor=officer, movement=period, to="closed", on=datetime.date(2020, 8, 10),
        note=("Tổng kết tại Hội nghị điển hình tiên tiến ngày 10/8/2020: Giám đốc Sở tặng Giấy khen cho 02 tập thể và 14 cá nhân "
              "điển hình tiên tiến trong phong trào thi đua yêu nước giai đoạn 2015 – 2020."),
    )

    # ------------------------------------------------------------ 2020–2025, launched 10/8/2020
    current = movements.movement_create(
        actor=officer, title="Phong trào thi đua yêu nước giai đoạn 2020 – 2025", kind="thuong_xuyen",
        launching_unit=department, start=datetime.date(2020, 8, 10), end=datetime.date(2025, 12, 31),
        purpose=("Phát huy kết quả đạt được, nêu cao tinh thần thi đua yêu nước gắn với thực hiện nhiệm vụ giai đoạn 2020 – 2025; "
                 "phát hiện, bồi dưỡng và nhân rộng điển hình tiên tiến."),
        content="Giám đốc Sở phát động tại Hội nghị điển hình tiên tiến ngày 10/8/2020.",
        tasks=SEED_TASKS_2020_2025, criteria=CRITERIA,
        planned_awards=_awards("LDTT", "CSTDCS", "TTLDTT", "TTLDXS", "GIAY_KHEN", "BANG_KHEN_TINH", "CSTD_TINH"),
        legal_bases=[documents["204/KH-UBND"], documents["140/HD-SNV"], documents["05-CT/TW"]],
        registration_deadline=datetime.date(2020, 9, 30),
    )
    movements.movement_transition(actor=officer, movement=current, to="launched", on=datetime.date(2020, 8, 10))
    # Its staff have since moved to the Đồng Tháp units, so the 2020 registrations are kept as collectives.
    _register_offices(data, current, ["SKHCN_TG_VP", "SKHCN_TG_QLKH", "SKHCN_TG_KHTC", "SKHCN_TG_TTUD"], officer, with_people=False)
    mid_term = movements.review_request_create(
        actor=officer, movement=current, kind="so_ket", title="Báo cáo sơ kết phong trào thi đua giai đoạn 2020 – 2022",
        period_start=datetime.date(2020, 8, 10), period_end=datetime.date(2022, 12, 31), deadline=datetime.date(2023, 1, 15),
    )
    for code in ["SKHCN_TG_VP", "SKHCN_TG_QLKH", "SKHCN_TG_KHTC"]:
        movements.review_report_submit(
            actor=officer, request=mid_term, unit=data.units[code], registrations_met=6, titles_achieved=14, initiatives=2,
            commendations=3, remarks="Hoàn thành các nội dung đăng ký thi đua; tiếp tục đẩy mạnh cải cách hành chính.",
        )

    # ------------------------------------------------------------ 2026, the successor department, open now
    successor = data.units["SKHCN_DT"]
    round_2026 = movements.movement_create(
        actor=officer, title="Thi đua hoàn thành xuất sắc nhiệm vụ năm 2026", kind="theo_dot", launching_unit=successor,
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31),
        content="Thi đua thực hiện thắng lợi nhiệm vụ khoa học và công nghệ năm 2026 của tỉnh Đồng Tháp sau hợp nhất.",
        tasks=["Hoàn thành xuất sắc nhiệm vụ chuyên môn năm 2026", "Chuyển đổi số trong quản lý khoa học và công nghệ",
               "Ổn định tổ chức bộ máy sau hợp nhất"],
        criteria=CRITERIA, planned_awards=_awards("LDTT", "CSTDCS", "TTLDTT", "TTLDXS", "GIAY_KHEN"),
        registration_deadline=datetime.date(2026, 12, 15),
    )
    movements.movement_transition(actor=officer, movement=round_2026, to="launched", on=datetime.date(2026, 2, 2))
    _register_offices(data, round_2026, ["SKHCN_DT_QLKH"], officer, with_people=True)

    # ------------------------------------------------------------ a cluster of departments, 2026
    admin = data.users["admin"]
    members = [data.units[code] for code in ("SKHCN_DT", "SNV_DT", "SYT_DT")]
    cluster = clusters.cluster_create(
        actor=admin, name="Cụm thi đua các sở, ban, ngành tỉnh", kind="cum", year=2026, organizer=data.units["UBND_DT"],
        movement=None, members=members, head_unit=members[0], deputy_head_unit=members[1],
    )
    clusters.covenant_set(
        actor=admin, cluster=cluster, signed_on=datetime.date(2026, 2, 10),
        text="Các đơn vị trong cụm giao ước thi đua hoàn thành xuất sắc nhiệm vụ năm 2026, đẩy mạnh cải cách hành chính và chuyển đổi số.",
    )
