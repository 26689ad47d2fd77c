"""Safeguarding first: the phrase safety net, alone and inside the pipeline."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.safety_net import (
    DEFAULT_PHRASES_FILE,
    SafeguardingSafetyNet,
    load_patterns,
    matching_pattern,
)

patterns = load_patterns(DEFAULT_PHRASES_FILE)

CLEAR_DISCLOSURES = [
    "my stepdad hits me",
    "mums boyfriend keeps hurting me",
    "im scared to go home tonight",
    "I don't feel safe at home",
    "my uncle touches me and i dont like it",
    "i keep cutting myself",
    "i want to kill myself",
    "thinking about suicide",
    "the kids next door are left alone all night with no food",
    "when I work nights she leave the small one alone in the house",
    "my friend is being abused by her dad",
    "he punched my little brother",
    "dad kicked me out and i have nowhere to go",
    "my sister has gone missing",
    "there's a man grooming my daughter online",
    "if i tell u my dad beats me will u tell the police",
    "I’m frightened of my mum’s partner",
    "my brother has bruises all over him",
    "a child is in danger right now",
    "i took an overdose",
    "my carer smacks us",
    # Told in other words than the harm's name.
    "they say i owe them money and i cant leave the flat",
    "my nan keeps saying its time for my sister to be cut like the big girls",
    "mum changed the locks and my clothes are on the front drive",
    "one of the staff at the nursery is mistreating the babies",
    # Past harm that is not over, and an adult harmed now.
    "my uncle used to touch me when i was 9, im 14 now and he still comes round",
    "im 25 and my partner hit me last night",
    "they have sorted my nikah with a man from back home, i am 15",
    "he holds me by the throat when hes angry",
]

ORDINARY_QUESTIONS = [
    "do you share my data with the police?",
    "how long do you keep my son's file",
    "who do u share my stuff with",
    "is my data safe with you",
    "do you keep records of my childs health",
    "what happens if i dont want to give you info",
    "will the family know i reported them",
    "do you send my info abroad",
    "my child is at risk of being excluded, do you share with school",
    "can I get in touch with someone",
    "do you keep info about criminal convictions",
    "what is safeguarding",
    "does the safeguarding board see my file",
    "my file is missing some pages",
    "i dont want to be in your records any more",
    "are you exploiting my data",
    # Harm long over, studied, or said of things.
    "I was in care in the 80s because my dad used to beat me. I'm 50 now, can I see my file?",
    "we had a lesson on county lines in pshe today",
    "my phone has gone missing again lol",
    "what is written down when a child goes missing and comes back?",
    "how long do you keep records about domestic abuse concerns?",
    "I'm a school nurse. Does the council keep FGM information on the child's file?",
]


@pytest.mark.parametrize("text", CLEAR_DISCLOSURES)
def test_clear_disclosures_match_a_phrase(text):
    assert matching_pattern(patterns, text), text


@pytest.mark.parametrize("text", ORDINARY_QUESTIONS)
def test_ordinary_questions_match_no_phrase(text):
    assert matching_pattern(patterns, text) is None, matching_pattern(patterns, text)


def message(text, ranking):
    msg = Message(data={TEXT: text})
    msg.set(INTENT, ranking[0])
    msg.set(INTENT_RANKING_KEY, ranking)
    return msg


def net(**config):
    return SafeguardingSafetyNet({**SafeguardingSafetyNet.get_default_config(), **config})


def test_a_phrase_overrides_any_classifier_result():
    msg = message("my stepdad hits me", [{"name": "sharing", "confidence": 0.97}])
    net().process([msg])
    assert msg.get(INTENT) == {"name": "safeguarding", "confidence": 1.0}
    assert msg.get(INTENT_RANKING_KEY)[1]["name"] == "sharing"
    assert msg.get("safety_net").startswith("phrase")


def test_a_safeguarding_intent_ranked_second_wins():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "greet", "confidence": 0.4},
        {"name": "safeguarding", "confidence": 0.35},
    ]
    msg = message("things at home are bad", ranking)
    net().process([msg])
    assert msg.get(INTENT)["name"] == "safeguarding"
    assert msg.get("safety_net") == "classifier"


def test_a_weak_or_low_ranked_safeguarding_intent_does_not_win():
    ranking = [
        {"name": "sharing", "confidence": 0.6},
        {"name": "safeguarding", "confidence": 0.25},
        {"name": "retention", "confidence": 0.15},
    ]
    msg = message("who do you share with", ranking)
    net().process([msg])
    assert msg.get(INTENT)["name"] == "sharing"
    assert msg.get("safety_net") is None


def test_another_phrase_file_can_be_configured(tmp_path):
    phrases = tmp_path / "phrases.yml"
    phrases.write_text("patterns:\n  - \\bzebra\\b\n")
    msg = message("a zebra", [{"name": "greet", "confidence": 0.9}])
    net(phrases_file=str(phrases)).process([msg])
    assert msg.get(INTENT)["name"] == "safeguarding"


def many_parts(text, whole, parts, read_whole=False):
    msg = message(text, whole)
    msg.set("parts", [{"start": 0, "end": len(text), "ranking": r} for r in parts])
    if read_whole:
        msg.set("read_whole", True)
    return msg


BENIGN = [{"name": "sharing", "confidence": 0.9}]


def test_a_sentence_of_a_long_message_raises_the_alarm_when_safeguarding_tops_it():
    msg = many_parts("a long letter", BENIGN,
                     [BENIGN, [{"name": "safeguarding", "confidence": 0.75},
                               {"name": "background", "confidence": 0.2}]])
    net().process([msg])
    assert msg.get(INTENT)["name"] == "safeguarding"
    assert msg.get("safety_net") == "classifier, part 2"


@pytest.mark.parametrize("part", [
    [{"name": "background", "confidence": 0.55}, {"name": "safeguarding", "confidence": 0.4}],
    [{"name": "safeguarding", "confidence": 0.45}, {"name": "background", "confidence": 0.4}],
])
def test_a_sentence_where_safeguarding_is_second_or_weak_does_not(part):
    msg = many_parts("a long letter", BENIGN, [BENIGN, part])
    net().process([msg])
    assert msg.get(INTENT)["name"] == "sharing"
    assert msg.get("safety_net") is None


def test_a_short_message_read_whole_is_still_judged_by_the_whole():
    # a worry spread over two sentences, each a little near safeguarding on its own
    whole = [{"name": "sharing", "confidence": 0.5}, {"name": "safeguarding", "confidence": 0.35}]
    leaning = [{"name": "background", "confidence": 0.8}, {"name": "safeguarding",
                                                            "confidence": 0.15}]
    msg = many_parts("a short one. two sentences", whole, [BENIGN, leaning], read_whole=True)
    net().process([msg])
    assert msg.get(INTENT)["name"] == "safeguarding"
    assert msg.get("safety_net") == "classifier"


def test_a_short_message_whose_sentences_are_all_far_from_safeguarding_is_not_an_alarm():
    # "I'm a youth worker. One of our lads asked me if you can see his police record."
    whole = [{"name": "sharing", "confidence": 0.5}, {"name": "safeguarding", "confidence": 0.35}]
    msg = many_parts("a short one. two sentences", whole, [BENIGN, BENIGN], read_whole=True)
    net().process([msg])
    assert msg.get(INTENT)["name"] == "sharing"
    assert msg.get("safety_net") is None


SAFEGUARDING_TOP = [{"name": "safeguarding", "confidence": 0.9},
                    {"name": "background", "confidence": 0.1}]


def spans(text, *sentences):
    return [(text.index(s), text.index(s) + len(s)) for s in sentences]


@pytest.mark.parametrize("text, goes_on", [
    ("I was bullied at primary school years ago. I'm 30 now. Can I read the file?", False),
    ("I was bullied at primary school years ago. I'm 30 now and they still message me.", True),
])
def test_a_sentence_of_something_long_over_raises_no_alarm_unless_it_goes_on(text, goes_on):
    first, second = text.split(". ", 1)
    msg = message(text, BENIGN)
    msg.set("parts", [{"start": s, "end": e, "ranking": r} for (s, e), r in
                      zip(spans(text, first, second), [SAFEGUARDING_TOP, BENIGN])])
    net().process([msg])
    assert (msg.get(INTENT)["name"] == "safeguarding") is goes_on
