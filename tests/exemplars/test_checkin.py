"""Invitations and the door: the token (100 random bits) in the QR, RSVP from the delegate's own page, and the
check-in — once; a second scan is refused with the time of the first, on the door page, on the invitation
page and in the service, even when two door phones race."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from thidua.exemplars import services_conferences as conferences
from thidua.exemplars import tokens
from thidua.exemplars.models import Invitation


@pytest.fixture
def published(officer, open_conference):
    conferences.agenda_item_add(actor=officer, conference=open_conference, title="Khai mạc", kind="opening")
    return conferences.conference_transition(actor=officer, conference=open_conference, to="programme_published")


@pytest.fixture
def invitation(officer, published):
    return conferences.invitation_add(actor=officer, conference=published, name="Lê Văn Khách", position="Phó Giám đốc",
                                      organisation="Sở Nội vụ", kind="guest")


def test_tokens_carry_at_least_80_random_bits():
    drawn = {tokens.new_token() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(token) == 20 and set(token) <= set(tokens.ALPHABET) for token in drawn)
    assert len(tokens.ALPHABET) ** tokens.LENGTH >= 2**100
    # Every symbol is used: the draw is not biased towards a few characters.
    assert set("".join(drawn)) == set(tokens.ALPHABET)


@pytest.mark.parametrize("typed", [
    "{token}", "{grouped}", "{lower}", " {grouped} ", "http://127.0.0.1:8000/thu-moi/{token}", "HTTP://THIDUA.VN/THU-MOI/{token}",
    "https://thidua.example.vn/thu-moi/{lower}/",
])
def test_typed_codes_and_scanned_addresses_are_read(typed):
    token = tokens.new_token()
    text = typed.format(token=token, grouped=tokens.format_token(token), lower=token.lower())
    assert tokens.normalise_token(text) == token


def test_letters_that_look_like_digits_are_read_as_digits():
    assert tokens.normalise_token("O1IL" * 5) == "0111" * 5
    assert tokens.normalise_token("short") is None and tokens.normalise_token("U" * 20) is None


def test_check_in_once_then_refused_with_the_first_time(officer, published, invitation):
    first = conferences.check_in(actor=officer, conference=published, token=invitation.token)
    assert first.checked_in_by == officer and first.checked_in_at is not None
    with pytest.raises(conferences.AlreadyCheckedIn) as refused:
        conferences.check_in(actor=officer, conference=published, token=tokens.format_token(invitation.token).lower())
    assert refused.value.at == first.checked_in_at
    assert Invitation.objects.get(pk=invitation.pk).checked_in_at == first.checked_in_at


def test_two_door_phones_racing_cannot_both_check_in(officer, published, invitation):
    # The second phone read the row before the first one's update: the conditional UPDATE still refuses it.
    stale = Invitation.objects.get(pk=invitation.pk)
    conferences.check_in(actor=officer, conference=published, token=invitation.token)
    assert stale.checked_in_at is None
    with pytest.raises(conferences.AlreadyCheckedIn):
        conferences.check_in(actor=officer, conference=published, token=stale.token)


def test_the_door_page_checks_in_and_refuses_the_second_scan(officer_client, published, invitation):
    url = reverse("conferences:door", args=[published.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    ok = officer_client.post(url, {"code": f"http://127.0.0.1:8000/THU-MOI/{invitation.token}"})
    html = ok.content.decode()
    assert ok.status_code == 200 and "Đã điểm danh" in html and "Lê Văn Khách" in html and "Có mặt: <strong>1</strong> / 1" in html
    first = Invitation.objects.get(pk=invitation.pk).checked_in_at
    again = officer_client.post(url, {"code": tokens.format_token(invitation.token)})
    html = again.content.decode()
    assert again.status_code == 409 and "Đã điểm danh trước đó" in html
    assert f"Lần điểm danh đầu tiên lúc {timezone.localtime(first):%H:%M:%S %d/%m/%Y}." in html


def test_unknown_and_malformed_codes_are_explained(officer_client, published):
    url = reverse("conferences:door", args=[published.pk])
    bad = officer_client.post(url, {"code": "abc"})
    assert bad.status_code == 400 and "Mã giấy mời gồm 20 chữ cái và chữ số" in bad.content.decode()
    unknown = officer_client.post(url, {"code": tokens.new_token()})
    assert unknown.status_code == 400 and "Không có giấy mời nào của hội nghị này mang mã" in unknown.content.decode()


def test_a_token_of_another_conference_is_unknown_here(officer, department, published, invitation):
    from tests.exemplars.conftest import make_conference

    other = make_conference(officer, department)
    with pytest.raises(ValidationError, match="Không có giấy mời nào"):
        conferences.check_in(actor=officer, conference=other, token=invitation.token)


def test_only_the_organiser_checks_in(staff, reviewer, published, invitation, staff_client):
    for user in (staff, reviewer):
        with pytest.raises(PermissionDenied):
            conferences.check_in(actor=user, conference=published, token=invitation.token)
    assert staff_client.get(reverse("conferences:door", args=[published.pk])).status_code == 403


def test_no_check_in_before_the_programme_is_published(officer, open_conference):
    invitation = conferences.invitation_add(actor=officer, conference=open_conference, name="Sớm Quá")
    with pytest.raises(ValidationError, match="đã công bố chương trình"):
        conferences.check_in(actor=officer, conference=open_conference, token=invitation.token)


def test_the_delegates_page_answers_rsvp_without_login(client, invitation):
    url = reverse("honours:invitation", args=[invitation.token])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Lê Văn Khách" in html and tokens.format_token(invitation.token) in html
    assert "Tôi sẽ tham dự" in html and "Điểm danh đại biểu này" not in html
    response = client.post(url, {"action": "attending"})
    assert response.status_code == 302 and Invitation.objects.get(pk=invitation.pk).rsvp == "attending"
    # A delegate cannot check themselves in.
    assert client.post(url, {"action": "check_in"}).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).checked_in_at is None


def test_the_upper_case_address_of_the_qr_opens_the_same_page(client, invitation):
    assert client.get(f"/THU-MOI/{invitation.token}").status_code == 200
    assert client.get(f"/thu-moi/{invitation.token.lower()}").status_code == 200
    assert client.get(f"/thu-moi/{tokens.new_token()}").status_code == 404


def test_an_organiser_scanning_the_qr_checks_in_from_the_invitation_page(officer_client, invitation):
    url = reverse("honours:invitation", args=[invitation.token])
    assert "Điểm danh đại biểu này" in officer_client.get(url).content.decode()
    assert officer_client.post(url, {"action": "check_in"}).status_code == 200
    again = officer_client.post(url, {"action": "check_in"})
    assert again.status_code == 409 and "Lần điểm danh đầu tiên lúc" in again.content.decode()


def test_inviting_people_once_and_guests(officer, published, office, staff_person):
    created = conferences.invitations_add_people(actor=officer, conference=published, people=[staff_person])
    assert [(i.name, i.organisation, i.kind) for i in created] == [("Lê Thị Cán Bộ", "Văn phòng Sở", "internal")]
    assert conferences.invitations_add_people(actor=officer, conference=published, people=[staff_person]) == []
    with pytest.raises(ValidationError, match="đã có giấy mời"):
        conferences.invitation_add(actor=officer, conference=published, person=staff_person)
    with pytest.raises(ValidationError, match="Nhập họ tên"):
        conferences.invitation_add(actor=officer, conference=published, name=" ", kind="guest")


def test_invitation_list_filters_and_pdf(officer_client, officer, published, invitation):
    conferences.invitation_add(actor=officer, conference=published, name="Người Thứ Hai", kind="internal")
    conferences.check_in(actor=officer, conference=published, token=invitation.token)
    url = reverse("conferences:invitation_list", args=[published.pk])
    present = officer_client.get(url, {"state": "present"}).content.decode()
    assert "Lê Văn Khách" in present and "Người Thứ Hai" not in present
    pdf = officer_client.get(reverse("conferences:invitations_pdf", args=[published.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_checked_in_invitations_cannot_be_removed(officer, published, invitation):
    conferences.check_in(actor=officer, conference=published, token=invitation.token)
    with pytest.raises(ValidationError, match="đã điểm danh"):
        conferences.invitation_remove(actor=officer, invitation=invitation)


def test_the_door_page_fits_a_phone(officer_client, published):
    html = officer_client.get(reverse("conferences:door", args=[published.pk])).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert re.search(r'<input[^>]+name="code"[^>]+autofocus', html)


def test_rsvp_closes_when_the_conference_is_over(officer, published, invitation):
    today = datetime.date.today()
    conferences.conference_update(actor=officer, conference=published, held_on=today, submission_deadline=today)
    conferences.conference_transition(actor=officer, conference=published, to="held")
    with pytest.raises(ValidationError, match="đã diễn ra"):
        conferences.invitation_rsvp(invitation=invitation, answer="declined")
