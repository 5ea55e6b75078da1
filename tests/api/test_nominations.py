"""The rounds and dossiers API: open a round, create a dossier with its nominees (all or nothing), read it,
attach documents (type, content and size checked), and move it through the workflow (409, 403)."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_person
from thidua.common.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.enums import AWARDER, NOMINATION_TRANSITIONS, AttachmentKind, NominationStatus
from thidua.nominations.models import Nomination, NominationAttachment, Nominee, Round
from thidua.records.services import rating_set
from thidua.rules.models import AwardType

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
REQUIRED = [AttachmentKind.COVER_LETTER, AttachmentKind.ACHIEVEMENT_REPORT, AttachmentKind.SCREENING_MINUTES]


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _error(field, message, kind="value_error"):
    return {
        "detail": [{"loc": ["body", field], "field": field, "msg": message, "type": kind}],
        "errors": {field: [message]},
    }


def _zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def _upload(client, nomination_id, name, content, kind="to_trinh"):
    return client.post(
        f"/api/v1/nominations/{nomination_id}/attachments",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def round_(officer, department):
    return services.round_create(
        actor=officer,
        awarding_unit=department,
        title="Xét khen thưởng năm 2025",
        period_start=2025,
        period_end=2025,
        opens_on=datetime.date(2025, 12, 1),
        submission_deadline=datetime.date(2026, 1, 10),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT", "GIAY_KHEN"]),
    )


@pytest.fixture
def nominee_person(office):
    person = make_person("Nguyễn Văn An", unit=office, recruited_on=datetime.date(2015, 1, 1))
    rating_set(actor=None, person=person, year=2025, rating="HTTNV")
    return person


@pytest.fixture
def dossier(manager_api, round_, nominee_person):
    """A complete draft dossier of the office, built through the API."""
    response = _post(
        manager_api,
        "/api/v1/nominations",
        {
            "round": round_.pk,
            "proposing_unit": "SKHCN_VP",
            "nominees": [
                {"person": nominee_person.pk, "award": "LDTT", "summary": "Hoàn thành tốt nhiệm vụ."}
            ],
        },
    )
    assert response.status_code == 201, response.json()
    nomination = Nomination.objects.get(pk=response.json()["id"])
    for kind in REQUIRED:
        assert _upload(manager_api, nomination.pk, f"{kind}.pdf", PDF, kind=kind).status_code == 201
    return nomination


def _transition(client, nomination, to, note="", items=None):
    return _post(
        client,
        f"/api/v1/nominations/{nomination.pk}/transitions",
        {"to": to, "note": note, "items": items or []},
    )


# ---------------------------------------------------------------- rounds


def test_round_create_returns_201_with_the_round(officer_api, department, office):
    response = _post(
        officer_api,
        "/api/v1/rounds",
        {
            "awarding_unit": "SKHCN",
            "title": "Xét khen thưởng năm 2025",
            "year": 2025,
            "track": "cong_trang",
            "simplified": False,
            "awards": ["LDTT", "GIAY_KHEN"],
            "units": ["SKHCN_VP"],
            "opens_on": "2025-12-01",
            "submission_deadline": "2026-01-10",
        },
    )
    assert response.status_code == 201
    body = response.json()
    round_ = Round.objects.get()
    assert body == {
        "id": round_.pk,
        "awarding_unit": "SKHCN",
        "title": "Xét khen thưởng năm 2025",
        "track": "cong_trang",
        "simplified": False,
        "period_start": 2025,
        "period_end": 2025,
        "awards": ["GIAY_KHEN", "LDTT"],
        "units": ["SKHCN_VP"],
        "movement": None,
        "opens_on": "2025-12-01",
        "submission_deadline": "2026-01-10",
        "status": "open",
    }


def test_round_create_takes_a_period_of_years(officer_api, department):
    response = _post(
        officer_api,
        "/api/v1/rounds",
        {
            "awarding_unit": "SKHCN",
            "title": "Bằng khen 2 năm",
            "period_start": 2024,
            "period_end": 2025,
            "awards": ["LDTT"],
            "opens_on": "2025-12-01",
            "submission_deadline": "2026-01-10",
        },
    )
    assert response.status_code == 201
    assert (response.json()["period_start"], response.json()["period_end"]) == (2024, 2025)


def test_round_create_422_for_unknown_award_missing_year_and_service_refusal(officer_api, department):
    base = {
        "awarding_unit": "SKHCN",
        "title": "Đợt xét",
        "year": 2025,
        "opens_on": "2025-12-01",
        "submission_deadline": "2026-01-10",
    }
    response = _post(officer_api, "/api/v1/rounds", {**base, "awards": ["KHONG_CO"]})
    assert response.status_code == 422
    assert response.json() == _error("awards", "Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”.")

    response = _post(officer_api, "/api/v1/rounds", {**base, "awards": []})
    assert response.status_code == 422
    assert response.json() == _error("awards", "Chọn ít nhất một danh hiệu hoặc hình thức khen thưởng.")

    no_year = {key: value for key, value in base.items() if key != "year"}
    response = _post(officer_api, "/api/v1/rounds", {**no_year, "awards": ["LDTT"]})
    assert response.status_code == 422
    assert response.json() == _error("year", "Gửi năm thành tích (year) hoặc period_start và period_end.")

    response = _post(
        officer_api, "/api/v1/rounds", {**base, "awards": ["LDTT"], "submission_deadline": "2025-11-01"}
    )
    assert response.status_code == 422
    assert response.json() == _error("submission_deadline", "Hạn nộp hồ sơ phải sau ngày bắt đầu nhận hồ sơ.")
    assert Round.objects.count() == 0


def test_round_create_403_without_appraise_and_404_outside_scope(
    manager_api, outsider_api, office, department
):
    body = {
        "title": "Đợt xét",
        "year": 2025,
        "awards": ["LDTT"],
        "opens_on": "2025-12-01",
        "submission_deadline": "2026-01-10",
    }
    response = _post(manager_api, "/api/v1/rounds", {**body, "awarding_unit": "SKHCN_VP"})
    assert response.status_code == 403
    response = _post(outsider_api, "/api/v1/rounds", {**body, "awarding_unit": "SKHCN"})
    assert response.status_code == 404
    assert Round.objects.count() == 0


def test_nominations_api_needs_a_token(round_):
    from django.test import Client

    response = Client().post("/api/v1/rounds", {}, content_type="application/json")
    assert response.status_code == 401


# ---------------------------------------------------------------- dossiers


def test_nomination_create_returns_201_with_the_dossier(manager_api, manager, round_, nominee_person, office):
    response = _post(
        manager_api,
        "/api/v1/nominations",
        {
            "round": round_.pk,
            "proposing_unit": "SKHCN_VP",
            "nominees": [
                {"person": nominee_person.pk, "award": "LDTT", "summary": "Hoàn thành tốt nhiệm vụ."},
                {"unit": "SKHCN_VP", "award": "GIAY_KHEN", "summary": "Tập thể đoàn kết."},
            ],
        },
    )
    assert response.status_code == 201
    body = response.json()
    nomination = Nomination.objects.get()
    nominees = list(nomination.nominees.order_by("id"))
    assert body["id"] == nomination.pk
    assert body["status"] == "draft"
    assert body["title"] == "Hồ sơ đề nghị khen thưởng của Văn phòng Sở"
    assert body["round"] == {
        "id": round_.pk,
        "title": "Xét khen thưởng năm 2025",
        "awarding_unit": "SKHCN",
        "period_start": 2025,
        "period_end": 2025,
    }
    assert body["proposing_unit"] == "SKHCN_VP"
    assert body["nominees"] == [
        {
            "id": nominees[0].pk,
            "person": nominee_person.pk,
            "unit": None,
            "household_name": "",
            "name": "Nguyễn Văn An",
            "award": "LDTT",
            "summary": "Hoàn thành tốt nhiệm vụ.",
            "status": "pending",
            "verdict": "",
            "verdict_reasons": [],
            "ruleset": "",
            "registered": None,
            "appraisal_note": "",
        },
        {
            "id": nominees[1].pk,
            "person": None,
            "unit": "SKHCN_VP",
            "household_name": "",
            "name": "Văn phòng Sở",
            "award": "GIAY_KHEN",
            "summary": "Tập thể đoàn kết.",
            "status": "pending",
            "verdict": "",
            "verdict_reasons": [],
            "ruleset": "",
            "registered": None,
            "appraisal_note": "",
        },
    ]
    assert body["documents"]["missing"] == [item["kind"] for item in body["documents"]["required"]]
    assert {"kind": "to_trinh", "label": "Tờ trình", "present": False} in body["documents"]["required"]
    assert body["documents"]["attachments"] == []
    assert body["history"] == []
    assert body["allowed_transitions"] == ["submitted", "withdrawn"]


def test_nomination_create_a_nominee_error_names_its_index_and_saves_nothing(
    manager_api, round_, nominee_person
):
    audit_before = AuditEntry.objects.count()
    response = _post(
        manager_api,
        "/api/v1/nominations",
        {
            "round": round_.pk,
            "proposing_unit": "SKHCN_VP",
            "nominees": [
                {"person": nominee_person.pk, "award": "LDTT"},
                {"person": nominee_person.pk, "award": "CSTDCS"},
            ],
        },
    )
    assert response.status_code == 422
    assert response.json() == _error("nominees.1.award", "Đợt xét không nhận đề nghị Chiến sĩ thi đua cơ sở.")
    assert (Nomination.objects.count(), Nominee.objects.count(), AuditEntry.objects.count()) == (
        0,
        0,
        audit_before,
    )


def test_nomination_create_422_for_unknown_award_duplicate_and_both_subjects(
    manager_api, round_, nominee_person
):
    def create(nominees):
        return _post(
            manager_api,
            "/api/v1/nominations",
            {"round": round_.pk, "proposing_unit": "SKHCN_VP", "nominees": nominees},
        )

    response = create([{"person": nominee_person.pk, "award": "KHONG_CO"}])
    assert response.status_code == 422
    assert response.json() == _error(
        "nominees.0.award", "Không có danh hiệu, hình thức khen thưởng mã “KHONG_CO”."
    )

    response = create(
        [{"person": nominee_person.pk, "award": "LDTT"}, {"person": nominee_person.pk, "award": "LDTT"}]
    )
    assert response.status_code == 422
    assert response.json() == _error(
        "nominees.1.award", "Đã được đề nghị Lao động tiên tiến trong đợt này (hồ sơ của Văn phòng Sở)."
    )

    response = create([{"person": nominee_person.pk, "unit": "SKHCN_VP", "award": "LDTT"}])
    assert response.status_code == 422
    assert response.json() == _error("nominees.0.person", "Gửi đúng một trong hai trường: person hoặc unit.")

    response = create([{"unit": "SKHCN_QLKH", "award": "GIAY_KHEN"}])
    assert response.status_code == 422
    assert response.json() == _error(
        "nominees.0.unit", "Không tìm thấy đơn vị mã “SKHCN_QLKH” trong phạm vi của bạn."
    )

    response = create([])
    assert response.status_code == 422
    assert response.json()["errors"] == {"nominees": ["Cần ít nhất một cá nhân hoặc tập thể được đề nghị."]}
    assert Nomination.objects.count() == 0


def test_nomination_create_403_without_propose_and_404_outside_scope(
    staff_api, outsider_api, round_, nominee_person
):
    body = {
        "round": round_.pk,
        "proposing_unit": "SKHCN_VP",
        "nominees": [{"person": nominee_person.pk, "award": "LDTT"}],
    }
    assert _post(staff_api, "/api/v1/nominations", body).status_code == 403
    assert _post(outsider_api, "/api/v1/nominations", body).status_code == 404
    assert Nomination.objects.count() == 0


def test_nomination_detail_shows_documents_history_and_the_callers_steps(
    manager_api, officer_api, manager, dossier
):
    assert _transition(manager_api, dossier, "submitted").status_code == 200
    response = officer_api.get(f"/api/v1/nominations/{dossier.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["submission_count"] == 1
    nominee = body["nominees"][0]
    assert nominee["verdict"] == "eligible"
    assert nominee["ruleset"]
    assert {reason["rule"] for reason in nominee["verdict_reasons"]} >= {"rating", "tenure", "pending"}
    assert body["documents"]["missing"] == []
    assert [item["kind"] for item in body["documents"]["required"]] == [str(kind) for kind in REQUIRED]
    assert all(item["present"] for item in body["documents"]["required"])
    assert len(body["documents"]["attachments"]) == 3
    [step] = body["history"]
    assert (step["from"], step["to"], step["by"], step["note"], step["items"]) == (
        "draft",
        "submitted",
        manager.username,
        "",
        [],
    )
    assert body["allowed_transitions"] == ["under_review", "returned", "withdrawn"]
    assert manager_api.get(f"/api/v1/nominations/{dossier.pk}").json()["allowed_transitions"] == ["withdrawn"]


def test_nomination_detail_404_outside_scope(outsider_api, staff_api, dossier):
    assert outsider_api.get(f"/api/v1/nominations/{dossier.pk}").status_code == 404
    assert staff_api.get(f"/api/v1/nominations/{dossier.pk}").status_code == 404
    assert outsider_api.get("/api/v1/nominations/999999").status_code == 404


# ---------------------------------------------------------------- attachments


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("to_trinh.pdf", PDF),
        ("bao_cao.docx", _zip("word/")),
        ("bang.xlsx", _zip("xl/")),
        ("anh.jpg", JPEG),
        ("anh.png", PNG),
    ],
)
def test_attachment_upload_accepts_the_five_types_with_sha256_and_size(
    manager_api, round_, nominee_person, name, content
):
    import hashlib

    nomination = services.nomination_create(
        actor=None, round=round_, proposing_unit=nominee_person.current_unit
    )
    response = _upload(manager_api, nomination.pk, name, content)
    assert response.status_code == 201
    attachment = NominationAttachment.objects.get()
    body = response.json()
    assert {key: body[key] for key in ("id", "kind", "name", "size", "sha256")} == {
        "id": attachment.pk,
        "kind": "to_trinh",
        "name": name,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG."),
        ("bao_cao.doc", b"\xd0\xcf\x11\xe0", "Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG."),
        (
            "doi_ten.pdf",
            b"MZ\x90\x00 not a pdf",
            "Nội dung tệp không đúng định dạng PDF; tệp có thể đã bị đổi tên.",
        ),
        ("bang.docx", _zip("xl/"), "Nội dung tệp không đúng định dạng DOCX; tệp có thể đã bị đổi tên."),
        ("anh.png", JPEG, "Nội dung tệp không đúng định dạng PNG; tệp có thể đã bị đổi tên."),
    ],
)
def test_attachment_upload_422_for_a_wrong_type_and_nothing_stored(
    manager_api, dossier, settings, name, content, message
):
    before = NominationAttachment.objects.count()
    stored_before = sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file())
    response = _upload(manager_api, dossier.pk, name, content)
    assert response.status_code == 422
    assert response.json() == _error("file", message)
    assert NominationAttachment.objects.count() == before
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == stored_before


def test_attachment_upload_422_for_a_file_over_20_mb_and_nothing_stored(
    manager_api, round_, office, settings
):
    nomination = services.nomination_create(actor=None, round=round_, proposing_unit=office)
    content = PDF + b"0" * (20 * 1024 * 1024 + 1 - len(PDF))
    response = _upload(manager_api, nomination.pk, "lon.pdf", content)
    assert response.status_code == 422
    assert response.json() == _error("file", "Tệp lớn hơn giới hạn 20 MB.")
    assert NominationAttachment.objects.count() == 0
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_attachment_upload_422_after_submission_and_404_for_others(
    manager_api, staff_api, outsider_api, dossier
):
    assert _transition(manager_api, dossier, "submitted").status_code == 200
    response = _upload(manager_api, dossier.pk, "them.pdf", PDF)
    assert response.status_code == 422
    assert response.json() == _error("file", "Chỉ bổ sung tài liệu vào hồ sơ dự thảo hoặc hồ sơ bị trả lại.")
    assert _upload(outsider_api, dossier.pk, "them.pdf", PDF).status_code == 404
    assert _upload(staff_api, dossier.pk, "them.pdf", PDF).status_code == 404
    assert NominationAttachment.objects.filter(nomination=dossier).count() == 3


def test_attachment_upload_422_for_an_unknown_kind(manager_api, dossier):
    response = _upload(manager_api, dossier.pk, "them.pdf", PDF, kind="khong_co")
    assert response.status_code == 422
    assert response.json()["errors"] == {"kind": ["Chọn loại tài liệu."]}


# ---------------------------------------------------------------- transitions


def _in_state(nomination, status):
    Nomination.objects.filter(pk=nomination.pk).update(status=status)
    return nomination


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("draft", "submitted", True),
        ("draft", "withdrawn", True),
        ("submitted", "under_review", True),
        ("under_review", "in_council", True),
        ("in_council", "approved", True),
        ("approved", "decided", True),
        ("draft", "approved", False),
        ("submitted", "decided", False),
        ("decided", "draft", False),
        ("withdrawn", "submitted", False),
    ],
)
def test_nomination_transitions_follow_the_table(manager_api, officer_api, dossier, source, target, allowed):
    assert (target in NOMINATION_TRANSITIONS[source]) is allowed
    _in_state(dossier, source)
    side = NOMINATION_TRANSITIONS[source].get(target)
    client = officer_api if side == AWARDER else manager_api
    response = _transition(client, dossier, target)
    dossier.refresh_from_db()
    if allowed:
        assert response.status_code == 200
        assert response.json()["status"] == target
        assert response.json()["history"][-1]["from"] == source
        assert dossier.status == target
    else:
        assert response.status_code == 409
        assert response.json() == {
            "detail": f"Không thể chuyển hồ sơ từ “{NominationStatus(source).label}” sang “{NominationStatus(target).label}”."
        }
        assert dossier.status == source


def test_nomination_transition_return_and_resubmit_through_the_api(manager_api, officer_api, dossier):
    assert _transition(manager_api, dossier, "submitted").status_code == 200
    assert _transition(officer_api, dossier, "under_review").status_code == 200
    response = _transition(officer_api, dossier, "returned", note="Thiếu số liệu")
    assert response.status_code == 409
    assert response.json() == {"detail": "Liệt kê các nội dung đơn vị cần bổ sung."}
    response = _transition(
        officer_api, dossier, "returned", note="Thiếu số liệu", items=["Số liệu sáng kiến năm 2025"]
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["return_reason"], body["items_to_complete"]) == (
        "returned",
        "Thiếu số liệu",
        ["Số liệu sáng kiến năm 2025"],
    )
    assert body["history"][-1]["items"] == ["Số liệu sáng kiến năm 2025"]
    assert _upload(manager_api, dossier.pk, "bo_sung.pdf", PDF, kind="khac").status_code == 201
    response = _transition(manager_api, dossier, "submitted")
    assert response.status_code == 200
    assert response.json()["submission_count"] == 2
    assert [step["to"] for step in response.json()["history"]] == [
        "submitted",
        "under_review",
        "returned",
        "submitted",
    ]


def test_nomination_transition_409_for_an_incomplete_dossier(manager_api, round_, nominee_person, office):
    nomination = services.nomination_create(actor=None, round=round_, proposing_unit=office)
    services.nominee_add(
        actor=None, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=nominee_person
    )
    assert _upload(manager_api, nomination.pk, "to_trinh.pdf", PDF).status_code == 201
    response = _transition(manager_api, nomination, "submitted")
    assert response.status_code == 409
    assert response.json() == {"detail": "Hồ sơ còn thiếu: Báo cáo thành tích, Biên bản bình xét."}
    nomination.refresh_from_db()
    assert nomination.status == "draft"


def test_nomination_transition_403_for_the_wrong_side(manager_api, dossier):
    assert _transition(manager_api, dossier, "submitted").status_code == 200
    response = _transition(manager_api, dossier, "under_review")
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == "submitted"


def test_nomination_transition_404_outside_scope_and_422_for_an_unknown_target(
    outsider_api, manager_api, dossier
):
    assert _transition(outsider_api, dossier, "submitted").status_code == 404
    response = _transition(manager_api, dossier, "sent")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "to": [
            "Trạng thái mới phải là một trong: draft, submitted, under_review, returned, in_council, "
            "approved, rejected, decided, withdrawn, forwarded."
        ]
    }


def test_attachment_upload_422_without_a_file(manager_api, dossier):
    response = manager_api.post(f"/api/v1/nominations/{dossier.pk}/attachments", {"kind": "to_trinh"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"file": ["Trường này là bắt buộc."]}


def test_nomination_detail_query_count_does_not_grow_with_nominees(
    officer_api, round_, office, nominee_person
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nomination = services.nomination_create(actor=None, round=round_, proposing_unit=office)
    services.nominee_add(
        actor=None, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=nominee_person
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer_api.get(f"/api/v1/nominations/{nomination.pk}").status_code == 200
        return len(captured)

    queries()  # the first request warms per-process caches (ruleset files)
    one = queries()
    for name in ("Trần Thị Bình", "Lê Văn Cường"):
        person = make_person(name, unit=office)
        services.nominee_add(
            actor=None, nomination=nomination, award=AwardType.objects.get(code="LDTT"), person=person
        )
    assert queries() == one


# ---------------------------------------------------------------- per-nominee decisions and forwarding


@pytest.fixture
def reviewed(dossier, manager_api, officer_api):
    assert _transition(manager_api, dossier, "submitted").status_code == 200
    assert _transition(officer_api, dossier, "under_review").status_code == 200
    return dossier


def test_nominee_decision_approves_one_nominee_and_refuses_with_409(reviewed, officer_api, manager_api):
    nominee = reviewed.nominees.get()
    url = f"/api/v1/nominations/{reviewed.pk}/nominees/{nominee.pk}/decision"
    refused = _post(officer_api, url, {"to": "rejected"})
    assert refused.status_code == 409 and refused.json() == {"detail": "Ghi rõ lý do không chấp thuận đề nghị."}
    assert _post(manager_api, url, {"to": "approved"}).status_code == 403
    response = _post(officer_api, url, {"to": "approved", "note": "Đủ tiêu chuẩn."})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "under_review"
    assert [(n["status"], n["appraisal_note"]) for n in body["nominees"]] == [("approved", "Đủ tiêu chuẩn.")]
    assert _post(officer_api, f"/api/v1/nominations/{reviewed.pk}/nominees/999999/decision", {"to": "approved"}).status_code == 404


def test_forward_creates_the_linked_dossier_at_the_next_level(reviewed, officer_api, admin_user, province):
    target = services.round_create(
        actor=admin_user, awarding_unit=province, title="Khen thưởng của UBND tỉnh", period_start=2025, period_end=2025,
        opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 3, 1),
        accepted_awards=AwardType.objects.filter(code__in=["LDTT"]),
    )
    nominee = reviewed.nominees.get()
    url = f"/api/v1/nominations/{reviewed.pk}/forward"
    # LĐTT is within the Sở's power: nothing to carry unless the officer names the nominee.
    assert _post(officer_api, url, {"round": target.pk}).json() == {"detail": "Không có đề nghị nào cần trình cấp trên."}
    response = _post(officer_api, url, {"round": target.pk, "nominees": [nominee.pk], "note": "Kính trình."})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["round"]["awarding_unit"] == "UBND_TG" and body["proposing_unit"] == "SKHCN" and body["status"] == "draft"
    assert [n["person"] for n in body["nominees"]] == [nominee.person_id]
    assert len(body["documents"]["attachments"]) == len(REQUIRED)
    reviewed.refresh_from_db()
    assert reviewed.status == "forwarded"
