"""The production profile's nginx configuration: what each server lets through.

The running profile is checked from outside by deploy/edge_check.py (make test-prod);
these check the written file, so that a change to the template fails here first.
"""

import re
import shutil
import subprocess

import pytest

from deploy import prod


@pytest.fixture()
def nginx_config(tmp_path, monkeypatch):
    for name, folder in (("PROD", tmp_path), ("RUN", tmp_path / "run"),
                         ("LOGS", tmp_path / "logs")):
        folder.mkdir(exist_ok=True)
        monkeypatch.setattr(prod, name, folder)
    return prod.write_nginx_config(replicas=2)


def servers(config: str) -> dict:
    """Each `server { … }` block's text, by the port it listens on."""
    blocks, found = re.split(r"\n    server \{", config)[1:], {}
    for block in blocks:
        port = int(re.search(r"listen 127\.0\.0\.1:(\d+);", block).group(1))
        found[port] = block
    return found


def test_families_reach_only_the_demo_page_and_the_chat_api(nginx_config):
    public = servers(nginx_config.read_text())[prod.PUBLIC_PORT]
    locations = re.findall(r"location ([^{]+)\{ *([^}]*)\}", public)
    routed = {where.strip(): what.strip() for where, what in locations}
    assert "/webhooks/" not in public and "http://rasa" not in public
    assert "/officer" not in public and "/staff" not in public
    assert routed["/"] == "return 404;"
    # The Host with its port, as the browser sent it: the chat API compares it with Origin.
    assert "proxy_set_header Host $http_host;" in public
    assert "limit_req zone=chat" in routed["/chat/"]


def test_officers_and_staff_have_their_own_server_with_slow_sign_ins(nginx_config):
    staff = servers(nginx_config.read_text())[prod.STAFF_PORT]
    assert "location /officer/" in staff and "location /staff/" in staff
    assert re.search(r"login\$ \{\s*limit_req zone=logins", staff)
    assert "/chat/" not in staff


def test_rasa_and_the_action_servers_are_reached_on_loopback_only(nginx_config):
    config = nginx_config.read_text()
    assert set(servers(config)) == {prod.PUBLIC_PORT, prod.STAFF_PORT, prod.RASA_LB_PORT,
                                    prod.ACTIONS_LB_PORT}
    assert not re.search(r"listen (?!127\.0\.0\.1:)", config)
    assert "client_max_body_size 64k;" in config
    assert "client_max_body_size 1m;" in servers(config)[prod.ACTIONS_LB_PORT]


@pytest.mark.skipif(shutil.which("nginx") is None and not shutil.which("/usr/sbin/nginx"),
                    reason="nginx is installed by make prod-up")
def test_nginx_accepts_the_written_configuration(nginx_config):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    checked = subprocess.run([nginx, "-t", "-q", "-c", str(nginx_config)],
                             capture_output=True, text=True)
    # As a non-root user nginx may only warn that it cannot open the default error log.
    assert checked.returncode == 0, checked.stderr
