"""The thin-data benchmark trains on a fair sample: every intent, the same seed, the
rules and stories untouched, and a file Rasa reads."""

import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bench.thin_data import write_thin_data
from tests.conftest import PROJECT_ROOT


def intents_and_examples(folder):
    found = {}
    for path in sorted(folder.rglob("*.yml")):
        if "nlu" not in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}):
            continue
        data = RasaYAMLReader().read(path)
        for message in data.intent_examples:
            found.setdefault(message.get("intent"), []).append(message.get("text"))
    return found


def test_every_intent_keeps_a_sample_of_its_own_examples(tmp_path):
    kept = write_thin_data(tmp_path / "thin", per_intent=5)
    full, thin = intents_and_examples(PROJECT_ROOT / "data"), intents_and_examples(tmp_path / "thin")
    assert set(thin) == set(full)
    for intent, examples in thin.items():
        assert len(examples) == min(5, len(full[intent]))
        assert set(examples) <= set(full[intent])
    assert kept == sum(len(v) for v in thin.values())
    rules = sorted(p.relative_to(PROJECT_ROOT / "data") for p in (PROJECT_ROOT / "data" / "rules").glob("*.yml"))
    for rule_file in rules:
        assert (tmp_path / "thin" / rule_file).read_text() == (PROJECT_ROOT / "data" / rule_file).read_text()


def test_the_sample_is_fixed_by_the_seed(tmp_path):
    write_thin_data(tmp_path / "a", per_intent=3)
    write_thin_data(tmp_path / "b", per_intent=3)
    write_thin_data(tmp_path / "c", per_intent=3, seed=7)
    a, b, c = (intents_and_examples(tmp_path / x) for x in "abc")
    assert a == b
    assert a != c
