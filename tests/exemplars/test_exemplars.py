"""The exemplar registry: proposing, the officer's confirmation (every transition allowed and refused),
consent, publication, photos (checked and stripped of their metadata), replication, the story's
sanitising, the list with its filters and query count, and who may see and do what."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.exemplars.conftest import client_for, upload
from tests.factories import make_person, make_user
from thidua.common.models import AuditEntry
from thidua.exemplars import services
from thidua.exemplars.enums import EXEMPLAR_TRANSITIONS, ExemplarStatus
from thidua.exemplars.models import Exemplar, ExemplarConsent
from thidua.records.models import AwardRecord
from thidua.rules.models import AwardType


@pytest.fixture
def holder(office):
    return make_person("Phạm Văn Điển Hình", unit=office, position="Chuyên viên", gender="nam")


@pytest.fixture
def holder_user(holder, office):
    return make_user("dienhinh", role="staff", unit=office, person=holder)


@pytest.fixture
def award_record(holder, department):
    return AwardRecord.objects.create(person=holder, award=AwardType.objects.get(code="CSTDCS"), period_start=2019, period_end=2019,
                                      decision_number="12/QĐ-SKHCN", decision_date=datetime.date(2020, 1, 15), issuing_unit=department)


@pytest.fixture
def proposed(manager, holder, award_record):
    return services.exemplar_propose(actor=manager, person=holder, headline="Điển hình trong ứng dụng chữ ký số", field_of_work="Văn thư",
                                     period_start=2016, period_end=2020, summary="Tiên phong số hóa văn bản.",
                                     story_html='<p>Câu chuyện <strong>điển hình</strong>.</p><script>alert(1)</script>', awards=[award_record])


@pytest.fixture
def confirmed(officer, proposed):
    return services.exemplar_transition(actor=officer, exemplar=proposed, to="confirmed")


def jpeg_with_exif(colour=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van Chup Anh"  # Artist
    exif[0x010E] = "Toa do 10.35, 106.36"  # ImageDescription
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


# ---------------------------------------------------------------- proposing


def test_a_unit_proposes_and_the_story_is_sanitised(proposed, manager, award_record):
    assert proposed.status == "proposed" and proposed.unit.code == "SKHCN_VP" and proposed.proposed_by == manager
    assert proposed.story_html == "<p>Câu chuyện <strong>điển hình</strong>.</p>"
    assert list(proposed.awards.all()) == [award_record]
    assert "pham van dien hinh" in Exemplar.objects.get(pk=proposed.pk).search_text
    assert AuditEntry.objects.filter(object_id=str(proposed.pk), content_type__model="exemplar", action="create").exists()


def test_staff_and_outsiders_cannot_propose(staff, outsider, holder):
    for user in (staff, outsider):
        with pytest.raises(PermissionDenied):
            services.exemplar_propose(actor=user, person=holder, headline="x", period_start=2016, period_end=2020)
    assert not Exemplar.objects.exists()


def test_awards_and_initiatives_must_be_the_holders(manager, holder, office, department):
    other = make_person("Người Khác", unit=office)
    someone_elses = AwardRecord.objects.create(person=other, award=AwardType.objects.get(code="LDTT"), period_start=2019, period_end=2019,
                                               decision_number="1/QĐ", decision_date=datetime.date(2020, 1, 1), issuing_unit=department)
    with pytest.raises(ValidationError, match="không phải của Phạm Văn Điển Hình"):
        services.exemplar_propose(actor=manager, person=holder, headline="x", period_start=2016, period_end=2020, awards=[someone_elses])
    assert not Exemplar.objects.exists()


def test_bad_period_is_refused_with_a_message(manager, holder):
    with pytest.raises(ValidationError, match="năm kết thúc phải từ năm bắt đầu"):
        services.exemplar_propose(actor=manager, person=holder, headline="x", period_start=2020, period_end=2016)


def test_proposing_through_the_page(manager_client, holder):
    response = manager_client.post(reverse("exemplars:exemplar_create"), {
        "subject": "person", "person": holder.pk, "headline": "Điển hình cải cách hành chính", "period_start": 2016, "period_end": 2020,
        "story_html": "<p>Chuyện <em>kể</em></p><img src=x onerror=alert(1)>"})
    exemplar = Exemplar.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exemplars:exemplar_edit", args=[exemplar.pk])
    assert exemplar.story_html == "<p>Chuyện <em>kể</em></p>"
    missing = manager_client.post(reverse("exemplars:exemplar_create"), {"subject": "person", "headline": "", "period_start": 2016, "period_end": 2020})
    assert missing.status_code == 400 and "Chọn cá nhân." in missing.content.decode()


# ---------------------------------------------------------------- the workflow


def test_the_table():
    assert EXEMPLAR_TRANSITIONS == {
        "proposed": {"confirmed": "confirmer", "returned": "confirmer", "withdrawn": "proposer"},
        "returned": {"proposed": "proposer", "withdrawn": "proposer"},
        "confirmed": {"withdrawn": "confirmer"},
        "withdrawn": {},
    }


@pytest.mark.parametrize("source", ExemplarStatus.values)
def test_every_transition_outside_the_table_is_refused(officer, manager, proposed, source):
    path = {"proposed": [], "returned": [("returned", officer)], "confirmed": [("confirmed", officer)], "withdrawn": [("withdrawn", manager)]}
    exemplar = proposed
    for target, actor in path[source]:
        exemplar = services.exemplar_transition(actor=actor, exemplar=exemplar, to=target, note="Bổ sung số liệu")
    for target in set(ExemplarStatus.values) - set(EXEMPLAR_TRANSITIONS[source]):
        with pytest.raises(services.TransitionRefused):
            services.exemplar_transition(actor=officer, exemplar=exemplar, to=target, note="x")
    assert Exemplar.objects.get(pk=exemplar.pk).status == source


def test_return_needs_a_note_and_the_proposer_resubmits(officer, manager, staff, proposed, django_capture_on_commit_callbacks):
    with pytest.raises(services.TransitionRefused, match="Ghi rõ nội dung cần bổ sung"):
        services.exemplar_transition(actor=officer, exemplar=proposed, to="returned")
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.exemplar_transition(actor=officer, exemplar=proposed, to="returned", note="Bổ sung số liệu nhân rộng")
    assert returned.return_note == "Bổ sung số liệu nhân rộng"
    assert manager.notifications.filter(text__contains="Bổ sung số liệu nhân rộng").exists()
    with pytest.raises(PermissionDenied):
        services.exemplar_transition(actor=staff, exemplar=returned, to="proposed")
    assert services.exemplar_transition(actor=manager, exemplar=returned, to="proposed").status == "proposed"


def test_only_the_officer_confirms(manager, proposed, officer):
    with pytest.raises(PermissionDenied):
        services.exemplar_transition(actor=manager, exemplar=proposed, to="confirmed")
    confirmed = services.exemplar_transition(actor=officer, exemplar=proposed, to="confirmed")
    assert confirmed.confirmed_by == officer and confirmed.confirmed_at is not None


def test_the_proposer_edits_until_confirmed(manager, confirmed, officer):
    with pytest.raises(PermissionDenied):
        services.exemplar_update(actor=manager, exemplar=confirmed, headline="Khác")
    assert services.exemplar_update(actor=officer, exemplar=confirmed, headline="Khác").headline == "Khác"


# ---------------------------------------------------------------- consent and publication


def test_the_holder_consents_themselves(holder_user, confirmed):
    consent = services.exemplar_consent_set(actor=holder_user, exemplar=confirmed, fields=["name", "story"])
    exemplar = Exemplar.objects.get(pk=confirmed.pk)
    assert consent.given_by_holder and exemplar.consented() == {"name", "story"}
    assert "tien phong so hoa" in exemplar.public_search_text and "van phong" not in exemplar.public_search_text


def test_an_officer_records_a_paper_consent_only_with_its_reference(officer, confirmed):
    with pytest.raises(ValidationError, match="văn bản đồng ý"):
        services.exemplar_consent_set(actor=officer, exemplar=confirmed, fields=["name"])
    consent = services.exemplar_consent_set(actor=officer, exemplar=confirmed, fields=["name", "unit"], note="Giấy đồng ý ký ngày 01/08/2020")
    assert not consent.given_by_holder and consent.note == "Giấy đồng ý ký ngày 01/08/2020"


def test_nothing_is_published_without_the_name(holder_user, confirmed):
    with pytest.raises(ValidationError, match="họ tên"):
        services.exemplar_consent_set(actor=holder_user, exemplar=confirmed, fields=["story", "photos"])


def test_colleagues_cannot_consent_for_the_holder(staff, manager, confirmed):
    for user in (staff, manager):
        with pytest.raises(PermissionDenied):
            services.exemplar_consent_set(actor=user, exemplar=confirmed, fields=["name"], note="x")


def test_withdrawing_consent_keeps_the_history(holder_user, confirmed):
    services.exemplar_consent_set(actor=holder_user, exemplar=confirmed, fields=["name", "unit"])
    services.exemplar_consent_set(actor=holder_user, exemplar=confirmed, fields=[])
    assert Exemplar.objects.get(pk=confirmed.pk).consented() == set()
    assert list(ExemplarConsent.objects.filter(exemplar=confirmed).order_by("at", "id").values_list("fields", flat=True)) == [["name", "unit"], []]


def test_only_confirmed_exemplars_are_published(officer, proposed):
    with pytest.raises(ValidationError, match="đã được công nhận"):
        services.exemplar_publish(actor=officer, exemplar=proposed, published=True)


def test_public_needs_confirmation_publication_and_name_consent(officer, holder_user, confirmed):
    assert not Exemplar.objects.get(pk=confirmed.pk).is_public
    services.exemplar_publish(actor=officer, exemplar=confirmed, published=True)
    assert not Exemplar.objects.get(pk=confirmed.pk).is_public
    services.exemplar_consent_set(actor=holder_user, exemplar=confirmed, fields=["name"])
    assert Exemplar.objects.get(pk=confirmed.pk).is_public
    services.exemplar_transition(actor=officer, exemplar=confirmed, to="withdrawn")
    withdrawn = Exemplar.objects.get(pk=confirmed.pk)
    assert not withdrawn.is_public and not withdrawn.published


def test_the_holder_consents_through_the_page(holder_user, confirmed):
    client = client_for(holder_user)
    page = client.get(reverse("exemplars:exemplar_consent", args=[confirmed.pk]))
    assert page.status_code == 200 and 'name="note"' not in page.content.decode()
    response = client.post(reverse("exemplars:exemplar_consent", args=[confirmed.pk]), {"fields_": ["name", "awards"]})
    assert response.status_code == 302 and Exemplar.objects.get(pk=confirmed.pk).consented() == {"name", "awards"}


# ---------------------------------------------------------------- photos


def test_a_photo_loses_its_exif(manager, proposed):
    photo = services.exemplar_photo_add(actor=manager, exemplar=proposed, file=upload("anh.jpg", jpeg_with_exif()), alt_text="Nhận giấy khen")
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert b"Nguyen Van Chup Anh" in jpeg_with_exif()  # the premise
    assert b"Nguyen Van Chup Anh" not in stored and b"Toa do" not in stored and b"Exif" not in stored
    assert (photo.width, photo.height) == (64, 48) and Image.open(io.BytesIO(stored)).format == "JPEG"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("anh.gif", b"GIF89a....", "JPEG hoặc PNG"),
    ("anh.jpg", b"MZ\x90\x00 not an image", "đổi tên"),
    ("anh.png", b"\x89PNG\r\n\x1a\nbroken", "Không đọc được ảnh"),
    ("anh.jpg", b"", "Tệp rỗng"),
])
def test_bad_photos_are_refused(manager, proposed, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.exemplar_photo_add(actor=manager, exemplar=proposed, file=upload(name, content), alt_text="x")
    assert not proposed.photos.exists()


def test_a_photo_needs_a_description(manager, proposed):
    with pytest.raises(ValidationError, match="Mô tả ngắn"):
        services.exemplar_photo_add(actor=manager, exemplar=proposed, file=upload("a.jpg", jpeg_with_exif()), alt_text=" ")


def test_removing_a_photo_takes_it_out_of_the_story(manager, proposed):
    photo = services.exemplar_photo_add(actor=manager, exemplar=proposed, file=upload("a.jpg", jpeg_with_exif()), alt_text="Ảnh")
    services.exemplar_update(actor=manager, exemplar=proposed, story_html=f'<p>x</p><img src="/vinh-danh/anh/{photo.pk}/" alt="Ảnh">')
    services.exemplar_photo_remove(actor=manager, photo=photo)
    assert Exemplar.objects.get(pk=proposed.pk).story_html == "<p>x</p>"


# ---------------------------------------------------------------- replication


def test_replication_is_recorded_and_checked(manager, confirmed):
    row = services.replication_add(actor=manager, exemplar=confirmed, adopter="Trung tâm Ứng dụng", place="Mỹ Tho",
                                   adopted_on=datetime.date(2021, 3, 1), result="Giảm 40% thời gian xử lý văn bản")
    assert list(confirmed.replications.all()) == [row]
    with pytest.raises(ValidationError) as refused:
        services.replication_add(actor=manager, exemplar=confirmed, adopter="", adopted_on=datetime.date(2999, 1, 1))
    assert set(refused.value.message_dict) == {"adopter", "adopted_on"}


# ---------------------------------------------------------------- pages and sight


def test_outsiders_get_404_and_staff_see_only_confirmed(outsider_client, staff_client, proposed, officer):
    url = reverse("exemplars:exemplar_detail", args=[proposed.pk])
    assert outsider_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404
    services.exemplar_transition(actor=officer, exemplar=proposed, to="confirmed")
    assert staff_client.get(url).status_code == 200


def test_the_holder_sees_their_own_and_is_offered_consent(holder_user, proposed):
    html = client_for(holder_user).get(reverse("exemplars:exemplar_detail", args=[proposed.pk])).content.decode()
    assert "Đồng ý công khai" in html and "<script>" not in html


def test_staff_cannot_edit(staff_client, confirmed):
    assert staff_client.get(reverse("exemplars:exemplar_edit", args=[confirmed.pk])).status_code == 403


def test_list_filters_and_search(officer_client, confirmed, manager, office2):
    other = services.exemplar_propose(actor=None, collective=office2, headline="Tập thể tiêu biểu", period_start=2010, period_end=2014)
    url = reverse("exemplars:exemplar_list")
    html = officer_client.get(url).content.decode()
    assert "Phạm Văn Điển Hình" in html and "Tập thể tiêu biểu" in html
    assert "Tập thể tiêu biểu" not in officer_client.get(url, {"q": "chu ky so"}).content.decode()
    assert "Phạm Văn Điển Hình" not in officer_client.get(url, {"status": "proposed"}).content.decode()
    assert "Phạm Văn Điển Hình" not in officer_client.get(url, {"year": 2012}).content.decode()
    assert "Không có điển hình nào khớp" in officer_client.get(url, {"q": "khong co ai"}).content.decode()
    assert other.pk


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow(officer_client, manager, office):
    url = reverse("exemplars:exemplar_list")
    services.exemplar_propose(actor=manager, person=make_person("Một", unit=office), headline="x", period_start=2016, period_end=2020)
    one = _queries(officer_client, url)
    for name in ("Hai", "Ba", "Bốn"):
        services.exemplar_propose(actor=manager, person=make_person(name, unit=office), headline="x", period_start=2016, period_end=2020)
    assert _queries(officer_client, url) == one
