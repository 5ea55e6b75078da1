"""Exemplars (điển hình tiên tiến) with their story, photos, backing awards, initiatives and replication;
the exemplar conference (hội nghị điển hình tiên tiến) with its call for presentations and reviews, its
programme, invitations and check-in, the decisions honoured there and the movement it launches; and the
agency's publication of decisions on the public honour board.

What reaches the public pages is decided here by data, never by a template:
- an exemplar is public when it is confirmed, the agency publishes it (``published``) and its holder (or,
  for a collective, its unit) consented to at least its name (``public_name``); each other part shows only
  with its own consent flag (``public_unit``, ``public_story``…);
- an award is public when its decision is published (``DecisionPublication``) and it is not revoked;
- a conference is public from the published programme on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import TimeStampedModel
from thidua.exemplars.enums import (
    AgendaKind,
    ConferenceStatus,
    ExemplarStatus,
    InvitationKind,
    PresentationStatus,
    Recommendation,
    Rsvp,
)

_ONE_SUBJECT = Q(person__isnull=False, collective__isnull=True) | Q(person__isnull=True, collective__isnull=False)


# ---------------------------------------------------------------- exemplars


class Exemplar(TimeStampedModel):
    """A person or a collective held up as an example, for a period and a field of work."""

    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT, related_name="exemplars"
    )
    collective = models.ForeignKey(
        "organizations.Unit", verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT, related_name="exemplars_as_collective"
    )
    # The unit that proposed it and answers for it: the person's unit, or the collective itself.
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị đề xuất"), on_delete=models.PROTECT, related_name="exemplars")
    headline = NFCCharField(_("điển hình về"), max_length=300)
    field_of_work = NFCCharField(_("lĩnh vực"), max_length=200, blank=True)
    period_start = models.PositiveSmallIntegerField(_("từ năm"))
    period_end = models.PositiveSmallIntegerField(_("đến năm"))
    summary = NFCTextField(_("tóm tắt thành tích"), blank=True)
    # Sanitised on the way in (``sanitise.clean_html``): only the allow-listed tags and attributes.
    story_html = models.TextField(_("câu chuyện điển hình"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ExemplarStatus.choices, default=ExemplarStatus.PROPOSED)
    awards = models.ManyToManyField("records.AwardRecord", verbose_name=_("khen thưởng làm căn cứ"), blank=True, related_name="exemplars")
    initiatives = models.ManyToManyField("records.Initiative", verbose_name=_("sáng kiến, đề tài"), blank=True, related_name="exemplars")
    source_conference = models.ForeignKey(
        "Conference", verbose_name=_("được biểu dương tại hội nghị"), null=True, blank=True, on_delete=models.SET_NULL, related_name="exemplars"
    )
    return_note = NFCTextField(_("ý kiến khi trả lại"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("công nhận lúc"), null=True, blank=True)
    # The agency's choice to show it on the honour board (``exemplar.confirm``)…
    published = models.BooleanField(_("đăng trên bảng vinh danh"), default=False)
    # …and the holder's consent, part by part (the latest ``ExemplarConsent`` row, copied here for queries).
    public_name = models.BooleanField(default=False)
    public_unit = models.BooleanField(default=False)
    public_story = models.BooleanField(default=False)
    public_photos = models.BooleanField(default=False)
    public_awards = models.BooleanField(default=False)
    public_initiatives = models.BooleanField(default=False)
    public_replications = models.BooleanField(default=False)
    # Accent-folded text of the consented parts only: a public search never matches what is not shown.
    public_search_text = models.TextField(default="", blank=True, editable=False)
    search_text = models.TextField(default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["-period_end", "id"]
        constraints = [
            models.CheckConstraint(condition=_ONE_SUBJECT, name="exemplar_one_subject"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="exemplar_period"),
        ]
        indexes = [models.Index(fields=["status", "published", "public_name"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.headline}"

    @property
    def subject_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return self.collective.name if self.collective_id else ""

    @property
    def is_collective(self) -> bool:
        return self.collective_id is not None

    @property
    def is_public(self) -> bool:
        return self.status == ExemplarStatus.CONFIRMED and self.published and self.public_name

    def consented(self) -> set[str]:
        return {name for name in ("name", "unit", "story", "photos", "awards", "initiatives", "replications") if getattr(self, f"public_{name}")}

    def audit_unit_path(self) -> str:
        return self.unit.path


class ExemplarConsent(models.Model):
    """One statement of consent (or its withdrawal): what may be published, who gave it and who wrote it
    down. Kept as history; the latest one is copied onto the exemplar."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="consents")
    fields = models.JSONField(_("phần được công khai"), default=list)
    # The holder consenting in person (their own account), or an officer recording a signed paper.
    given_by_holder = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = NFCCharField(_("căn cứ (văn bản đồng ý)"), max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.exemplar_id}: {', '.join(self.fields) or '—'}"


class ExemplarPhoto(models.Model):
    """A photo of the story: JPEG or PNG, re-encoded on upload without its metadata (EXIF: camera owner,
    GPS position)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="exemplars/photos/%Y/")
    caption = NFCCharField(_("chú thích"), max_length=300, blank=True)
    alt_text = NFCCharField(_("mô tả ảnh (cho người khiếm thị)"), max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=1)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    def audit_unit_path(self) -> str:
        return self.exemplar.unit.path


class Replication(models.Model):
    """Nhân rộng: where and when the model was adopted, by whom, with what result."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="replications")
    adopter = NFCCharField(_("đơn vị, người áp dụng"), max_length=300)
    adopter_unit = models.ForeignKey("organizations.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    place = NFCCharField(_("nơi áp dụng"), max_length=300, blank=True)
    adopted_on = models.DateField(_("thời điểm áp dụng"))
    result = NFCTextField(_("kết quả"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adopted_on", "id"]

    def __str__(self) -> str:
        return f"{self.adopter} ({self.adopted_on:%m/%Y})"

    def audit_unit_path(self) -> str:
        return self.exemplar.unit.path


# ---------------------------------------------------------------- conferences


class Conference(TimeStampedModel):
    organising_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="conferences"
    )
    title = NFCCharField(_("tên hội nghị"), max_length=300)
    held_on = models.DateField(_("ngày tổ chức"))
    starts_at = models.TimeField(_("giờ khai mạc"), null=True, blank=True)
    venue = NFCCharField(_("địa điểm"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(_("tổng kết giai đoạn từ năm"))
    period_end = models.PositiveSmallIntegerField(_("đến năm"))
    legal_bases = models.ManyToManyField(
        "common.LegalDocument", verbose_name=_("kế hoạch, hướng dẫn thực hiện"), blank=True, related_name="conferences"
    )
    purposes = models.JSONField(_("mục đích"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNING)
    submission_deadline = models.DateField(_("hạn gửi tham luận"), null=True, blank=True)
    blind_review = models.BooleanField(
        _("đánh giá ẩn danh"), default=False, help_text=_("Người đánh giá không thấy tên tác giả, đơn vị hay thông tin trong tệp.")
    )
    decisions = models.ManyToManyField(
        "decisions.Decision", verbose_name=_("quyết định khen thưởng trao tại hội nghị"), blank=True, related_name="conferences"
    )
    launched_movement = models.ForeignKey(
        "movements.Movement", verbose_name=_("phong trào được phát động"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    speaker_name = NFCCharField(_("người phát biểu chỉ đạo"), max_length=120, blank=True)
    speaker_title = NFCCharField(_("chức vụ"), max_length=200, blank=True)
    speech_text = NFCTextField(_("nội dung phát biểu"), blank=True)
    outcome = NFCTextField(_("đánh giá chung, bài học kinh nghiệm"), blank=True)
    report_number = NFCCharField(_("số báo cáo"), max_length=40, blank=True)
    report_date = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    report_signer_title = NFCCharField(_("chức vụ người ký báo cáo"), max_length=120, blank=True)
    report_signer_name = NFCCharField(_("họ tên người ký báo cáo"), max_length=120, blank=True)
    report_recipients = models.JSONField(_("nơi nhận báo cáo"), default=list, blank=True)
    news_byline = NFCCharField(_("tác giả tin bài"), max_length=200, blank=True)
    ceremony_batch_size = models.PositiveSmallIntegerField(_("số người mỗi lượt lên nhận khen thưởng"), default=7)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("hội nghị điển hình tiên tiến")
        verbose_name_plural = _("hội nghị điển hình tiên tiến")
        ordering = ["-held_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="conference_period")]
        indexes = [models.Index(fields=["status", "held_on"])]

    def __str__(self) -> str:
        return self.title

    def audit_unit_path(self) -> str:
        return self.organising_unit.path

    @property
    def period_label(self) -> str:
        return f"{self.period_start} – {self.period_end}"


class ConferenceTransition(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=24, choices=ConferenceStatus.choices)
    to_status = models.CharField(max_length=24, choices=ConferenceStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = NFCTextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.from_status} → {self.to_status}"


class ReviewCriterion(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=1)
    name = NFCCharField(_("tiêu chí"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class ReviewerAssignment(models.Model):
    """A reviewer of the conference's presentations. Reviewing rights come from this row only."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người đánh giá"), on_delete=models.PROTECT, related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["conference", "user"], name="reviewer_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.user_id}"

    def audit_unit_path(self) -> str:
        return self.conference.organising_unit.path


class Presentation(TimeStampedModel):
    """A presentation (tham luận) submitted to a conference, with its file and its reviewer copy.

    ``blind_file`` is what a reviewer downloads under blind review: a copy whose document properties
    (author, company, comments' authors…) were removed (``blind.py``), or one the organiser uploaded."""

    conference = models.ForeignKey(Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="presentations")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("đơn vị gửi"), on_delete=models.PROTECT, related_name="+")
    title = NFCCharField(_("tên tham luận"), max_length=300)
    abstract = NFCTextField(_("tóm tắt"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=PresentationStatus.choices, default=PresentationStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    revision = models.PositiveSmallIntegerField(_("lần gửi"), default=1)
    file = models.FileField(upload_to="exemplars/presentations/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    blind_file = models.FileField(upload_to="exemplars/presentations/blind/%Y/", blank=True)
    # "auto" (properties removed by the system), "manual" (uploaded by the organiser), "" (no reviewer copy:
    # the file could not be cleaned and the organiser has not uploaded one).
    blind_source = models.CharField(max_length=8, blank=True)
    decision_message = NFCTextField(_("ý kiến gửi tác giả"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tham luận")
        verbose_name_plural = _("tham luận")
        ordering = ["conference", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_unit_path(self) -> str:
        return self.conference.organising_unit.path

    @property
    def extension(self) -> str:
        name = self.original_name.lower()
        return name.rsplit(".", 1)[-1] if "." in name else ""


class PresentationAuthor(models.Model):
    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE, related_name="authors")
    order = models.PositiveSmallIntegerField(default=1)
    person = models.ForeignKey("organizations.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = NFCCharField(_("họ tên"), max_length=200)
    affiliation = NFCCharField(_("chức vụ, đơn vị"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(_("đề nghị"), max_length=8, choices=Recommendation.choices)
    comment = NFCTextField(_("nhận xét"), blank=True)
    total = models.PositiveIntegerField(_("tổng điểm"), default=0)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["presentation", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["presentation", "reviewer"], name="review_once_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.presentation_id} / {self.reviewer_id}: {self.total}"

    def audit_unit_path(self) -> str:
        return self.presentation.conference.organising_unit.path


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveSmallIntegerField(_("điểm"))

    class Meta:
        ordering = ["criterion__order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class AgendaItem(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=1)
    starts_at = models.TimeField(_("từ"), null=True, blank=True)
    ends_at = models.TimeField(_("đến"), null=True, blank=True)
    kind = models.CharField(_("loại nội dung"), max_length=16, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    title = NFCCharField(_("nội dung"), max_length=300)
    speaker = NFCCharField(_("người thực hiện"), max_length=300, blank=True)
    presentation = models.ForeignKey(Presentation, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A delegate invited to the conference, with the RSVP and the check-in at the door.

    ``token`` (20 characters of Crockford base32: 100 random bits) is printed as a QR code and as a code on
    the invitation; it opens the delegate's RSVP page and is what the door scans."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("đại biểu"), max_length=8, choices=InvitationKind.choices, default=InvitationKind.INTERNAL)
    person = models.ForeignKey("organizations.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = NFCCharField(_("họ tên"), max_length=200)
    position = NFCCharField(_("chức vụ"), max_length=200, blank=True)
    organisation = NFCCharField(_("cơ quan, đơn vị"), max_length=300, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    token = models.CharField(max_length=20, unique=True)
    rsvp = models.CharField(_("trả lời"), max_length=12, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("điểm danh lúc"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy mời")
        verbose_name_plural = _("giấy mời")
        ordering = ["conference", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "person"], condition=Q(person__isnull=False), name="invitation_person_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.conference.organising_unit.path


# ---------------------------------------------------------------- publication (công khai)


class DecisionPublication(models.Model):
    """The agency's choice to publish an issued decision (công khai) on the public pages. Its award lines
    are copied into ``PublicAward`` for the honour board; unpublishing removes them."""

    decision = models.OneToOneField("decisions.Decision", on_delete=models.PROTECT, related_name="publication")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("quyết định được công khai")
        verbose_name_plural = _("quyết định được công khai")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return str(self.decision)

    def audit_unit_path(self) -> str:
        return self.decision.issuing_unit.path


class PublicAward(models.Model):
    """One line of a published decision as the honour board shows it (names as written in the decision).
    The board hides it at once when its register entry is revoked (``award_record.revoked``)."""

    publication = models.ForeignKey(DecisionPublication, on_delete=models.CASCADE, related_name="awards")
    award_record = models.ForeignKey("records.AwardRecord", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=1)
    year = models.PositiveSmallIntegerField(db_index=True)
    # The unit the award is counted under (the collective, or the unit that proposed the person).
    unit = models.ForeignKey("organizations.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    unit_name = models.CharField(max_length=255, blank=True)
    is_collective = models.BooleanField(default=False)
    name = models.CharField(max_length=255)
    position = models.CharField(max_length=500, blank=True)
    award_name = models.CharField(max_length=200)
    decision_reference = models.CharField(max_length=60)
    decision_date = models.DateField()
    issuer_name = models.CharField(max_length=255)
    search_text = models.TextField(default="")

    class Meta:
        ordering = ["-year", "-decision_date", "order", "id"]
        indexes = [models.Index(fields=["year", "decision_date"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.award_name}"
