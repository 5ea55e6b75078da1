"""Movements built through the real services, for the movement pages' tests."""

import datetime

from thidua.common.services import legal_document_create
from thidua.movements import services
from thidua.rules.models import AwardType

SEED_TASKS = [
    "Tăng cường sự lãnh đạo của Đảng ủy, phối hợp với Công đoàn, Chi đoàn",
    "Tuyên truyền, phổ biến các quy định về thi đua, khen thưởng",
    "Thi đua theo đợt gắn với nhiệm vụ chuyên môn, cải cách hành chính, ứng dụng công nghệ thông tin",
    "Sơ kết, tổng kết kịp thời, khen thưởng kịp thời",
    "Các đơn vị phát động phong trào với nội dung riêng",
    "Gắn phong trào với nhiệm vụ trọng tâm của ngành",
]


def awards(*codes):
    return [AwardType.objects.get(code=code) for code in codes]


def make_movement(actor, unit, **fields):
    """A draft movement of ``unit`` over 2020–2025 with the seed's six focus tasks."""
    values = {
        "title": "Thi đua yêu nước giai đoạn 2020–2025",
        "kind": "thuong_xuyen",
        "launching_unit": unit,
        "start": datetime.date(2020, 8, 10),
        "end": datetime.date(2025, 12, 31),
        "purpose": "Động viên toàn thể công chức, viên chức thi đua hoàn thành xuất sắc nhiệm vụ.",
        "content": "Thi đua thực hiện thắng lợi nhiệm vụ chính trị của ngành.",
        "registration_deadline": datetime.date(2020, 9, 30),
        "tasks": SEED_TASKS,
    }
    values.update(fields)
    return services.movement_create(actor=actor, **values)


def launch(actor, movement, on=None):
    return services.movement_transition(actor=actor, movement=movement, to="launched", on=on)


def make_document(unit=None, *, number="204/KH-UBND", issued_on=datetime.date(2019, 7, 12), **fields):
    return legal_document_create(
        actor=None,
        number=number,
        issued_on=issued_on,
        issuer=fields.pop("issuer", "Ủy ban nhân dân tỉnh Tiền Giang"),
        title=fields.pop("title", "Tổ chức Hội nghị điển hình tiên tiến giai đoạn 2015–2020"),
        unit=unit,
        **fields,
    )
