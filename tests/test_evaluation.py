"""The scoring tools themselves: threshold choice, pipeline variants, score tables."""

import yaml

from evaluation.compare_pipelines import ENCODER, LOGISTIC, NEAREST, variant
from core.labels import sections_of
from evaluation.heldout import Outcome, Score
from evaluation.tune_threshold import Guess, best_guess, choose, rates
from tests.conftest import PROJECT_ROOT


def test_rates_count_wrong_confident_and_lost_answers():
    guesses = [
        Guess("sharing", "sharing", 0.9),
        Guess("sharing", "sharing", 0.3),
        Guess("storage", "retention", 0.8),
        Guess("storage", "retention", 0.2),
    ]
    assert rates(guesses, 0.5) == (0.25, 0.25)
    assert rates(guesses, 0.1) == (0.5, 0.0)


def test_a_narrow_margin_stops_an_answer_like_low_confidence():
    guesses = [Guess("a", "b", 0.6, margin=0.1), Guess("a", "a", 0.7, margin=0.5),
               Guess("a", "a", 0.55, margin=0.15)]
    assert rates(guesses, 0.5, 0.0) == (1 / 3, 0.0)
    assert rates(guesses, 0.5, 0.12) == (0.0, 0.0)
    assert rates(guesses, 0.5, 0.2) == (0.0, 1 / 3)


def test_choose_avoids_wrong_answers_within_the_lost_budget():
    guesses = [Guess("a", "b", 0.6), Guess("a", "a", 0.55), Guess("a", "a", 0.9)]
    # 0.65 removes the wrong answer but loses one right answer of three.
    grid = [(t, 0.0) for t in (0.5, 0.6, 0.65, 0.95)]
    assert choose(guesses, grid, max_lost=0.4) == (0.65, 0.0)
    assert choose(guesses, grid, max_lost=0.1) == (0.5, 0.0)
    assert choose(guesses, [(0.95, 0.0)], max_lost=0.0) == (0.95, 0.0)  # nothing allowed


def test_on_equal_results_choose_the_more_cautious_pair():
    guesses = [Guess("a", "a", 0.9, margin=0.8), Guess("a", "b", 0.3, margin=0.01)]
    grid = [(t, a) for t in (0.2, 0.5, 0.95) for a in (0.0, 0.05)]
    # (0.2, 0.05), (0.5, 0.0) and (0.5, 0.05) all stop the wrong answer and lose nothing;
    # 0.95 loses the right one.
    assert choose(guesses, grid, max_lost=0.0) == (0.5, 0.05)


def test_choose_prefers_the_margin_when_it_costs_less():
    # The wrong answer is confident but close to its runner-up; the right ones are not.
    guesses = [Guess("a", "b", 0.8, margin=0.05), Guess("a", "a", 0.75, margin=0.6),
               Guess("a", "a", 0.9, margin=0.8)]
    grid = [(t, a) for t in (0.5, 0.85) for a in (0.0, 0.1)]
    assert choose(guesses, grid, max_lost=0.0) == (0.5, 0.1)


def test_best_guess_reads_past_the_fallback_and_maps_chitchat():
    parse = {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4},
                                {"name": "greet", "confidence": 0.35}]}
    guess = best_guess(parse, "chitchat")
    assert (guess.section, guess.confidence, guess.right) == ("chitchat", 0.35, True)
    assert abs(guess.margin - 0.35) < 1e-9  # no runner-up: the margin is the confidence
    assert best_guess({"safety_net": "phrase", "intent_ranking": []}, "x").section == "safeguarding"


def test_pipeline_variants_swap_one_component():
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    names = lambda c: [p["name"] for p in c["pipeline"]]  # noqa: E731
    assert ENCODER in names(config) and LOGISTIC in names(config)
    without = variant(config, encoder=False, classifier="LR")
    assert ENCODER not in names(without) and NEAREST not in names(without)
    assert NEAREST not in names(variant(config, True, "LR", nearest=False))
    diet = variant(config, encoder=True, classifier="DIET")
    assert "DIETClassifier" in names(diet) and LOGISTIC not in names(diet)
    assert names(config).count(LOGISTIC) == 1  # the original is untouched


def test_sections_of_reads_only_custom_payloads():
    messages = [{"text": "hi"}, {"custom": {"section": "chitchat"}}, {"custom": "x"}]
    assert sections_of(messages) == ["chitchat"]


def test_score_table_and_breaches():
    score = Score([
        Outcome("q1", "sharing", "sharing", ["sharing"]),
        Outcome("q2", "sharing", None, []),
        Outcome("q3", "storage", "storage", ["storage"]),
    ])
    assert score.per_section() == {"sharing": (1, 2), "storage": (1, 1)}
    assert abs(score.accuracy - 2 / 3) < 1e-9
    assert [o.text for o in score.contract_breaches()] == ["q2"]
    assert "ALL" in score.table() and "sharing -> None: q2" in score.misses()


def test_a_failed_training_says_why(tmp_path):
    import pytest

    from evaluation.training import train_model

    broken = tmp_path / "config.yml"
    broken.write_text("pipeline:\n  - name: NoSuchComponent\n")
    with pytest.raises(RuntimeError, match="training broken with .* failed"):
        train_model(broken, tmp_path, "broken")
    assert not (tmp_path / "broken.tar.gz").exists()


def test_a_disclosure_is_caught_only_by_the_safety_message_first():
    from evaluation.disclosure_sets import is_alarm, per_kind

    safety = [{"text": "Your safety matters most.\n…", "custom": {"section": "safeguarding"}}]
    answer = [{"text": "We share …", "custom": {"section": "sharing"}}]
    late = answer + safety
    assert is_alarm(safety) and not is_alarm(answer) and not is_alarm(late) and not is_alarm([])
    items = [{"kind": "neglect", "text": "a"}, {"kind": "neglect", "text": "b"},
             {"kind": "fgm", "text": "c"}]
    assert per_kind(items, [True, False, True]) == {"fgm": (1, 1), "neglect": (1, 2)}


def test_the_disclosure_sets_name_a_kind_for_every_message():
    from evaluation.disclosure_sets import SETS, load_disclosure_set

    for path in sorted(SETS.glob("*.yml")):
        sets = load_disclosure_set(path)
        assert len(sets["disclosures"]) >= 100 and len(sets["near_misses"]) >= 100
        assert all(item["kind"] and item["text"] for key in sets for item in sets[key])


def test_a_disclosure_set_is_screened_and_its_near_copies_dropped(tmp_path):
    from evaluation.screen_sets import drop, questions_of

    path = tmp_path / "harm.yml"
    path.write_text("# Written by a helper.\ndisclosures:\n"
                    "- {kind: neglect, text: nobody feeds us}\n- {kind: fgm, text: they will cut her}\n"
                    "near_misses:\n- {kind: fgm, text: what is fgm data}\n", encoding="utf-8")
    found = questions_of(path)
    assert [t for _, _, t in found] == ["nobody feeds us", "they will cut her", "what is fgm data"]
    drop(path, [found[1]])
    kept = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert path.read_text(encoding="utf-8").startswith("# Written by a helper.\n")
    assert [i["text"] for i in kept["disclosures"]] == ["nobody feeds us"]
    assert [i["text"] for i in kept["near_misses"]] == ["what is fgm data"]
