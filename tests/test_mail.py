"""The team's mail: delivered to the SMTP server, kept and retried when it is down."""

from datetime import timedelta

from sqlalchemy import select

from casework.database import utc_now
from casework.mail import deliver_pending, outbox_status, retry_delay
from casework.mail_sink import MailSink
from casework.tables import outbox
from processes.servers import free_port
from tests.casework_support import new_case, store_in


def test_a_new_case_is_mailed_to_the_team(tmp_path, monkeypatch):
    port = free_port()
    monkeypatch.setenv("ASSISTANT_SMTP_PORT", str(port))
    store = store_in(tmp_path, port)
    case = store.open_case(new_case(request="complaint"))
    with MailSink(port) as sink:
        assert deliver_pending(store.engine, store.settings) == {"sent": 1, "failed": 0}
        [message] = sink.wait_for(1)
    assert message["To"] == store.settings["mail"]["team_address"]
    assert case["reference"] in message["Subject"]
    assert "a complaint" in message["Subject"]
    assert outbox_status(store.engine)["sent"] == 1
    # Nothing is sent twice.
    assert deliver_pending(store.engine, store.settings) == {"sent": 0, "failed": 0}


def test_mail_that_fails_is_kept_and_delivered_when_the_server_is_back(tmp_path, monkeypatch):
    port = free_port()  # nothing listens here yet
    monkeypatch.setenv("ASSISTANT_SMTP_PORT", str(port))
    store = store_in(tmp_path, port)
    store.open_case(new_case())
    assert deliver_pending(store.engine, store.settings) == {"sent": 0, "failed": 1}
    with store.engine.connect() as conn:
        row = conn.execute(select(outbox)).first()
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    # Not retried before its time...
    assert deliver_pending(store.engine, store.settings) == {"sent": 0, "failed": 0}
    # ...and delivered once the server is up and the retry is due.
    with MailSink(port) as sink:
        later = utc_now() + timedelta(minutes=5)
        assert deliver_pending(store.engine, store.settings, now=later) == {"sent": 1, "failed": 0}
        assert len(sink.wait_for(1)) == 1
    assert outbox_status(store.engine) == {"sent": 1, "pending": 0, "next_attempt_at": None}


def test_retries_back_off_up_to_an_hour():
    assert retry_delay(1, 60) == timedelta(minutes=1)
    assert retry_delay(3, 60) == timedelta(minutes=4)
    assert retry_delay(20, 60) == timedelta(hours=1)
