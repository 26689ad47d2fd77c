"""One engine per database URL, made on first use (nothing connects at import time)."""

import os
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from core.settings import PROJECT_ROOT, load_settings
from casework.private_files import private_folder, private_sqlite
from casework.tables import metadata


def database_url(settings: Optional[Dict[str, Any]] = None,
                 use_environment: bool = True) -> str:
    """The configured URL; a relative SQLite path is taken from the project folder."""
    settings = settings or load_settings()
    url = ((use_environment and os.environ.get("ASSISTANT_DATABASE_URL"))
           or settings["cases"]["database_url"])
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = PROJECT_ROOT / parsed.database
        if not os.path.isabs(parsed.database):
            private_folder(path.parent)
            return str(parsed.set(database=str(path)))
    return url


def tracker_store_url(settings: Dict[str, Any]) -> str:
    """Where Rasa keeps the conversations (`rasa.tracker_store_url`), read by the web
    chat's "forget" and by retention."""
    url = os.environ.get("ASSISTANT_TRACKER_STORE_URL",
                         settings["rasa"]["tracker_store_url"])
    # The same rule as the case database: a relative SQLite path is under the project.
    return database_url({"cases": {"database_url": url}}, use_environment=False)


@lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    """The engine for a URL, with its tables created if they are missing (an SQLite file
    readable by its owner only: casework/private_files.py)."""
    private_sqlite(url)
    options: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        # Several processes (actions, officer queue, mail worker) share the file.
        options["connect_args"] = {"timeout": 30, "check_same_thread": False}
    engine = create_engine(url, **options)
    metadata.create_all(engine)
    return engine


def default_engine() -> Engine:
    return engine_for(database_url())


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: Optional[datetime]) -> Optional[datetime]:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)
