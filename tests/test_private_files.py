"""Security review, issue 16, item 6 (d): what the project writes under var/ (the case
and conversation databases, the development mailbox) is readable by its owner only,
whatever the process's umask."""

import os
import smtplib
import stat
from email.message import EmailMessage

import pytest

from processes.servers import free_port


@pytest.fixture(autouse=True)
def permissive_umask():
    """The usual umask (0o022) would leave new files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def loose(folder):
    """Everything under `folder` (and itself) that group or others may read or enter."""
    found = [folder] + sorted(folder.rglob("*"))
    return [str(p) for p in found if stat.S_IMODE(p.stat().st_mode) & 0o077]


def test_the_case_database_is_private(tmp_path, monkeypatch):
    import casework.database as database

    # A relative SQLite path is taken from the project folder: here, a temporary one.
    monkeypatch.setattr(database, "PROJECT_ROOT", tmp_path)
    url = database.database_url({"cases": {"database_url": "sqlite:///var/cases.sqlite3"}},
                                use_environment=False)
    engine = database.engine_for(url)
    with engine.begin() as conn:  # a write: SQLite's journal comes and goes
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x)")
        conn.exec_driver_sql("INSERT INTO probe VALUES (1)")
    assert (tmp_path / "var" / "cases.sqlite3").exists()
    assert loose(tmp_path / "var") == []


def test_an_absolute_case_database_path_is_private_too(tmp_path):
    from casework.database import engine_for

    (tmp_path / "elsewhere").mkdir(mode=0o700)
    engine_for(f"sqlite:///{tmp_path / 'elsewhere' / 'cases.sqlite3'}")
    assert (tmp_path / "elsewhere" / "cases.sqlite3").exists()
    assert loose(tmp_path / "elsewhere") == []


def test_an_existing_database_file_is_made_private(tmp_path):
    from casework.database import engine_for

    path = tmp_path / "old.sqlite3"
    path.touch(mode=0o644)
    engine_for(f"sqlite:///{path}")
    assert loose(tmp_path) == []


def test_the_conversation_store_is_private(tmp_path, monkeypatch):
    """As endpoints.yml configures it: a path relative to where Rasa runs."""
    from redaction.tracker_store import RedactingSQLTrackerStore

    monkeypatch.chdir(tmp_path)
    store = RedactingSQLTrackerStore(dialect="sqlite", db="var/trackers.sqlite3")
    store.engine.dispose()
    assert (tmp_path / "var" / "trackers.sqlite3").exists()
    assert loose(tmp_path / "var") == []


def test_the_development_mailbox_is_private(tmp_path):
    from casework.mail_sink import MailSink

    folder, port = tmp_path / "var" / "mailbox", free_port()
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "x"
    message.set_content("a case for the team")
    with MailSink(port, folder=folder) as sink:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)
        assert sink.wait_for(1)
    assert list(folder.glob("*.eml"))
    assert loose(tmp_path / "var") == []
