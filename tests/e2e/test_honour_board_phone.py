"""The public honour board on a phone (390 × 844, touch): the list of exemplars fits the screen without
sideways scrolling, the search works, an exemplar's page shows only what was consented, and the awards list
filters by year."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from tests.decisions.conftest import approved_dossier, issue
from tests.e2e.conftest import SCREENSHOTS
from tests.exemplars.test_exemplars import jpeg_with_exif
from tests.factories import make_person, make_user
from thidua.decisions import services as decisions
from thidua.exemplars import services
from thidua.nominations import services as nominations
from thidua.rules.models import AwardType

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def _exemplar(officer, manager, person, headline, fields, *, story=""):
    exemplar = services.exemplar_propose(actor=manager, person=person, headline=headline, field_of_work="Văn thư", period_start=2016,
                                         period_end=2020, story_html=story)
    photo = services.exemplar_photo_add(actor=manager, exemplar=exemplar, file=SimpleUploadedFile("a.jpg", jpeg_with_exif()),
                                        alt_text=f"Ảnh của {person.full_name}")
    services.exemplar_transition(actor=officer, exemplar=exemplar, to="confirmed")
    services.exemplar_publish(actor=officer, exemplar=exemplar, published=True)
    if fields:
        services.exemplar_consent_set(actor=officer, exemplar=exemplar, fields=fields, note="Giấy đồng ý")
    return exemplar, photo


def test_honour_board_on_a_phone(browser, live_server, officer, manager, office, department, password):
    shown, photo = _exemplar(officer, manager, make_person("Phạm Thị Tiêu Biểu", unit=office, position="Chuyên viên"),
                             "Điển hình trong cải cách hành chính", ["name", "story", "photos"],
                             story="<p>Mười năm một cửa, không một hồ sơ trễ hạn.</p>")
    _exemplar(officer, manager, make_person("Lý Văn Kín Đáo", unit=office), "Điển hình không công khai", [])
    for index in range(6):
        _exemplar(officer, manager, make_person(f"Người Điển Hình Số {index}", unit=office), f"Điển hình thứ {index}", ["name", "unit", "photos"])
    # A published decision for the awards list.
    signer = make_user("giamdoc", role="signer", unit=department, person=make_person("Dương Văn Bon", unit=department, position="Giám đốc"))
    round_ = nominations.round_create(actor=officer, awarding_unit=department, title="Khen thưởng năm 2025", period_start=2025, period_end=2025,
                                      opens_on=datetime.date(2025, 12, 1), submission_deadline=datetime.date(2026, 1, 10),
                                      accepted_awards=AwardType.objects.filter(code__in=["GIAY_KHEN"]))
    dossier = approved_dossier(manager=manager, officer=officer, unit=office, round_=round_,
                               individuals=[make_person("Võ Thị Được Khen", unit=office)])
    (draft,) = decisions.decisions_draft_from_nominees(actor=officer, nominees=list(dossier.nominees.all()))
    decision = issue(draft, officer=officer, signer=signer)
    services.decision_publish(actor=officer, decision=decision)

    context = browser.new_context(locale="vi-VN", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/vinh-danh/")
    expect(page.get_by_role("heading", name="Bảng vinh danh điển hình tiên tiến")).to_be_visible()
    expect(page.get_by_text("7 điển hình tiên tiến")).to_be_visible()
    expect(page.get_by_text("Lý Văn Kín Đáo")).to_have_count(0)
    _fits(page)
    # The cards stack in one column and the navigation wraps instead of overflowing.
    widths = page.locator(".honour-card").evaluate_all("cards => cards.map(card => card.getBoundingClientRect().width)")
    assert widths and all(width > 300 for width in widths)
    _shot(page, "honour-board-phone-1-list")

    page.get_by_label("Tìm điển hình").fill("cai cach hanh chinh")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("1 điển hình tiên tiến")).to_be_visible()
    page.get_by_role("link", name="Phạm Thị Tiêu Biểu").tap()
    expect(page.get_by_role("heading", name="Phạm Thị Tiêu Biểu")).to_be_visible()
    expect(page.get_by_text("Mười năm một cửa, không một hồ sơ trễ hạn.")).to_be_visible()
    expect(page.get_by_role("img", name="Ảnh của Phạm Thị Tiêu Biểu")).to_be_visible()
    expect(page.get_by_text("Văn phòng Sở")).to_have_count(0)  # the unit was not consented
    _fits(page)
    _shot(page, "honour-board-phone-2-exemplar")

    page.get_by_role("link", name="Khen thưởng").tap()
    expect(page.get_by_text("Võ Thị Được Khen")).to_be_visible()
    page.get_by_label("Năm").select_option(str(decision.decision_date.year))
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("Võ Thị Được Khen")).to_be_visible()
    _fits(page)
    _shot(page, "honour-board-phone-3-awards")
    assert shown.pk and photo.pk
    context.close()
