"""What each field of the case-study form asks for, in the words of the staff who fill it in."""

from django.utils.translation import gettext_lazy

SUBMISSION_HELP_TEXTS = {
    "title": gettext_lazy(
        "A short name for what the city did, e.g. “Water kiosks run by residents”."
    ),
    "network": gettext_lazy("The network that documents this case study."),
    "summary": gettext_lazy(
        "One plain paragraph: what was done and what came of it. Lists and search results show it."
    ),
    "problem": gettext_lazy("What was wrong, for whom, and how big it was."),
    "approach": gettext_lazy("What the city did, who did it, and in what order."),
    "results": gettext_lazy(
        "What changed, with numbers where you have them. What fell short is worth telling too."
    ),
    "lessons_learned": gettext_lazy("What another city should know before trying it."),
    "themes": gettext_lazy("Every theme it plainly fits: visitors browse by them."),
    "tags": gettext_lazy(
        "Other words people may search for, separated by commas, e.g. “waste pickers, "
        "cooperatives”."
    ),
    "sdgs": gettext_lazy("The Sustainable Development Goals the work contributes to."),
    "stage": gettext_lazy("How far it has come, from an idea to scaled up or ended."),
    "start_year": gettext_lazy("The year the work began."),
    "end_year": gettext_lazy("Leave empty if it is still running."),
    "cost_usd": gettext_lazy("The total cost in US dollars if known, digits only, e.g. 250000."),
    "funding": gettext_lazy("Who paid for it, and how."),
    "contact_name": gettext_lazy("Someone readers may ask about it. Shown on the published page."),
    "contact_email": gettext_lazy("Shown on the published page: use a work address."),
}
