"""The API contracts of issue 8: GET/POST /exemplars, POST /conferences, GET /conferences/{id},
POST /conferences/{id}/presentations (multipart), POST /presentations/{id}/reviews."""

import pytest

from tests.api.conftest import bearer_client
from tests.exemplars.conftest import AUTHOR_NAME, docx_by, upload
from tests.factories import make_person
from thidua.exemplars import services, services_reviews
from thidua.exemplars.models import Conference, Exemplar, Presentation, Review


@pytest.fixture
def officer_api(officer):
    return bearer_client(officer)


@pytest.fixture
def manager_api(manager):
    return bearer_client(manager)


# ---------------------------------------------------------------- exemplars


def test_propose_and_list_exemplars(manager_api, officer_api, office, outsider):
    person = make_person("Đỗ Văn Mẫu Mực", unit=office)
    response = manager_api.post("/api/v1/exemplars", {
        "person": person.pk, "headline": "Điển hình cải cách hành chính", "field_of_work": "Một cửa", "period_start": 2016, "period_end": 2020,
        "story_html": "<p>Kể <b>chuyện</b></p><script>x</script>",
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["subject"], body["name"], body["unit"], body["status"], body["story_html"], body["public"]) == (
        "individual", "Đỗ Văn Mẫu Mực", "SKHCN_VP", "proposed", "<p>Kể <b>chuyện</b></p>", False)
    listing = officer_api.get("/api/v1/exemplars", {"q": "mau muc"}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    assert bearer_client(outsider).get("/api/v1/exemplars").json()["count"] == 0


def test_exemplar_input_errors_are_422_and_save_nothing(manager_api, office, office2):
    person = make_person("Người Thử", unit=office)
    both = manager_api.post("/api/v1/exemplars", {"person": person.pk, "collective": office2.code, "headline": "x", "period_start": 2016,
                                                  "period_end": 2020}, content_type="application/json")
    assert both.status_code == 422 and "person" in both.json()["errors"]
    backwards = manager_api.post("/api/v1/exemplars", {"person": person.pk, "headline": "x", "period_start": 2020, "period_end": 2016},
                                 content_type="application/json")
    assert backwards.status_code == 422 and backwards.json()["errors"]["period_end"] == ["Năm kết thúc phải từ năm bắt đầu trở đi."]
    assert not Exemplar.objects.exists()


def test_staff_cannot_propose(staff_api, staff_person):
    response = staff_api.post("/api/v1/exemplars", {"person": staff_person.pk, "headline": "x", "period_start": 2016, "period_end": 2020},
                              content_type="application/json")
    assert response.status_code == 403


@pytest.fixture
def staff_api(staff):
    return bearer_client(staff)


def test_list_filters_by_status_and_refuses_unknown_ones(officer_api, manager, office):
    services.exemplar_propose(actor=manager, person=make_person("A", unit=office), headline="x", period_start=2016, period_end=2020)
    assert officer_api.get("/api/v1/exemplars", {"status": "confirmed"}).json()["count"] == 0
    assert officer_api.get("/api/v1/exemplars", {"status": "proposed"}).json()["count"] == 1
    assert officer_api.get("/api/v1/exemplars", {"status": "nope"}).status_code == 422


# ---------------------------------------------------------------- conferences


def test_create_a_conference(officer_api, department, plan, guidance):
    response = officer_api.post("/api/v1/conferences", {
        "organising_unit": department.code, "title": "Hội nghị điển hình tiên tiến giai đoạn 2015 – 2020", "held_on": "2020-08-10",
        "starts_at": "07:30", "venue": "Hội trường Sở", "period_start": 2015, "period_end": 2020, "legal_bases": [plan.pk, guidance.pk],
        "purposes": ["Tổng kết phong trào"], "submission_deadline": "2020-07-31", "blind_review": True,
        "criteria": [{"name": "Thực tiễn", "max_points": 60}, {"name": "Trình bày", "max_points": 40}],
        "speaker_name": "Dương Văn Bon", "speaker_title": "Giám đốc Sở",
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["role"], body["starts_at"], body["blind_review"]) == ("planning", "organiser", "07:30:00", True)
    assert [document["number"] for document in body["legal_bases"]] == ["204/KH-UBND", "140/HD-SNV"]
    assert [(c["name"], c["max_points"]) for c in body["criteria"]] == [("Thực tiễn", 60), ("Trình bày", 40)]


def test_create_conference_refusals(manager_api, officer_api, department, office, other_department):
    payload = {"organising_unit": department.code, "title": "x", "held_on": "2020-08-10", "period_start": 2015, "period_end": 2020}
    # The manager sees the office but may not organise; the department above is out of their sight.
    assert manager_api.post("/api/v1/conferences", {**payload, "organising_unit": office.code}, content_type="application/json").status_code == 403
    assert manager_api.post("/api/v1/conferences", payload, content_type="application/json").status_code == 404
    assert officer_api.post("/api/v1/conferences", {**payload, "organising_unit": other_department.code},
                            content_type="application/json").status_code == 404
    bad = officer_api.post("/api/v1/conferences", {**payload, "held_on": "10/08/2020", "starts_at": "7h30"}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()["errors"]) >= {"held_on", "starts_at"}
    assert not Conference.objects.exists()


def test_get_a_conference_by_role(officer_api, presentation, open_conference, outsider, author_user):
    organiser = officer_api.get(f"/api/v1/conferences/{open_conference.pk}").json()
    (item,) = organiser["presentations"]
    assert organiser["role"] == "organiser" and item["authors"] == [{"name": AUTHOR_NAME, "affiliation": "Văn phòng Sở"}]
    assert organiser["programme"] == []
    author = bearer_client(author_user).get(f"/api/v1/conferences/{open_conference.pk}").json()
    assert author["role"] == "participant" and author["programme"] is None and author["presentations"][0]["unit"] == "SKHCN_VP"
    assert bearer_client(outsider).get(f"/api/v1/conferences/{open_conference.pk}").status_code == 404


# ---------------------------------------------------------------- presentations and reviews


def test_submit_a_presentation_multipart(author_user, open_conference, office):
    api = bearer_client(author_user)
    response = api.post(f"/api/v1/conferences/{open_conference.pk}/presentations", {
        "title": "Số hóa hồ sơ thi đua", "unit": office.code, "authors": [f"{AUTHOR_NAME} | Văn phòng Sở", "Người Thứ Hai"],
        "abstract": "Tóm tắt", "file": upload("a.docx", docx_by(AUTHOR_NAME)),
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and [a["name"] for a in body["authors"]] == [AUTHOR_NAME, "Người Thứ Hai"]
    presentation = Presentation.objects.get(pk=body["id"])
    assert presentation.blind_source == "auto" and presentation.authors.first().person_id == author_user.person_id


def test_submit_refusals(author_user, open_conference, office2, office):
    api = bearer_client(author_user)
    other_unit = api.post(f"/api/v1/conferences/{open_conference.pk}/presentations", {"title": "x", "unit": office2.code, "authors": ["A"]})
    assert other_unit.status_code == 404  # another office: out of the staff member's sight
    bad_file = api.post(f"/api/v1/conferences/{open_conference.pk}/presentations", {
        "title": "x", "unit": office.code, "authors": ["A"], "file": upload("a.exe", b"MZ")})
    assert bad_file.status_code == 422 and bad_file.json()["errors"]["file"] == ["Tham luận nhận tệp PDF hoặc DOCX."]
    assert not Presentation.objects.exists()


def test_review_create_then_update_then_409_after_the_decision(reviewer, presentation, officer):
    api = bearer_client(reviewer)
    criteria = list(presentation.conference.criteria.all())
    payload = {"scores": [{"criterion": c.pk, "points": 10} for c in criteria], "recommendation": "revise", "comment": "Cần số liệu"}
    first = api.post(f"/api/v1/presentations/{presentation.pk}/reviews", payload, content_type="application/json")
    assert first.status_code == 201 and first.json()["total"] == 30
    again = api.post(f"/api/v1/presentations/{presentation.pk}/reviews", {**payload, "recommendation": "accept"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["recommendation"] == "accept" and Review.objects.count() == 1
    services_reviews.presentation_decide(actor=officer, presentation=presentation, to="accepted")
    late = api.post(f"/api/v1/presentations/{presentation.pk}/reviews", payload, content_type="application/json")
    assert late.status_code == 409


def test_review_refusals(reviewer, presentation, officer, outsider):
    criteria = list(presentation.conference.criteria.all())
    payload = {"scores": [{"criterion": c.pk, "points": 10} for c in criteria], "recommendation": "accept"}
    assert bearer_client(officer).post(f"/api/v1/presentations/{presentation.pk}/reviews", payload, content_type="application/json").status_code == 403
    assert bearer_client(outsider).post(f"/api/v1/presentations/{presentation.pk}/reviews", payload, content_type="application/json").status_code == 404
    api = bearer_client(reviewer)
    twice = api.post(f"/api/v1/presentations/{presentation.pk}/reviews", {**payload, "scores": payload["scores"] + payload["scores"][:1]},
                     content_type="application/json")
    assert twice.status_code == 422
    too_many = api.post(f"/api/v1/presentations/{presentation.pk}/reviews",
                        {**payload, "scores": [{"criterion": criteria[2].pk, "points": 50}] + payload["scores"][:2]}, content_type="application/json")
    assert too_many.status_code == 422 and "từ 0 đến 20" in str(too_many.json()["errors"])
    wrong = api.post(f"/api/v1/presentations/{presentation.pk}/reviews", {**payload, "recommendation": "yes"}, content_type="application/json")
    assert wrong.status_code == 422
    assert not Review.objects.exists()


def test_everything_needs_a_token(client, open_conference):
    assert client.get("/api/v1/exemplars").status_code == 401
    assert client.get(f"/api/v1/conferences/{open_conference.pk}").status_code == 401
