"""Who works a case: safety concerns go to the duty workers of the children's advice and
duty service, on a queue of their own (/duty/); every other request goes to the
data-protection officers (/officer/). Each desk has its own accounts and its own mail."""

from typing import Any, Dict

DUTY_REQUESTS = frozenset({"safeguarding"})
DESKS = ("officer", "duty")


def desk_of(request: str) -> str:
    """Whose queue a case of this request type is on: "duty" or "officer"."""
    return "duty" if request in DUTY_REQUESTS else "officer"


def desk_mail(settings: Dict[str, Any], desk: str) -> str:
    """The address a desk's team reads its mail at."""
    if desk == "duty":
        return settings["safeguarding"]["duty_mail"]
    return settings["mail"]["team_address"]
