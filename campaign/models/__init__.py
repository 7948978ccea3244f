"""All mapped tables. Import models from here."""

from campaign.db import Base
from campaign.models._types import UTCDateTime, utcnow
from campaign.models.contacts import PAUSE_REASONS, Callback, Contact, Exemption, ExemptionType, Pause
from campaign.models.core import (
    AuditEvent,
    Campaign,
    Case,
    CaseEvent,
    Job,
    LadderStep,
    Municipality,
    User,
    user_campaigns,
)
from campaign.models.imports import IMPORT_STATUSES, ImportRun
from campaign.models.letters import (
    LETTER_STATUSES,
    LIVE_EXCLUDED,
    Letter,
    PrintBatch,
    TemplateVersion,
    Wave,
    live_letter,
)
from campaign.models.phone import ContactReason
from campaign.models.sanctions import OrdinanceRule, ReviewTask, SanctionProposal, TickRun
from campaign.models.uwv import UwvList, UwvRegistration
from campaign.models.uwv_uploads import UwvStagedRegistration, UwvUpload

__all__ = [
    "AuditEvent",
    "Base",
    "Callback",
    "Campaign",
    "Case",
    "CaseEvent",
    "Contact",
    "ContactReason",
    "Exemption",
    "IMPORT_STATUSES",
    "ImportRun",
    "ExemptionType",
    "Job",
    "LETTER_STATUSES",
    "LIVE_EXCLUDED",
    "LadderStep",
    "Letter",
    "Municipality",
    "OrdinanceRule",
    "PAUSE_REASONS",
    "Pause",
    "PrintBatch",
    "ReviewTask",
    "SanctionProposal",
    "TemplateVersion",
    "TickRun",
    "UTCDateTime",
    "User",
    "UwvList",
    "UwvRegistration",
    "UwvStagedRegistration",
    "UwvUpload",
    "Wave",
    "user_campaigns",
    "utcnow",
    "live_letter",
]
