"""The emergency call (一键紧急呼叫): who is enrolled, their devices and family, the chain of people
who must answer, the call itself with its trace, and the outbox its alerts leave through.

A call is stored before anything else happens (``EmergencyCall``); each step of its chain is a
row of ``CallRecipient`` per person alerted and one ``Outbound`` per person and channel, written in
the same transaction as the step's ``CallEvent``. The step's deadline is a column of the call,
swept by a tight periodic loop; a step can start once only (a unique event per call and step).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class DeviceKind(models.TextChoices):
    BUTTON = "button", _("Emergency button")
    PHONE = "phone", _("Phone")
    LOGIN = "login", _("Resident's own login")


class ChainRole(models.TextChoices):
    """Who a step of the chain alerts, resolved through "on duty now" at that moment."""

    MICRO_WORKER = "micro_worker", _("Micro-grid worker")
    GRID_HEAD = "grid_head", _("Grid head (or the extended shift)")
    STATION_DUTY = "station_duty", _("Service station on duty")
    COMMUNITY_DUTY = "community_duty", _("Community duty officer")
    FAMILY = "family", _("Family contacts")


class Enrolment(BaseModel):
    """A person with a care tag, enrolled for the emergency call at their household."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="care_enrolments",
        verbose_name=_("person"),
    )
    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    community = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    # copy of the micro-grid's path: jurisdiction filters need no join
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    care_tag = models.ForeignKey(
        "registry.CareTag",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("care tag"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("emergency-call enrolment")
        verbose_name_plural = _("emergency-call enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="care_one_open_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"enrolment {self.pk} person {self.person_id}"


class Device(BaseModel):
    """Something that presses: a hardware button, a phone, or the resident's own login. A button
    or phone has a secret key, shown once and stored as its SHA-256 digest (the key is 32 random
    bytes, so a fast digest is enough); a login device names the login instead."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="devices", verbose_name=_("enrolment")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DeviceKind.choices)
    label = models.CharField(_("label"), max_length=80, blank=True)
    key_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # the key's first characters, to tell devices apart on screen
    key_hint = models.CharField(_("key begins"), max_length=12, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_devices",
        verbose_name=_("login"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    battery = models.PositiveSmallIntegerField(_("battery (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return f"{self.kind} {self.key_hint or self.user_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class FamilyContact(BaseModel):
    """Someone of the family the last step of the chain calls; the phone is sealed."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enrolment")
    )
    name = models.CharField(_("name"), max_length=64)
    relation = models.CharField(_("relation"), max_length=32, blank=True)
    phone_enc = models.TextField(editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")
        ordering = ["order", "id"]


class ChainStep(BaseModel):
    """One step of a community's escalation chain. A community with no steps uses
    ``settings.CARE_DEFAULT_CHAIN``. A call copies the chain when it is made."""

    community = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("who"), max_length=16, choices=ChainRole.choices)
    seconds = models.PositiveIntegerField(_("seconds to answer"))

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["community", "order"]
        constraints = [
            models.UniqueConstraint(fields=["community", "order"], name="care_chain_step_order")
        ]


class CallSource(models.TextChoices):
    DEVICE = "device", _("Emergency button or phone")
    RESIDENT = "resident", _("The resident's own login")
    KNOCK = "knock", _("No answer at the door (worker)")
    MEAL = "meal", _("No answer at a meal delivery")
    CARE = "care", _("Missed daily contact")


class CallStatus(models.TextChoices):
    ALERTING = "alerting", _("Alerting")
    UNANSWERED = "unanswered", _("Nobody answered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ON_WAY = "on_way", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    CallStatus.ALERTING,
    CallStatus.UNANSWERED,
    CallStatus.ACKNOWLEDGED,
    CallStatus.ON_WAY,
    CallStatus.ARRIVED,
)
# still waiting for someone to take it
WAITING_STATUSES = (CallStatus.ALERTING, CallStatus.UNANSWERED)


class Outcome(models.TextChoices):
    FALSE_ALARM = "false_alarm", _("False alarm")
    HELPED = "helped", _("Helped on the spot")
    CALLED_120 = "called_120", _("120 called")
    HOSPITAL = "hospital", _("Taken to hospital")


class EmergencyCall(BaseModel):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="calls", verbose_name=_("enrolment")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    community = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=CallSource.choices)
    device = models.ForeignKey(
        Device,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("device"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    # "<caller>:<Idempotency-Key>" and the digest of the body it came with
    idempotency_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, verbose_name=_("idempotency key")
    )
    body_digest = models.CharField(max_length=64, blank=True, verbose_name=_("body digest"))

    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.ALERTING
    )
    # the chain as it stood when the call was made: [{"role": …, "seconds": …}, …]
    plan = models.JSONField(_("chain"), default=list)
    # index into plan of the step now running; -1 until the first step has started
    step = models.SmallIntegerField(_("step"), default=-1)
    # when the running step gives up and the next starts (null once acknowledged or exhausted)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)

    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    on_way_at = models.DateTimeField(_("on the way at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrived_lat = models.FloatField(_("arrival latitude"), null=True, blank=True)
    arrived_lng = models.FloatField(_("arrival longitude"), null=True, blank=True)
    arrived_accuracy = models.FloatField(_("arrival accuracy (m)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_note = models.CharField(_("closing note"), max_length=500, blank=True)
    # the red case opened when nobody answered the whole chain
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )

    class Meta:
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        indexes = [
            # the sweep: waiting calls whose step is due
            models.Index(
                fields=["deadline"],
                condition=Q(deadline__isnull=False),
                name="care_call_due",
            ),
            models.Index(fields=["community", "created_at"], name="care_call_community"),
        ]

    def __str__(self) -> str:
        return f"call {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    PRESSED = "pressed", _("Call made")
    STEP = "step", _("Step started")
    STEP_SKIPPED = "step_skipped", _("Step skipped: nobody to alert")
    UNANSWERED = "unanswered", _("Nobody answered the chain")
    CASE_OPENED = "case_opened", _("Red case opened")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ON_WAY = "on_way", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    CLOSED = "closed", _("Closed")
    DELIVERED = "delivered", _("Alert delivered")
    FAILED = "failed", _("Alert failed")


class CallEvent(models.Model):
    """The trace of a call. Append-only."""

    call = models.ForeignKey(
        EmergencyCall, on_delete=models.CASCADE, related_name="events", verbose_name=_("call")
    )
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("what"), max_length=14, choices=EventKind.choices)
    step = models.SmallIntegerField(_("step"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["at", "id"]
        constraints = [
            # a step starts once, whichever process gets there first
            models.UniqueConstraint(
                fields=["call", "step"],
                condition=Q(kind="step"),
                name="care_step_once",
            ),
        ]

    def __str__(self) -> str:
        return f"call {self.call_id} {self.kind} {self.step}"


class CallRecipient(models.Model):
    """Someone alerted at a step: a login (who may then acknowledge) or, for a family contact or
    a duty phone, a name and a phone only."""

    call = models.ForeignKey(
        EmergencyCall, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("call")
    )
    step = models.SmallIntegerField(_("step"))
    role = models.CharField(_("who"), max_length=16, choices=ChainRole.choices)
    reason = models.CharField(_("why"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_alerts",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=64)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("alerted person")
        verbose_name_plural = _("alerted people")
        indexes = [models.Index(fields=["user", "call"], name="care_recipient_user")]

    def __str__(self) -> str:
        return f"call {self.call_id} step {self.step}: {self.name}"


class Channel(models.TextChoices):
    WEBSOCKET = "ws", _("App (WebSocket)")
    SMS = "sms", _("SMS")
    VOICE = "voice", _("Voice call")
    WECOM = "wecom", _("WeCom group")


class OutboundKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    UPDATE = "update", _("Update")


class OutboundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Outbound(models.Model):
    """The transactional outbox: one message to one person (or group) through one channel,
    written with the change that causes it and sent after it commits. A message is sent at least
    once; each carries its call's id and its own id, so a page or a gateway shows one."""

    call = models.ForeignKey(
        EmergencyCall, on_delete=models.CASCADE, related_name="outbound", verbose_name=_("call")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=OutboundKind.choices)
    step = models.SmallIntegerField(_("step"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        CallRecipient,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound",
        verbose_name=_("to"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
    )
    phone_enc = models.TextField(blank=True, editable=False)
    payload = models.JSONField(_("message"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=OutboundStatus.choices, default=OutboundStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # not before: the next try (backing off after a failure), or a claim's expiry while a
    # process is sending it
    due_at = models.DateTimeField(_("next try"))
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(status="pending"),
                name="care_outbound_due",
            )
        ]

    def __str__(self) -> str:
        return f"outbound {self.pk} {self.channel} ({self.status})"


class RefusalKind(models.TextChoices):
    DEVICE_KEY = "device_key", _("Unknown or revoked device key")
    REPLAY = "replay", _("Replayed call with another body")
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    OUTSIDE_CHAIN = "outside_chain", _("Not in the call's chain")
    CLOSED = "closed", _("Call already closed")
    TAKEN = "taken", _("Already acknowledged by someone else")
    ORDER = "order", _("Not possible at this point of the call")
    NO_GPS = "no_gps", _("Arrival without a position")
    FLOOD = "flood", _("Too many requests")


class Refusal(models.Model):
    """A refused attempt at a call or device, kept so an official can see who tried what."""

    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(_("what"), max_length=14, choices=RefusalKind.choices)
    call = models.ForeignKey(
        EmergencyCall,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="refusals",
        verbose_name=_("call"),
    )
    device = models.ForeignKey(
        Device,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="refusals",
        verbose_name=_("device"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("details"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("refused attempt")
        verbose_name_plural = _("refused attempts")

    def __str__(self) -> str:
        return f"refused {self.kind} at {self.at:%Y-%m-%d %H:%M:%S}"
