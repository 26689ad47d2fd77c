"""The trained assistant loaded in this process (the staff workbench, scoring runs)."""

from pathlib import Path
from typing import Any, Optional

from core.settings import action_endpoint


def quiet_rasa_logs() -> None:
    """Rasa logs every turn at debug level; a scoring run needs warnings only."""
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def load_agent(model: Path, action_url: Optional[str] = None) -> Any:
    """The trained agent, quiet; without an action URL it can only parse."""
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    quiet_rasa_logs()
    endpoint = EndpointConfig.from_dict(action_endpoint(action_url)) if action_url else None
    return Agent.load(str(model), action_endpoint=endpoint)
