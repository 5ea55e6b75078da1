"""The public verification of certificates: no login, exactly the listed facts and nothing else, codes that
cannot be guessed, unknown codes answered alike and throttled."""

import re

import pytest
from django.test import Client

from thidua.decisions import certificates, services
from thidua.decisions.models import Certificate, VerificationMiss
from thidua.decisions.views_public import MISS_LIMIT


@pytest.fixture
def certificate(issued):
    return Certificate.objects.select_related("recipient").get(decision=issued, recipient__name="Trần Thị Bích Ngọc")


def test_codes_are_80_random_bits_in_crockford_base32():
    codes = {services.new_certificate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{16}", code) for code in codes)
    assert len(services.CODE_ALPHABET) == 32 and services.CODE_LENGTH * 5 == 80


def test_codes_are_read_forgivingly():
    assert certificates.normalise_code("7kq2-m9xd-4trb-hc3n") == "7KQ2M9XD4TRBHC3N"
    assert certificates.normalise_code("OI1L 2345 6789 ABCD") == "011123456789ABCD"  # O read as 0; I, L as 1
    assert certificates.normalise_code("7KQ2-M9XD-4TRB-HC3") is None
    assert certificates.normalise_code("UUUU-M9XD-4TRB-HC3N") is None  # U is not in the alphabet
    assert certificates.format_code("7KQ2M9XD4TRBHC3N") == "7KQ2-M9XD-4TRB-HC3N"


def test_the_page_shows_the_listed_facts_and_nothing_more(certificate, issued):
    response = Client().get(f"/xac-thuc/{certificate.code}")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    for expected in ("Hợp lệ", "Trần Thị Bích Ngọc", "Giấy khen", "01/QĐ-SKHCN", f"{issued.decision_date:%d/%m/%Y}", "Sở Khoa học và Công nghệ",
                     certificates.format_code(certificate.code)):
        assert expected in html, expected
    line = certificate.recipient
    for hidden in (line.position, "Phó Chánh Văn phòng", "760.000", "760000", line.register_number, "Văn phòng Sở", "Nguyễn Văn Ánh",
                   "Dương Văn Bon", "csrfmiddlewaretoken"):
        assert hidden not in html, hidden


def test_the_api_gives_the_same_fields_without_a_token(certificate, issued):
    response = Client().get(f"/api/v1/verify/{certificate.code.lower()}")
    assert response.status_code == 200
    assert response.json() == {
        "code": certificates.format_code(certificate.code), "holder": "Trần Thị Bích Ngọc", "award": "Giấy khen",
        "decision_number": "01/QĐ-SKHCN", "decision_date": issued.decision_date.isoformat(), "issuing_unit": "Sở Khoa học và Công nghệ",
        "status": "valid",
    }


def test_a_collective_is_named_as_such(issued):
    certificate = Certificate.objects.get(decision=issued, recipient__unit__isnull=False)
    assert Client().get(f"/api/v1/verify/{certificate.code}").json()["holder"] == "Tập thể Văn phòng Sở"


def test_the_qr_form_of_the_address_and_typed_codes_work(certificate):
    assert Client().get(f"/XAC-THUC/{certificate.code}").status_code == 200
    grouped = certificates.format_code(certificate.code).lower()
    response = Client().get("/xac-thuc/", {"code": grouped})
    assert response.status_code == 302 and response["Location"] == f"/xac-thuc/{certificate.code}"
    assert Client().get("/xac-thuc/", {"code": "abc"}).status_code == 400


def test_unknown_and_guessed_codes_get_the_same_404(certificate):
    guessed = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    first = Client().get(f"/xac-thuc/{guessed}")
    malformed = Client().get("/xac-thuc/KHONG-CO")
    assert first.status_code == malformed.status_code == 404
    assert "Không tìm thấy giấy khen nào có mã này." in first.content.decode()
    assert Client().get(f"/api/v1/verify/{guessed}").status_code == 404
    assert Client().post(f"/xac-thuc/{certificate.code}").status_code == 405


def test_an_address_guessing_codes_is_throttled(certificate):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for index in range(MISS_LIMIT):
        assert client.get(f"/xac-thuc/{index:016d}").status_code == 404
    assert VerificationMiss.objects.filter(ip_address="203.0.113.9").count() == MISS_LIMIT
    # Throttled, even for a real code; another address is not.
    assert client.get(f"/xac-thuc/{certificate.code}").status_code == 429
    assert client.get(f"/api/v1/verify/{certificate.code}").status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.10").get(f"/xac-thuc/{certificate.code}").status_code == 200
