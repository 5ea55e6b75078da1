"""Demo stage for decisions (issue 7): the Director's decision giving Giấy khen to the seed's 02 collectives
and 14 individuals, ahead of the conference of 10/08/2020.

- The council approved them on 05/08/2020 (``council_data``); the emulation officer (``vanphong``) drafts one
  combined decision from the approved nominees on 06/08/2020, with its legal bases (the Law, Decree 91/2017,
  plan 204/KH-UBND and guidance 140/HD-SNV from the document register, the council's meeting), submits it;
  the Director (``giamdoc``) approves it and it is issued on 07/08/2020.
- Its number continues the department's register of outgoing documents for 2020: the decisions of the
  demo's register dated that year before 07/08/2020 (the January decisions on the 2019 titles, the
  initiative recognitions) used numbers up to N, so the system gives N + 1 (``services.numbering_continue``).
- Issuing writes the 16 awards into the register with their money (Giấy khen: 0.3 / 0.6 × 1,490,000 đ,
  rounded up to 450,000 / 900,000 đ), creates the certificates with their verification codes, and the
  four dossiers move to ``decided``. The certificates (one PDF) and the payment list (XLSX and PDF) are
  generated and kept; a calibrated blank (phôi) of the department is there for printing on blanks.

Services stamp "now"; as in the earlier stages the 2020 dates are written back onto the rows they stamped
(``QuerySet.update``). An issued decision refuses ``save()``; ``update()`` is used for the dates only.
"""

import datetime
import re

from django.utils import timezone

from thidua.common.documents import store_generated
from thidua.common.models import GeneratedDocument, LegalDocument
from thidua.decisions import certificates, documents, payments, services
from thidua.decisions.enums import Grouping
from thidua.decisions.models import CertificateBatch, Decision, DecisionTransition
from thidua.nominations.enums import NomineeStatus
from thidua.nominations.models import Nominee
from thidua.records.models import AwardRecord, Initiative

DRAFT_DAY = datetime.date(2020, 8, 6)
DECISION_DAY = datetime.date(2020, 8, 7)
COUNCIL_DAY = datetime.date(2020, 8, 5)
ACHIEVEMENT = "đã có thành tích xuất sắc trong phong trào thi đua yêu nước giai đoạn 2015–2020"
BASES_BEFORE = [
    "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, "
    "Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013;",
    "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số điều "
    "của Luật Thi đua, khen thưởng;",
]
BASES_AFTER = [f"Căn cứ kết quả họp Hội đồng Thi đua – Khen thưởng Sở ngày {COUNCIL_DAY:%d/%m/%Y};"]
PUBLIC_URL = "http://127.0.0.1:8000"  # where ``scripts/demo`` serves the verification page
_NUMBER = re.compile(r"^(\d+)/QĐ-SKHCN$")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _numbers_used_before(day: datetime.date) -> int:
    """The highest decision number of the department in the demo's records dated that year before ``day``."""
    used = [0]
    for number in AwardRecord.objects.filter(decision_date__year=day.year, decision_date__lt=day).values_list("decision_number", flat=True):
        match = _NUMBER.match(number)
        if match:
            used.append(int(match.group(1)))
    for number in Initiative.objects.filter(recognized_on__year=day.year, recognized_on__lt=day).values_list("recognizing_decision", flat=True):
        match = _NUMBER.match(number)
        if match:
            used.append(int(match.group(1)))
    return max(used)


def _dated(decision: Decision, moments: dict[str, datetime.datetime]) -> None:
    """Write the 2020 moments onto the decision, its history rows and its generated documents."""
    Decision.objects.filter(pk=decision.pk).update(
        created_at=moments["draft"], updated_at=moments["issued"], submitted_at=moments["submitted"],
        approved_at=moments["approved"], issued_at=moments["issued"],
    )
    for step in DecisionTransition.objects.filter(decision=decision):
        DecisionTransition.objects.filter(pk=step.pk).update(at=moments[{"submitted": "submitted", "approved": "approved"}.get(step.to_status, "issued")])
    GeneratedDocument.objects.filter(content_type__app_label="decisions", content_type__model="decision", object_id=str(decision.pk)).update(
        created_at=moments["issued"])


def decision_2020(data) -> Decision:
    officer, director = data.users["vanphong"], data.users["giamdoc"]
    department = data.units["SKHCN_TG"]
    nominees = list(Nominee.objects.filter(pk__in=[nominee.pk for nominee in data.seed_nominees], status=NomineeStatus.APPROVED))
    if len(nominees) != 16:
        raise RuntimeError(f"The decisions stage needs the council stage's 16 approved nominees (found {len(nominees)}).")

    services.numbering_continue(actor=officer, unit=department, year=DECISION_DAY.year, last=_numbers_used_before(DECISION_DAY),
                                note="Số quyết định năm 2020 tiếp nối sổ đăng ký văn bản đi của Sở")
    register = [LegalDocument.objects.filter(number=number).first() for number in ("204/KH-UBND", "140/HD-SNV")]
    (decision,) = services.decisions_draft_from_nominees(
        actor=officer, nominees=nominees, grouping=Grouping.COMBINED, decision_date=DECISION_DAY, with_annex=True,
        achievement=ACHIEVEMENT, bases=[*BASES_BEFORE, *[document for document in register if document], *BASES_AFTER],
        subject=f"Về việc tặng Giấy khen cho các tập thể, cá nhân {ACHIEVEMENT}",
        proposal="Xét đề nghị của Chánh Văn phòng Sở,",
        executors="Chánh Văn phòng Sở, Trưởng các phòng, đơn vị trực thuộc Sở và các tập thể, cá nhân có tên tại Điều 1 chịu "
                  "trách nhiệm thi hành Quyết định này.",
        distribution=["Như Điều 3", "Ban Thi đua – Khen thưởng tỉnh (b/c)", "Lưu: VT, VP"],
    )
    services.decision_transition(actor=officer, decision=decision, to="submitted")
    services.decision_transition(actor=director, decision=decision, to="approved")
    decision = services.decision_issue(actor=officer, decision=decision, decision_date=DECISION_DAY,
                                       note="Ban hành trước Hội nghị điển hình tiên tiến ngày 10/08/2020")

    # The certificates for the conference, the payment list for the accountant; a blank of the department.
    batch = certificates.certificate_batch_start(actor=officer, decision=decision, mode="full", base_url=PUBLIC_URL, inline=True)
    for content, name in ((payments.payments_xlsx(decision), "xlsx"), (payments.payments_pdf(decision), "pdf")):
        store_generated(obj=decision, kind=f"chi_tien_thuong_{name}", filename=f"chi-tien-thuong-{decision.number:02d}-2020-skhcn.{name}",
                        content=content, actor=officer)
    certificates.template_save(actor=officer, unit=department, name="Phôi Giấy khen của Giám đốc Sở (297 × 210 mm)", width_mm=297,
                               height_mm=210, fields={})
    try:
        documents.decision_pdf(decision, actor=officer)
    except documents.ConversionError:
        pass  # without LibreOffice the PDF is made on first download (or by db_worker)
    moments = {"draft": _at(DRAFT_DAY, 9), "submitted": _at(DRAFT_DAY, 15, 30), "approved": _at(DECISION_DAY, 8, 15),
               "issued": _at(DECISION_DAY, 10)}
    _dated(decision, moments)
    CertificateBatch.objects.filter(pk=batch.pk).update(created_at=_at(DECISION_DAY, 14), finished_at=_at(DECISION_DAY, 14))
    return decision
