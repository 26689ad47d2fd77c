"""The settings file: the shipped one loads, and an older one says what to rename."""

import pytest
import yaml

from core.settings import DEFAULT_SETTINGS_FILE, SettingsError, load_settings


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    def write(content):
        path = tmp_path / "assistant.yml"
        path.write_text(yaml.safe_dump(content), encoding="utf-8")
        monkeypatch.setenv("ASSISTANT_SETTINGS", str(path))
        load_settings.cache_clear()
        return path
    yield write
    load_settings.cache_clear()


def test_the_shipped_settings_have_one_web_block_and_a_rasa_block():
    settings = yaml.safe_load(DEFAULT_SETTINGS_FILE.read_text(encoding="utf-8"))
    assert {"chat", "staff", "public_url", "mode", "port"} <= set(settings["web"])
    assert {"url", "tracker_store_url"} <= set(settings["rasa"])
    assert not {"officer", "webchat", "workbench"} & set(settings)


def test_an_older_settings_file_is_refused_with_what_to_rename(settings_file):
    shipped = yaml.safe_load(DEFAULT_SETTINGS_FILE.read_text(encoding="utf-8"))
    old = {**shipped, "officer": {"mode": "production"}, "workbench": {"model": "m"}}
    path = settings_file(old)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert str(path) in message
    assert "`officer:` is now web" in message and "`workbench:` is now web.staff" in message


def test_another_settings_file_is_read(settings_file):
    shipped = yaml.safe_load(DEFAULT_SETTINGS_FILE.read_text(encoding="utf-8"))
    shipped["web"]["chat"]["title"] = "Another title"
    settings_file(shipped)
    assert load_settings()["web"]["chat"]["title"] == "Another title"
