import datetime

import pytest

from thidua.common.text import fold, sort_key, split_full_name
from thidua.organizations import selectors


def test_fold_removes_tones_and_d_stroke():
    assert fold("Nguyễn Văn Ân  ĐẶNG") == "nguyen van an dang"


def test_sort_key_follows_vietnamese_alphabet():
    names = ["Đào", "Dũng", "Ân", "Ăn", "An", "Bình", "Anh", "Ơn", "Ôn", "On", "Ưng", "Uy"]
    ordered = sorted(names, key=lambda n: sort_key(n))
    assert ordered == ["An", "Anh", "Ăn", "Ân", "Bình", "Dũng", "Đào", "On", "Ôn", "Ơn", "Uy", "Ưng"]


def test_sort_key_orders_tones_after_letters():
    names = ["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]
    assert sorted(names, key=lambda n: sort_key(n)) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]


def test_split_full_name():
    assert split_full_name(" Nguyễn  Thị Minh Khai ") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_full_name("Bon") == ("", "", "Bon")


@pytest.mark.django_db
def test_people_search_is_accent_insensitive_and_scoped(officer, outsider, office, other_department):
    from tests.factories import make_person

    make_person("Nguyễn Văn An", unit=office)
    make_person("Nguyễn Văn Ân", unit=other_department)
    assert [p.full_name for p in selectors.people_search(officer, query="nguyen van an")] == ["Nguyễn Văn An"]
    assert [p.full_name for p in selectors.people_search(outsider, query="NGUYEN van an")] == ["Nguyễn Văn Ân"]


@pytest.mark.django_db
def test_units_under_as_of_date(department, office, office2):
    from thidua.organizations import services

    services.unit_update(actor=None, unit=office2, valid_to=datetime.date(2025, 6, 30))
    codes_2024 = set(selectors.units_under(department, at=datetime.date(2024, 1, 1)).values_list("code", flat=True))
    codes_2026 = set(selectors.units_under(department, at=datetime.date(2026, 1, 1)).values_list("code", flat=True))
    assert codes_2024 == {"SKHCN", "SKHCN_VP", "SKHCN_QLKH"}
    assert codes_2026 == {"SKHCN", "SKHCN_VP"}


@pytest.mark.django_db
def test_people_search_matches_word_starts_not_word_middles(officer, office):
    from tests.factories import make_person

    make_person("Nguyễn Văn An", unit=office)
    make_person("Nguyễn Văn Anh", unit=office)
    make_person("Nguyễn Văn Bình", unit=office)
    found = [p.full_name for p in selectors.people_search(officer, query="nguyen van an")]
    assert found == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert [p.full_name for p in selectors.people_search(officer, query="binh")] == ["Nguyễn Văn Bình"]
