"""Every enumeration the portal stores or offers, each member with the label people read.

Models store them, forms offer them and templates print ``member.label``; nothing else spells a label. Labels
are read in the language of the page or email being written; the stored values never change.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


def _label_of(member: Labelled) -> str:
    return member.label


class Labelled(StrEnum):
    """A stored value with the words people read for it: ``__labels__`` where the value alone reads badly."""

    __labels__: ClassVar[dict[str, LazyString]] = {}

    @property
    def label(self) -> str:
        """The member's words in the current language (English outside a request or an email)."""
        explicit = self.__labels__.get(self.value)
        if explicit is not None:
            return str(explicit)
        # A label made from the value is translated like any other: DEFAULT_LABELS lists it for extraction.
        return gettext(self.value.replace("_", " ").capitalize())

    @classmethod
    def choices(cls) -> list[tuple[str, LazyString]]:
        """(value, label) for every member, in order: what a form's radio buttons or select offer.

        Forms are declared once, at import; each label is read when the form is shown, in that page's language.
        """
        return [(member.value, LazyString(_label_of, member)) for member in cls]


class ApplicationState(Labelled):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AWAITING_PAYMENT = "awaiting_payment"
    IN_REVIEW = "in_review"
    # A reviewer asked a question: the applicant owes the answer, and the review clock stands still.
    INFORMATION_REQUESTED = "information_requested"
    # Approved once where the catalogue asks for more approvals: a different reviewer gives the last one.
    AWAITING_SECOND_REVIEW = "awaiting_second_review"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    __labels__ = {"information_requested": _l("Waiting for the applicant")}


class ApplicationKind(Labelled):
    INITIAL = "initial"
    RENEWAL = "renewal"


class CentreStatus(Labelled):
    ACCREDITED = "accredited"
    ENDORSED = "endorsed"
    NON_ACCREDITED = "non_accredited"

    # Translated labels (lazy: forms offer them in the language of the page that shows them).
    __labels__ = {
        "accredited": _l("IMC-Accredited Training Centre"),
        "endorsed": _l("Endorsed Training Provider"),
        "non_accredited": _l("Non-Accredited Training Centre"),
    }


class TrainingMode(Labelled):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"

    __labels__ = {"in_person": _l("In person"), "online": _l("Online"), "blended": _l("Blended")}


class EngagementSetting(Labelled):
    INTERNAL = "internal"
    EXTERNAL = "external"

    __labels__ = {"internal": _l("Internal (mentoring conducted at work)"), "external": _l("External")}


class RefereeRelationship(Labelled):
    MENTEE = "mentee"
    MANAGER = "manager"
    ORGANISATION = "organisation_representative"

    __labels__ = {
        "mentee": _l("The mentee"),
        "manager": _l("The mentee's manager"),
        "organisation_representative": _l("An authorised representative of the organisation"),
    }


class SupervisionFocus(Labelled):
    SKILLS = "mentoring_skills"
    DOMAIN = "domain_knowledge"
    BOTH = "both"

    __labels__ = {
        "mentoring_skills": _l("Mentoring skills development"),
        "domain_knowledge": _l("Domain knowledge development"),
        "both": _l("Both"),
    }


class CredentialStatus(Labelled):
    VALID = "valid"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"
    REVOKED = "revoked"


class DocumentPurpose(Labelled):
    CERTIFICATE = "certificate"
    REFERENCE_LETTER = "reference_letter"
    MESSAGE_ATTACHMENT = "message_attachment"  # sent with a question or an answer about an application

    __labels__ = {"message_attachment": _l("Attachment to a message")}


class MessageRole(Labelled):
    """Who wrote a message about an application: the reviewer asks, the applicant answers."""

    REVIEWER = "reviewer"
    APPLICANT = "applicant"


class DocumentStatus(Labelled):
    QUEUED = "queued"
    READ = "read"
    NEEDS_ATTENTION = "needs_attention"
    MANUAL = "manual"
    CHECKED_BY_HAND = "checked_by_hand"

    __labels__ = {"queued": _l("Queued for reading"), "manual": _l("Needs manual check")}


class EmailStatus(Labelled):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a delivery attempt: no other attempt may send it meanwhile
    SENT = "sent"
    FAILED = "failed"


class PaymentMethod(Labelled):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"


class PairingState(Labelled):
    REQUESTED = "requested"  # a protégé asked; the mentor decides
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    DECLARING = "declaring"  # matched: both declare they have no conflict of interest
    BLOCKED = "blocked"  # a conflict of interest was declared
    AGREEING = "agreeing"  # the agreement is written and signed
    ACTIVE = "active"
    COMPLETED = "completed"  # term ended, both evaluations in, the mentee confirmed

    __labels__ = {"declaring": _l("Declaring conflicts of interest"), "agreeing": _l("Agreement to sign")}

    @property
    def is_open(self) -> bool:
        """Still holds one of the mentor's places."""
        return self in (PairingState.DECLARING, PairingState.AGREEING, PairingState.ACTIVE)


class PairingRole(Labelled):
    MENTOR = "mentor"
    MENTEE = "mentee"


class GoalProgress(Labelled):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"


class ExperienceState(Labelled):
    """An experience entry the mentee logged: the mentor acknowledges it."""

    LOGGED = "logged"
    ACKNOWLEDGED = "acknowledged"

    __labels__ = {"logged": _l("Waiting for the mentor")}


class CertificationReadiness(Labelled):
    """At the close-out, how ready the mentee is to apply for the next certification."""

    READY = "ready"
    PREPARING = "preparing"
    NOT_YET = "not_yet"

    __labels__ = {"ready": _l("Ready to apply"), "preparing": _l("Preparing: a few months away")}


class MeetingMode(Labelled):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"

    __labels__ = {"video": _l("Video call")}


class SupervisionStatus(Labelled):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXPIRED = "expired"  # the supervisor did not answer before the link ran out

    __labels__ = {"pending": _l("Waiting for the supervisor")}


class LinkKind(Labelled):
    """What a person is asked to answer by an emailed single-use link (portal/models/external_requests.py)."""

    REFERENCE = "reference"  # a referee confirms an engagement
    SUPERVISOR_DECLARATION = "supervisor_declaration"  # a supervisor declares they supervise the applicant
    SUPERVISION_SESSION = "supervision_session"  # a supervisor confirms a logged session


class DeclarationStatus(Labelled):
    """A supervisor's declaration for an application, asked by link."""

    PENDING = "pending"  # recorded, its email not yet sent
    SENT = "sent"
    REMINDED = "reminded"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"  # resent or another supervisor named: its link no longer works

    __labels__ = {
        "pending": _l("Waiting to be sent"),
        "sent": _l("Waiting for the supervisor"),
        "reminded": _l("Waiting for the supervisor (reminded)"),
        "confirmed": _l("Confirmed by the supervisor"),
        "declined": _l("Declined by the supervisor"),
        "expired": _l("Expired without an answer"),
        "superseded": _l("Replaced"),
    }

    @property
    def is_open(self) -> bool:
        return self in (DeclarationStatus.PENDING, DeclarationStatus.SENT, DeclarationStatus.REMINDED)

    @property
    def is_answer(self) -> bool:
        return self in (DeclarationStatus.CONFIRMED, DeclarationStatus.DECLINED)


class SupervisorConflict(Labelled):
    """A tie between supervisor and applicant that a reviewer weighs."""

    LINE_MANAGER = "line_manager"
    CLOSE_RELATIVE = "close_relative"
    BUSINESS_PARTNER = "business_partner"

    __labels__ = {
        "line_manager": _l("I am the applicant's line manager"),
        "close_relative": _l("I am a close relative of the applicant"),
        "business_partner": _l("I am the applicant's business partner"),
    }


class ReferenceStatus(Labelled):
    PENDING = "pending"  # recorded, its email not yet sent
    SENT = "sent"
    REMINDED = "reminded"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"  # confirmed, with corrections to dates or role
    DECLINED = "declined"
    EXPIRED = "expired"
    BOUNCED = "bounced"
    SUPERSEDED = "superseded"  # resent or replaced: its link no longer works

    __labels__ = {"corrected": _l("Confirmed with corrections")}

    @property
    def is_open(self) -> bool:
        return self in (ReferenceStatus.PENDING, ReferenceStatus.SENT, ReferenceStatus.REMINDED)

    @property
    def is_confirmation(self) -> bool:
        return self in (ReferenceStatus.CONFIRMED, ReferenceStatus.CORRECTED)

    @property
    def is_answer(self) -> bool:
        return self in (ReferenceStatus.CONFIRMED, ReferenceStatus.CORRECTED, ReferenceStatus.DECLINED)


class ContactMethod(Labelled):
    """How a member of staff reached someone to verify an engagement."""

    PHONE = "phone"
    VIDEO = "video"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"  # the referee's uploaded letter or saved email, accepted by a reviewer

    __labels__ = {
        "phone": _l("By phone"),
        "video": _l("By video call"),
        "letter": _l("From the referee's letter"),
        "email": _l("By email"),
        "in_person": _l("In person"),
    }


class DisputeOutcome(Labelled):
    """A reviewer's decision on an engagement its referee declined or corrected."""

    ACCEPTED = "accepted"  # counts again, on the reviewer's written reason
    EXCLUDED = "excluded"  # never counts toward this application

    __labels__ = {"accepted": _l("Accepted by the reviewer"), "excluded": _l("Excluded by the reviewer")}


class MembershipStatus(Labelled):
    """Where an applicant's claim to the member rate stands."""

    VERIFIED = "verified"  # the register matched it on the day of submission
    UNVERIFIED = "unverified"  # the register did not: a reviewer looks at it
    CONFIRMED = "confirmed"  # a reviewer confirmed it by hand, with a reason
    FALSE_CLAIM = "false_claim"  # a reviewer found it false: the fee difference is asked for

    __labels__ = {
        "verified": _l("Verified automatically"),
        "unverified": _l("Not verified"),
        "confirmed": _l("Confirmed by a reviewer"),
        "false_claim": _l("Found false"),
    }


class ReasonKind(Labelled):
    RETURN = "return"
    REJECT = "reject"

    __labels__ = {"return": _l("Return for changes")}


class Role(Labelled):
    APPLICANT = "applicant"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class DataRequestKind(Labelled):
    """What a person asked for under their data rights."""

    EXPORT = "export"
    ERASURE = "erasure"

    __labels__ = {"export": _l("Copy of your data"), "erasure": _l("Account deletion")}


class DataRequestStatus(Labelled):
    QUEUED = "queued"  # an export waits for the worker
    READY = "ready"  # the export is built; its link works once, until it expires
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"  # not downloaded in time: the file is gone
    FAILED = "failed"  # the worker gave up; the person was told
    DONE = "done"  # an erasure carried out

    __labels__ = {"queued": _l("Being prepared"), "ready": _l("Ready to download")}


class WebhookEventType(Labelled):
    """What a webhook endpoint can subscribe to; the value is the event's ``type`` in its payload."""

    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_DECIDED = "application.decided"
    CREDENTIAL_ISSUED = "credential.issued"
    CREDENTIAL_REVOKED = "credential.revoked"
    CREDENTIAL_EXPIRING = "credential.expiring"
    PAYMENT_RECORDED = "payment.recorded"

    __labels__ = {
        "application.submitted": _l("Application submitted (or resubmitted)"),
        "application.decided": _l("Application decided (approved or rejected)"),
        "credential.issued": _l("Credential issued"),
        "credential.revoked": _l("Credential revoked"),
        "credential.expiring": _l("Credential expiring soon (each reminder)"),
        "payment.recorded": _l("Payment recorded"),
    }


class DeliveryStatus(Labelled):
    """Where one webhook delivery is: waiting, being sent, answered 2xx, waiting to retry, or given up."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    RETRYING = "retrying"
    FAILED = "failed"


class CardEventOutcome(Labelled):
    """What became of a card processor's event: applied, a replay ignored, or kept for an admin to look at."""

    APPLIED = "applied"
    IGNORED = "ignored"  # a type the portal does not act on
    NEEDS_ATTENTION = "needs_attention"  # an unknown application, a mismatched amount, a refused payment

    __labels__ = {"needs_attention": _l("Needs an admin's attention")}


# The labels made from a value ("in_review" -> "In review"), spelled out so that the message extractor finds
# them: a generated string cannot be extracted. tests/unit/test_enum_labels.py fails when one is missing.
DEFAULT_LABELS = (
    _l("Acknowledged"),
    _l("Not yet"),
    _l("Reference"),
    _l("Supervision session"),
    _l("Supervisor declaration"),
    _l("Achieved"),
    _l("Active"),
    _l("Admin"),
    _l("Applicant"),
    _l("Applied"),
    _l("Approved"),
    _l("At risk"),
    _l("Awaiting payment"),
    _l("Awaiting second review"),
    _l("Bank transfer"),
    _l("Blended"),
    _l("Blocked"),
    _l("Both"),
    _l("Bounced"),
    _l("Card"),
    _l("Certificate"),
    _l("Checked by hand"),
    _l("Completed"),
    _l("Confirmed"),
    _l("Declined"),
    _l("Delivered"),
    _l("Done"),
    _l("Downloaded"),
    _l("Draft"),
    _l("Expired"),
    _l("Expiring soon"),
    _l("External"),
    _l("Failed"),
    _l("Ignored"),
    _l("In person"),
    _l("In review"),
    _l("Initial"),
    _l("Mentee"),
    _l("Mentor"),
    _l("Needs attention"),
    _l("Not started"),
    _l("On track"),
    _l("Online"),
    _l("Pending"),
    _l("Phone"),
    _l("Queued"),
    _l("Read"),
    _l("Reference letter"),
    _l("Reject"),
    _l("Rejected"),
    _l("Reminded"),
    _l("Renewal"),
    _l("Requested"),
    _l("Resubmitted"),
    _l("Retrying"),
    _l("Returned"),
    _l("Reviewer"),
    _l("Revoked"),
    _l("Sending"),
    _l("Sent"),
    _l("Submitted"),
    _l("Superseded"),
    _l("Valid"),
    _l("Withdrawn"),
)
