"""History: every saved version of a solution keeps its related rows with it."""

import reversion
from taggit.models import TaggedItem

from solutions.models.attachments import Partner, SolutionImage, SourceLink
from solutions.models.indicators import Indicator, Measurement
from solutions.models.solution import Solution

# A tagged item does not follow its tag: tags are shared, and restoring one solution must
# never delete a tag that other solutions use.
reversion.register(TaggedItem)
reversion.register(Measurement)
reversion.register(Indicator, follow=["measurements"])
reversion.register(Partner)
reversion.register(SourceLink)
reversion.register(SolutionImage)
reversion.register(
    Solution,
    # Transfers are curated on their own, so restoring a version never removes one.
    follow=["partners", "sources", "images", "indicators", "tagged_items"],
    exclude=["search_document"],  # derived by the database
)
