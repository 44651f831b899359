"""The solutions app's models, one module per concept; every name is importable from here."""

from solutions.models import versions  # noqa: E402, F401, I001  (registers the history)
from solutions.models.attachments import Partner, PartnerSector, SolutionImage, SourceLink
from solutions.models.indicators import Direction, Indicator, Measurement, Trend
from solutions.models.solution import (
    RESERVED_SLUGS,
    Solution,
    Stage,
    Status,
    validate_not_reserved_slug,
)
from solutions.models.taxonomy import SustainableDevelopmentGoal, Theme
from solutions.models.transfers import Transfer, TransferStatus
from solutions.models.workflow import ReviewQueueItem, WorkflowEvent

__all__ = [
    "RESERVED_SLUGS",
    "Direction",
    "Indicator",
    "Measurement",
    "Partner",
    "PartnerSector",
    "ReviewQueueItem",
    "Solution",
    "SolutionImage",
    "SourceLink",
    "Stage",
    "Status",
    "SustainableDevelopmentGoal",
    "Theme",
    "Transfer",
    "TransferStatus",
    "Trend",
    "WorkflowEvent",
    "validate_not_reserved_slug",
]
