"""Councils (Hội đồng Thi đua – Khen thưởng) of an awarding unit, their members with terms, sessions with
an agenda of nominees, attendance, and the ballot records.

The ballot records are laid out so that nothing links a member to a choice; ``ballots.py`` explains the
design. In short: ``Participation`` says THAT a member voted (no choice), ``TallyCounter`` holds only
per-nominee totals (no member, no timestamp, created before voting opens), ``Receipt`` holds only the hash
of a random code (no member, no timestamp, random key).

A closed (or cancelled) session is immutable: the models refuse to save or delete its rows, and database
triggers (migration 0002) refuse inserts and updates under it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.common.fields import NFCCharField, NFCTextField
from thidua.common.models import TimeStampedModel
from thidua.council.enums import Choice, ItemResult, MemberRole, SessionStatus, VoteSource

FINAL_STATUSES = (SessionStatus.CLOSED, SessionStatus.CANCELLED)


class SessionClosedError(Exception):
    """A write on a closed or cancelled session (or on one of its rows)."""


class Council(TimeStampedModel):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="councils"
    )
    name = NFCCharField(_("tên Hội đồng"), max_length=300)
    established_by = NFCCharField(_("quyết định thành lập"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Hội đồng Thi đua – Khen thưởng")
        verbose_name_plural = _("Hội đồng Thi đua – Khen thưởng")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.unit.path


class Membership(TimeStampedModel):
    """One term of one member: the role in the council, linked to the user who votes."""

    council = models.ForeignKey(Council, verbose_name=_("Hội đồng"), on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="council_memberships"
    )
    role = models.CharField(_("vai trò trong Hội đồng"), max_length=24, choices=MemberRole.choices, default=MemberRole.MEMBER)
    title = NFCCharField(_("chức vụ"), max_length=200, blank=True)
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        ordering = ["council", "start_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")), name="council_membership_term"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.get_role_display()}"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def in_term_on(self, day) -> bool:
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)

    def audit_unit_path(self) -> str:
        return self.council.unit.path


class Session(TimeStampedModel):
    council = models.ForeignKey(Council, verbose_name=_("Hội đồng"), on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("ngày họp"))
    title = NFCCharField(_("nội dung phiên họp"), max_length=300, blank=True)
    place = NFCCharField(_("địa điểm"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.DRAFT)
    published_at = models.DateTimeField(_("gửi thành viên lúc"), null=True, blank=True)
    opened_at = models.DateTimeField(_("mở bỏ phiếu lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Frozen when voting opens: the roster, the attendance and the rules used, so that a later change of
    # a membership or of a parameter does not rewrite a past vote.
    members_total = models.PositiveSmallIntegerField(_("tổng số thành viên"), null=True, blank=True)
    present_total = models.PositiveSmallIntegerField(_("số thành viên có mặt"), null=True, blank=True)
    quorum_required = models.PositiveSmallIntegerField(_("số thành viên có mặt tối thiểu"), null=True, blank=True)
    ruleset_code = models.CharField(_("bộ quy định"), max_length=40, blank=True)
    rules = models.JSONField(_("tham số biểu quyết"), default=dict, blank=True)
    conclusion = NFCTextField(_("ý kiến, kết luận"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return self.title or f"{self.council.name} — {self.held_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None and Session.objects.filter(pk=self.pk, status__in=FINAL_STATUSES).exists():
            raise SessionClosedError("A closed or cancelled council session cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SessionClosedError("Council sessions are never deleted; cancel a session instead.")

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def audit_unit_path(self) -> str:
        return self.council.unit.path


class SessionPart(models.Model):
    """A row that belongs to a session: refused once the session is final."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_final()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_final()
        return super().delete(*args, **kwargs)

    def _refuse_if_final(self) -> None:
        if Session.objects.filter(pk=self.session_id, status__in=FINAL_STATUSES).exists():
            raise SessionClosedError("A closed or cancelled council session cannot be changed.")


class AgendaItem(SessionPart):
    """A nominee on the session's agenda; after closing, the counts and the result of its vote."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    nominee = models.ForeignKey("nominations.Nominee", verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="council_items")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    opened = models.BooleanField(_("đưa ra biểu quyết"), default=False)
    yes_count = models.PositiveIntegerField(_("đồng ý"), null=True, blank=True)
    no_count = models.PositiveIntegerField(_("không đồng ý"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(_("không biểu quyết"), null=True, blank=True)
    base = models.PositiveSmallIntegerField(_("số thành viên làm căn cứ tính tỉ lệ"), null=True, blank=True)
    share = models.DecimalField(_("tỉ lệ đồng ý"), max_digits=7, decimal_places=4, null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=16, choices=ItemResult.choices, blank=True)
    # False when the nominee had already been decided outside the session when it closed.
    applied = models.BooleanField(_("đã chuyển kết quả vào hồ sơ"), default=False)
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("đề nghị trong chương trình họp")
        verbose_name_plural = _("chương trình họp")
        ordering = ["session", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "nominee"], name="council_agenda_item_unique")]

    def __str__(self) -> str:
        return str(self.nominee)

    def audit_unit_path(self) -> str:
        return self.session.council.unit.path


class Attendance(SessionPart):
    """The roster of a session: every member in term on its date, present or not (frozen at opening)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"), default=False)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["session", "membership__start_on", "membership_id"]
        constraints = [models.UniqueConstraint(fields=["session", "membership"], name="council_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.membership}: {'có mặt' if self.present else 'vắng'}"


class Participation(SessionPart):
    """THAT a member voted in a session — never WHAT. One per member and session (the database refuses
    a second), which is how a double vote is stopped. A random key and no timestamp: the row says
    nothing about when the ballot was cast. A written vote carries the scanned document that the
    secretary entered it from (that document is signed by the member; it is not secret from the
    secretary, by law's design)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("hình thức"), max_length=8, choices=VoteSource.choices, default=VoteSource.ELECTRONIC)
    file = models.FileField(_("văn bản"), upload_to="council/written/%Y/", blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("lượt tham gia biểu quyết")
        verbose_name_plural = _("lượt tham gia biểu quyết")
        constraints = [models.UniqueConstraint(fields=["session", "membership"], name="council_participation_once")]

    def __str__(self) -> str:
        return f"{self.membership.name}: {self.get_source_display()}"

    def audit_unit_path(self) -> str:
        return self.session.council.unit.path


class TallyCounter(SessionPart):
    """WHAT was voted, only as totals: one counter per nominee, source and choice. All are created (at
    zero) when voting opens and every ballot rewrites every counter of its source, so neither a row's
    key, its position, nor the transaction that wrote it tells which counters a ballot raised."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counters")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=VoteSource.choices)
    choice = models.CharField(max_length=16, choices=Choice.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm phiếu")
        verbose_name_plural = _("bộ đếm phiếu")
        constraints = [
            models.UniqueConstraint(fields=["session", "nominee", "source", "choice"], name="council_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_id} {self.source} {self.choice}: {self.count}"


class Receipt(SessionPart):
    """The hash of a receipt code given once to a voter. No member, no timestamp, a random key: it
    proves a ballot was counted and nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="receipts")
    code_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("biên nhận phiếu")
        verbose_name_plural = _("biên nhận phiếu")

    def __str__(self) -> str:
        return self.code_hash


class PaperTally(SessionPart):
    """Paper ballots counted by hand: the totals per nominee as entered by the secretary."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="paper_tallies")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.PROTECT, related_name="+")
    yes_count = models.PositiveIntegerField(_("đồng ý"), default=0)
    no_count = models.PositiveIntegerField(_("không đồng ý"), default=0)
    abstain_count = models.PositiveIntegerField(_("không biểu quyết"), default=0)

    class Meta:
        verbose_name = _("kết quả kiểm phiếu giấy")
        verbose_name_plural = _("kết quả kiểm phiếu giấy")
        constraints = [models.UniqueConstraint(fields=["session", "nominee"], name="council_paper_tally_unique")]

    def __str__(self) -> str:
        return f"{self.nominee_id}: {self.yes_count}/{self.no_count}/{self.abstain_count}"

    @property
    def total(self) -> int:
        return self.yes_count + self.no_count + self.abstain_count


class PaperSheet(SessionPart):
    """A scanned tally sheet of the paper ballots; each entry of counts keeps its own."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="paper_sheets")
    file = models.FileField(_("biên bản kiểm phiếu giấy"), upload_to="council/paper/%Y/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu kiểm giấy đã quét")
        verbose_name_plural = _("phiếu kiểm giấy đã quét")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
