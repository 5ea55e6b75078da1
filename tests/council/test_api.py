"""The council API contracts: create, open, ballots (the member's own token; 400 for a ballot that does
not cover the nominees, 409 for a second one), close → tallies, read — never an individual choice."""

import json

import pytest
from django.test import Client

from tests.api.conftest import bearer_client
from tests.council.conftest import SESSION_DAY
from thidua.council.models import Participation, Session
from thidua.nominations.models import Nominee


def _post(client, url, body=None):
    return client.post(url, json.dumps(body) if body is not None else "", content_type="application/json")


@pytest.fixture
def officer_api(officer):
    return bearer_client(officer)


@pytest.fixture
def outsider_api(outsider):
    return bearer_client(outsider)


@pytest.fixture
def secretary_api(members):
    return bearer_client(members[1].user)


@pytest.fixture
def created(secretary_api, council, nominees):
    response = _post(secretary_api, "/api/v1/council-sessions", {"council": council.pk, "nominees": [n.pk for n in nominees], "held_on": "2026-03-10"})
    assert response.status_code == 201, response.content
    return response.json()


def test_create_returns_the_draft_session_with_its_agenda(created, council, nominees):
    assert created["status"] == "draft"
    assert created["council"] == {"id": council.pk, "name": council.name, "unit": "SKHCN"}
    assert [item["nominee"] for item in created["agenda"]] == [n.pk for n in nominees]
    assert created["agenda"][0] == {"nominee": nominees[0].pk, "name": nominees[0].person.full_name, "award": "GIAY_KHEN",
                                    "proposing_unit": "SKHCN_VP", "opened": False}
    assert created["tallies"] is None
    assert created["participation"] == {"members": 10, "present": 0, "voted": 0, "written": 0, "total": 0}


def test_create_is_refused_to_non_secretaries_and_checks_the_nominees(council, members, nominees, officer_api, outsider_api, secretary_api):
    body = {"council": council.pk, "nominees": [n.pk for n in nominees]}
    assert _post(officer_api, "/api/v1/council-sessions", body).status_code == 403
    assert _post(bearer_client(members[0].user), "/api/v1/council-sessions", body).status_code == 403
    assert _post(outsider_api, "/api/v1/council-sessions", body).status_code == 404
    wrong = _post(secretary_api, "/api/v1/council-sessions", {"council": council.pk, "nominees": [999999]})
    assert wrong.status_code == 422
    assert wrong.json()["errors"]["nominees"][0].startswith("Đề nghị số 999999 không chờ Hội đồng này xét")


def test_the_whole_flow_over_the_api(created, members, nominees, secretary_api):
    sid = created["id"]
    present = [m.user.username for m in members[:8]]
    opened = _post(secretary_api, f"/api/v1/council-sessions/{sid}/open", {"present": present})
    assert opened.status_code == 200, opened.content
    assert opened.json()["status"] == "voting" and opened.json()["quorum_required"] == 7

    receipts = []
    for index, membership in enumerate(members[:8]):
        choice = "dong_y" if index < 6 else "khong_dong_y"
        body = {"votes": [{"nominee": n.pk, "choice": choice if n == nominees[0] else "khong_bieu_quyet"} for n in nominees]}
        response = _post(bearer_client(membership.user), f"/api/v1/council-sessions/{sid}/ballots", body)
        assert response.status_code == 201
        assert set(response.json()) == {"receipt"}
        receipts.append(response.json()["receipt"])
    assert len(set(receipts)) == 8

    during = bearer_client(members[3].user).get(f"/api/v1/council-sessions/{sid}").json()
    assert during["participation"]["voted"] == 8 and during["tallies"] is None

    closed = _post(secretary_api, f"/api/v1/council-sessions/{sid}/close")
    assert closed.status_code == 200
    tallies = {row["nominee"]: row for row in closed.json()["tallies"]}
    assert tallies[nominees[0].pk] == {"nominee": nominees[0].pk, "name": nominees[0].person.full_name, "award": "GIAY_KHEN",
                                       "yes": 6, "no": 2, "abstain": 0, "base": 10, "share": "0.6000", "result": "approved"}
    assert tallies[nominees[1].pk]["result"] == "rejected"
    assert Nominee.objects.get(pk=nominees[0].pk).status == "approved"
    assert Nominee.objects.get(pk=nominees[1].pk).status == "rejected"
    # Nowhere a per-member choice: the participation is a count.
    text = json.dumps(closed.json())
    assert all(m.user.username not in text for m in members)
    assert _post(secretary_api, f"/api/v1/council-sessions/{sid}/close").status_code == 409


def test_a_second_ballot_is_409(created, members, nominees, secretary_api):
    sid = created["id"]
    _post(secretary_api, f"/api/v1/council-sessions/{sid}/open", {"present": [m.user.username for m in members]})
    member = bearer_client(members[5].user)
    body = {"votes": [{"nominee": n.pk, "choice": "dong_y"} for n in nominees]}
    assert _post(member, f"/api/v1/council-sessions/{sid}/ballots", body).status_code == 201
    second = _post(member, f"/api/v1/council-sessions/{sid}/ballots", body)
    assert second.status_code == 409
    assert second.json() == {"detail": "Bạn đã bỏ phiếu trong phiên họp này; mỗi thành viên chỉ bỏ phiếu một lần."}


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        (lambda n: [{"nominee": n[0].pk, "choice": "dong_y"}], "Phiếu chưa có ý kiến cho"),
        (lambda n: [{"nominee": x.pk, "choice": "co"} for x in n], "không hợp lệ: chỉ nhận dong_y (đồng ý), khong_dong_y (không đồng ý) hoặc khong_bieu_quyet"),
        (lambda n: [{"nominee": x.pk, "choice": "dong_y"} for x in n] + [{"nominee": n[0].pk, "choice": "khong_dong_y"}], "Phiếu có hai ý kiến cho"),
        (lambda n: [{"nominee": x.pk, "choice": "dong_y"} for x in n] + [{"nominee": 999999, "choice": "dong_y"}],
         "Đề nghị số 999999 không thuộc phần đang biểu quyết của phiên họp."),
        (lambda n: [], "Phiếu chưa có ý kiến cho"),
    ],
)
def test_a_ballot_not_covering_every_nominee_once_is_400(created, members, nominees, secretary_api, votes, message):
    sid = created["id"]
    _post(secretary_api, f"/api/v1/council-sessions/{sid}/open", {"present": [m.user.username for m in members]})
    response = _post(bearer_client(members[5].user), f"/api/v1/council-sessions/{sid}/ballots", {"votes": votes(nominees)})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Participation.objects.exists()


def test_open_is_409_below_quorum_and_ballots_are_refused_before_opening(created, members, nominees, secretary_api):
    sid = created["id"]
    member = bearer_client(members[0].user)
    body = {"votes": [{"nominee": n.pk, "choice": "dong_y"} for n in nominees]}
    assert _post(member, f"/api/v1/council-sessions/{sid}/ballots", body).status_code == 409
    below = _post(secretary_api, f"/api/v1/council-sessions/{sid}/open", {"present": [m.user.username for m in members[:3]]})
    assert below.status_code == 409
    assert below.json()["detail"].startswith("Chưa đủ số thành viên dự họp để biểu quyết: có mặt 3/10, cần ít nhất 7")
    unknown = _post(secretary_api, f"/api/v1/council-sessions/{sid}/open", {"present": ["nguoila"]})
    assert unknown.status_code == 422
    no_attendance = _post(secretary_api, f"/api/v1/council-sessions/{sid}/open")
    assert no_attendance.status_code == 409
    assert Session.objects.get(pk=sid).status == "draft"


def test_only_the_secretary_opens_and_closes_and_outsiders_see_nothing(created, members, outsider_api, officer_api):
    sid = created["id"]
    assert _post(bearer_client(members[0].user), f"/api/v1/council-sessions/{sid}/open", {"present": []}).status_code == 403
    assert _post(officer_api, f"/api/v1/council-sessions/{sid}/close").status_code == 403
    assert outsider_api.get(f"/api/v1/council-sessions/{sid}").status_code == 404
    assert _post(outsider_api, f"/api/v1/council-sessions/{sid}/ballots", {"votes": []}).status_code == 404
    assert officer_api.get(f"/api/v1/council-sessions/{sid}").status_code == 200


def test_open_a_part_of_the_agenda(created, members, nominees, secretary_api):
    sid = created["id"]
    opened = _post(secretary_api, f"/api/v1/council-sessions/{sid}/open",
                   {"present": [m.user.username for m in members], "nominees": [nominees[1].pk]})
    assert [item["opened"] for item in opened.json()["agenda"]] == [False, True, False]
    body = {"votes": [{"nominee": nominees[1].pk, "choice": "dong_y"}]}
    assert _post(bearer_client(members[2].user), f"/api/v1/council-sessions/{sid}/ballots", body).status_code == 201


def test_a_ballot_needs_a_token(created):
    response = _post(Client(), f"/api/v1/council-sessions/{created['id']}/ballots", {"votes": []})
    assert response.status_code == 401


def test_held_on_defaults_to_today(secretary_api, council, nominees, members):
    from thidua.council import services

    services.membership_end(actor=None, membership=members[1], end_on=SESSION_DAY)
    # The secretary's term ended on SESSION_DAY: a session today (later) is not theirs to create.
    response = _post(secretary_api, "/api/v1/council-sessions", {"council": council.pk, "nominees": [nominees[0].pk]})
    assert response.status_code == 403
