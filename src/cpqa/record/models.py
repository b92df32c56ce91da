"""The child protection record: children, families, enquiries, conferences and plans.

Models hold the facts and the invariants a single row can check (`clean`). Invariants across
rows (a child's second open plan, a review before its plan) are enforced in services.py, inside
the transaction that writes, and by database constraints where they fit. Codes are stored as the
DfE codes; labels come from cpqa.domain.codes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cpqa.core.models import InsertOnly
from cpqa.domain import codes
from cpqa.domain.calendar import completed_years, in_words


def _check_code(code_list: dict, value: str | None, field: str, errors: dict) -> None:
    if value and value not in code_list:
        errors[field] = f"unknown code {value!r}"


def _check_order(earlier: dt.date | None, later: dt.date | None, field: str, message: str, errors: dict) -> None:
    if earlier and later and later < earlier:
        errors[field] = message


class Team(models.Model):
    """A social work team; a CP chair is linked to each (the seed's linking roles)."""

    name = models.CharField(max_length=120, unique=True)
    service = models.CharField(max_length=120, blank=True)
    linked_chair = models.ForeignKey(
        "StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="linked_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """Someone in the service or a social work team, whether or not they sign in."""

    name = models.CharField(max_length=120)
    role = models.CharField(max_length=30, choices=codes.choices(codes.STAFF_ROLE))
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    contract_type = models.CharField(
        max_length=20, choices=codes.choices(codes.CONTRACT_TYPE), default="permanent"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="staff_fte_0_to_1")]

    def __str__(self) -> str:
        return self.name


class Family(models.Model):
    """A household: the report counts families as well as children."""

    reference = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120, help_text="How the service refers to the household")

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.reference


class FamilyMember(models.Model):
    """A parent, carer or other adult invited to the children's conferences."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=60)

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Child(models.Model):
    local_id = models.CharField("child id", max_length=20, unique=True, help_text="The CIN census LAchildID")
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=codes.choices(codes.SEX), default="U")
    ethnicity = models.CharField(max_length=4, choices=codes.choices(codes.ETHNICITY), default="NOBT")
    # Space-separated DfE disability codes; "NONE" for none.
    disabilities = models.CharField(max_length=80, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    upn_unknown = models.CharField(max_length=3, choices=codes.choices(codes.UPN_UNKNOWN), blank=True)
    # The census's FormerUPN, and its GenderCurrent as the return said it (9, indeterminate, has
    # no Sex of its own), so a return read in goes back out unchanged.
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    gender_current = models.CharField(
        "census GenderCurrent", max_length=1, choices=codes.choices(codes.GENDER_CURRENT), blank=True
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    social_worker = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_children"
    )

    class Meta:
        ordering = ["local_id"]
        verbose_name_plural = "children"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            ),
        ]

    def __str__(self) -> str:
        return self.local_id

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        # A child with no recorded birth is unborn on any day; no clock is needed to say so.
        return name or ("Unborn baby" if self.date_of_birth is None else self.local_id)

    def is_unborn(self, on: dt.date) -> bool:
        """Unborn on `on` (the definitions' rule): no date of birth, or one after `on`."""
        return self.date_of_birth is None or self.date_of_birth > on

    def age_on(self, on: dt.date) -> int | None:
        """Completed years on `on` (docs/definitions.md#age); None while unborn."""
        return None if self.is_unborn(on) else completed_years(self.date_of_birth, on)

    def age_in_words(self, on: dt.date) -> str:
        """"10", or "Unborn (expected 5 May 2018)", as the child's pages show it on `on`."""
        age = self.age_on(on)
        if age is not None:
            return str(age)
        expected = self.expected_date_of_birth
        return f"Unborn (expected {in_words(expected)})" if expected else "Unborn"

    @property
    def disability_codes(self) -> list[str]:
        return self.disabilities.split()

    @property
    def is_disabled(self) -> bool | None:
        codes_ = self.disability_codes
        if not codes_:
            return None
        return codes_ != ["NONE"]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.date_of_birth and not self.expected_date_of_birth:
            errors["date_of_birth"] = "a child needs a date of birth, or an expected date of birth if unborn"
        _check_code(codes.SEX, self.sex, "sex", errors)
        _check_code(codes.ETHNICITY, self.ethnicity, "ethnicity", errors)
        unknown = [c for c in self.disability_codes if c not in codes.DISABILITY]
        if unknown:
            errors["disabilities"] = f"unknown disability code(s): {', '.join(unknown)}"
        elif "NONE" in self.disability_codes and len(self.disability_codes) > 1:
            errors["disabilities"] = "NONE cannot be combined with other disability codes"
        _check_order(self.date_of_birth, self.date_of_death, "date_of_death", "death before birth", errors)
        if errors:
            raise ValidationError(errors)


class Referral(models.Model):
    """A child in need episode: referral to closure (CIN census CINdetails)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="referrals")
    referral_date = models.DateField()
    source = models.CharField(max_length=2, choices=codes.choices(codes.REFERRAL_SOURCE), default="10")
    primary_need = models.CharField(max_length=2, choices=codes.choices(codes.PRIMARY_NEED), blank=True)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=codes.choices(codes.REASON_FOR_CLOSURE), blank=True)
    no_further_action = models.BooleanField(default=False)

    class Meta:
        ordering = ["child", "referral_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=models.F("referral_date")),
                name="referral_closed_after_opened",
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_code(codes.REFERRAL_SOURCE, self.source, "source", errors)
        _check_code(codes.PRIMARY_NEED, self.primary_need, "primary_need", errors)
        _check_code(codes.REASON_FOR_CLOSURE, self.closure_reason, "closure_reason", errors)
        _check_order(self.referral_date, self.closure_date, "closure_date", "closure before referral", errors)
        if errors:
            raise ValidationError(errors)


class Assessment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField()
    authorised_date = models.DateField(null=True, blank=True)
    # Space-separated DfE assessment factor codes.
    factors = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["referral", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(authorised_date__isnull=True) | Q(authorised_date__gte=models.F("start_date")),
                name="assessment_authorised_after_start",
            ),
        ]

    @property
    def factor_codes(self) -> list[str]:
        return self.factors.split()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [c for c in self.factor_codes if c not in codes.ASSESSMENT_FACTOR]
        if unknown:
            errors["factors"] = f"unknown assessment factor code(s): {', '.join(unknown)}"
        _check_order(self.start_date, self.authorised_date, "authorised_date", "authorised before started", errors)
        if errors:
            raise ValidationError(errors)


class CINPlan(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referral", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cin_plan_ends_after_start",
            ),
        ]


class StrategyDiscussion(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="strategy_discussions")
    held_date = models.DateField()
    # When the conference service heard of it: the seed's "late notification to QA".
    notified_to_qa_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referral", "held_date"]


class Section47(models.Model):
    """A section 47 enquiry; its start is the strategy discussion that initiated it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="section47s")
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.SET_NULL, related_name="section47s"
    )
    start_date = models.DateField(help_text="Date of the strategy discussion that initiated the enquiry")
    # As recorded by the source; cpqa's own due date always comes from the timescale engine.
    icpc_target_date = models.DateField(null=True, blank=True)
    conference_not_required = models.BooleanField(default=False)
    completed_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referral", "start_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True) | Q(completed_date__gte=models.F("start_date")),
                name="s47_completed_after_start",
            ),
        ]

    @property
    def child(self) -> Child:
        return self.referral.child


class TransferInNotification(models.Model):
    """Another authority's written notice that a child on its plan has moved here."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transfer_notifications")
    from_authority = models.CharField(max_length=120)
    received_date = models.DateField()
    other_plan_start_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["received_date"]


class Plan(models.Model):
    """A child protection plan. Categories are stored as a set; the DfE category is derived."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=codes.choices(codes.PLAN_END_REASON), blank=True)
    # Sorted DfE codes joined by "+", e.g. "EMO+NEG"; the DfE category is one code or MUL.
    initial_categories = models.CharField(max_length=30)
    latest_categories = models.CharField(max_length=30)
    initial_category = models.CharField(max_length=3, choices=codes.choices(codes.CATEGORY), editable=False)
    latest_category = models.CharField(max_length=3, choices=codes.choices(codes.CATEGORY), editable=False)
    previous_plans = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="NumberOfPreviousCPP where known from another system"
    )
    from_other_authority = models.BooleanField(
        default=False, help_text="Started at a transfer-in conference (the plan began elsewhere)"
    )

    class Meta:
        ordering = ["child", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="plan_ends_after_start",
                violation_error_message="a plan's end date must be after its start date",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="one_open_plan_per_child",
                violation_error_message="this child already has an open plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} ({self.start_date:%d/%m/%Y})"

    @staticmethod
    def join_categories(categories: list[str] | set[str] | tuple[str, ...]) -> str:
        return "+".join(sorted(set(categories)))

    @property
    def initial_category_set(self) -> list[str]:
        return [c for c in self.initial_categories.split("+") if c]

    @property
    def latest_category_set(self) -> list[str]:
        return [c for c in self.latest_categories.split("+") if c]

    def is_open_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field in ("initial_categories", "latest_categories"):
            values = [c for c in getattr(self, field).split("+") if c]
            try:
                codes.dfe_category(values)
            except ValueError as exc:
                errors[field] = str(exc)
        if self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = "a plan's end date must be after its start date"
        if self.end_reason:
            _check_code(codes.PLAN_END_REASON, self.end_reason, "end_reason", errors)
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        self.initial_categories = self.join_categories(self.initial_category_set)
        self.latest_categories = self.join_categories(self.latest_category_set or self.initial_category_set)
        self.initial_category = codes.dfe_category(self.initial_category_set)
        self.latest_category = codes.dfe_category(self.latest_category_set)
        super().save(*args, **kwargs)


class Conference(models.Model):
    """One meeting. Its subjects (one row per child) carry each child's outcome."""

    TYPE_CHOICES = codes.choices(codes.CONFERENCE_TYPE)

    conference_type = models.CharField(max_length=20, choices=TYPE_CHOICES)
    due_date = models.DateField(null=True, blank=True, help_text="Kept when the conference is rearranged")
    scheduled_date = models.DateField(null=True, blank=True)
    scheduled_time = models.TimeField(null=True, blank=True)
    # The service's day the booking was made (initial conferences' invitations count from it);
    # null where a source did not say (a census file, the synthetic authority).
    booked_date = models.DateField(null=True, blank=True)
    venue = models.CharField(max_length=120, blank=True)
    held_date = models.DateField(null=True, blank=True)
    chair = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_conferences"
    )
    minute_taker = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="minuted_conferences"
    )
    late_reason = models.CharField(max_length=30, choices=codes.choices(codes.LATE_REASON), blank=True)
    transfer_notification = models.ForeignKey(
        TransferInNotification, null=True, blank=True, on_delete=models.SET_NULL, related_name="conferences"
    )
    invitations_sent_date = models.DateField(null=True, blank=True)
    decision_letter_sent_date = models.DateField(null=True, blank=True)
    minutes_sent_date = models.DateField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=30, choices=codes.choices(codes.CANCEL_REASON), blank=True)
    # Strengthening Families domains, the structure of the record
    # (docs/definitions.md#strengthening-families-domains).
    working_well = models.TextField(blank=True)
    worries = models.TextField(blank=True)
    childs_voice = models.TextField(blank=True)
    needs_to_happen = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_date", "pk"]

    def __str__(self) -> str:
        return f"{codes.label(codes.CONFERENCE_TYPE, self.conference_type)} {self.pk}"

    @property
    def date(self) -> dt.date | None:
        return self.held_date or self.scheduled_date

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_code(codes.CONFERENCE_TYPE, self.conference_type, "conference_type", errors)
        if self.late_reason:
            _check_code(codes.LATE_REASON, self.late_reason, "late_reason", errors)
        if errors:
            raise ValidationError(errors)


class ConferenceSubject(models.Model):
    """One child at one conference, with that child's outcome and participation."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="subjects")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="conference_subjects")
    section47 = models.ForeignKey(
        Section47, null=True, blank=True, on_delete=models.SET_NULL, related_name="conference_subjects"
    )
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="conference_subjects")
    outcome = models.CharField(max_length=20, choices=codes.choices(codes.CONFERENCE_OUTCOME), blank=True)
    participation_code = models.CharField(max_length=3, choices=codes.choices(codes.PARTICIPATION), blank=True)
    booklet_completed = models.BooleanField(null=True, blank=True)
    advocate_used = models.BooleanField(null=True, blank=True)
    report_grade = models.CharField(max_length=25, choices=codes.choices(codes.REPORT_GRADE), blank=True)
    report_shared_in_time = models.BooleanField(null=True, blank=True)
    report_feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["conference", "child"]
        constraints = [models.UniqueConstraint(fields=["conference", "child"], name="one_subject_row_per_child")]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        conference = self.conference if self.conference_id else None
        if conference is not None and self.plan_id and conference.conference_type == "review":
            held = conference.held_date or conference.scheduled_date
            if held and held <= self.plan.start_date:
                errors["plan"] = (
                    f"a review conference ({held:%d/%m/%Y}) must be after the start of the plan it reviews "
                    f"({self.plan.start_date:%d/%m/%Y})"
                )
        if self.outcome:
            _check_code(codes.CONFERENCE_OUTCOME, self.outcome, "outcome", errors)
        if self.participation_code:
            _check_code(codes.PARTICIPATION, self.participation_code, "participation_code", errors)
        if self.report_grade:
            _check_code(codes.REPORT_GRADE, self.report_grade, "report_grade", errors)
        if errors:
            raise ValidationError(errors)


class Invitee(models.Model):
    """An agency or family member invited to a conference, and what they did."""

    ATTENDANCE_CHOICES = [
        ("attended", "Attended"),
        ("apologies", "Sent apologies"),
        ("did_not_attend", "Did not attend"),
    ]

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitees")
    agency = models.CharField(max_length=30, choices=codes.choices(codes.AGENCY), blank=True)
    family_member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    name = models.CharField(max_length=120, blank=True)
    # A named person: their role (for example "Class teacher") and where the invitation goes.
    role = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    # False for someone who came without an invitation (recorded at the conference).
    invited = models.BooleanField(default=True)
    attendance = models.CharField(max_length=20, choices=ATTENDANCE_CHOICES, blank=True)
    report_submitted = models.BooleanField(default=False)
    report_shared_in_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "agency", "pk"]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.agency and not self.family_member_id and not self.name:
            errors["agency"] = "Enter the invitee's name or select their agency"
        if self.agency:
            _check_code(codes.AGENCY, self.agency, "agency", errors)
        if errors:
            raise ValidationError(errors)


class Rearrangement(models.Model):
    """A conference moved to another date; the due date stays as it was."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rearrangements")
    from_date = models.DateField()
    to_date = models.DateField()
    reason = models.CharField(max_length=30, choices=codes.choices(codes.LATE_REASON))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "recorded_at"]


class CoreGroup(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="core_groups")
    due_date = models.DateField()
    held_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_date"]


class Visit(models.Model):
    """A statutory visit to a child on a plan (Annex A list 7)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="visits")
    visit_date = models.DateField()
    seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "visit_date"]

# Who changed the record: one row per write a service makes on someone's behalf. The record's
# own tables say what is true; this log says who recorded it and when, so a booking, a
# rearrangement or an outcome can always be traced to a person. Like the access log it is
# insert-only, and it carries ids, never names or case details. It lives with the record
# because every service that writes (the record's own and each workflow's) notes its change.


class RecordChange(InsertOnly):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="record_changes"
    )
    # Kept as text too, so the trail survives the account being removed.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30)
    # The service that wrote, in its own words: "book_initial_conference", "record_outcome".
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    # Codes and dates only (an outcome code, a new date), never personal data.
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="record_change_object_idx")]



class RecordVersion(models.Model):
    """One row: a number every write to the record raises, in the writing transaction.

    Each server process keeps the whole record as tables in memory (`cpqa.record.cache`) and
    asks this one number per request to know whether its copy is still the record's.
    """

    number = models.BigIntegerField(default=0)

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(number=models.F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0
