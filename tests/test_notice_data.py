"""The notice data file: complete, and faithful word for word to the notice."""

import re

import pytest
import yaml

from core.notice import NOTICE_DATA_FILE, find_last_updated, load_notice, normalise
from core.settings import PROJECT_ROOT

CONTRACT = PROJECT_ROOT / "docs" / "SECTIONS.md"
SHARED = PROJECT_ROOT.parent / "shared"

notice = load_notice()


def contract_ids(table_heading: str) -> list:
    """The ids in the first column of one table of SECTIONS.md."""
    text = CONTRACT.read_text(encoding="utf-8")
    part = text.split(table_heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", part, flags=re.MULTILINE)


def test_contract_copy_matches_the_shared_one():
    shared = SHARED / "notice" / "SECTIONS.md"
    if not shared.exists():
        pytest.skip("no ../shared beside this checkout")
    assert CONTRACT.read_text() == shared.read_text(), "docs/SECTIONS.md is stale"


def test_notice_text_matches_the_published_seed():
    seeds = sorted((SHARED / "seeds").glob("000_*.txt")) if SHARED.exists() else []
    if not seeds:
        pytest.skip("no ../shared/seeds beside this checkout")
    assert notice.text == seeds[0].read_text(encoding="utf-8")


def test_every_section_id_of_the_contract_has_data():
    ids = contract_ids("## Section ids")
    assert len(ids) == 19
    assert sorted(notice.sections) == sorted(ids)


@pytest.mark.parametrize("section_id", sorted(notice.sections))
def test_every_quote_is_in_the_notice_word_for_word(section_id):
    text = normalise(notice.text)
    for quote in notice.section(section_id).quotes:
        assert normalise(quote) in text, f"{section_id}: not in the notice: {quote!r}"


@pytest.mark.parametrize("section_id", sorted(notice.sections))
def test_every_title_is_a_line_of_the_notice(section_id):
    lines = {normalise(line) for line in notice.text.splitlines()}
    assert normalise(notice.section(section_id).title) in lines


def test_terms_quote_the_notice_and_name_known_sections():
    text = normalise(notice.text)
    for by_id in notice.terms.values():
        for term in by_id.values():
            assert term.section in notice.sections, term.id
            if term.listed:
                assert term.quote and normalise(term.quote) in text, term.id
            else:
                assert term.quote is None, f"{term.id} is not listed but quotes"


def test_a_term_belongs_to_one_recipient_or_data_kind_only():
    owners = {}
    for by_id in notice.terms.values():
        for term in by_id.values():
            for word in term.terms + term.examples:
                owner = owners.setdefault((term.kind, word.lower()), term.id)
                assert owner == term.id, f"{word!r}: {owner} and {term.id}"


def test_last_updated_comes_from_the_notice_text():
    assert notice.last_updated == "November 2024"
    assert "November 2024" in notice.section("changes").answer
    with pytest.raises(ValueError):
        find_last_updated("a notice with no date line")


def test_the_data_file_has_no_unknown_keys():
    data = yaml.safe_load(NOTICE_DATA_FILE.read_text())
    for raw in data["sections"]:
        assert set(raw) <= {"id", "title", "topic", "quotes", "answer", "follow_ups"}, raw["id"]


def test_follow_ups_lead_to_sections():
    for section in notice.sections.values():
        for kind, target in section.follow_ups:
            assert kind in ("why", "how_long"), section.id
            assert target in notice.sections, (section.id, target)


def notice_body_words() -> str:
    """The notice from its title to its date line (not the page's menu or share links)."""
    from core.notice import notice_parts

    return " ".join(normalise(" ".join([heading] + lines))
                    for heading, lines in notice_parts(notice.text))


@pytest.mark.parametrize("kind", ["recipient", "data_kind", "topic"])
def test_what_the_notice_does_not_mention_is_not_in_the_notice(kind):
    """Honest silence: an unlisted term, or a topic, never names a word of the notice."""
    body = notice_body_words()
    for term in notice.terms[kind].values():
        if term.listed:
            continue
        for word in term.terms:
            pattern = rf"(?<!\w){re.escape(normalise(word))}(?!\w)"
            assert not re.search(pattern, body), f"{term.id}: {word!r} is in the notice"


def test_every_topic_says_what_the_notice_says_nearest():
    for topic in notice.terms["topic"].values():
        assert topic.says and topic.says.startswith("It "), topic.id
        assert topic.section in notice.sections, topic.id
        assert set(topic.near) <= set(notice.sections), topic.id
        assert not re.search(r"\d", topic.says), topic.id  # no figure the quotes lack


REQUESTS = {"access", "rectification", "erasure", "restriction", "objection", "portability",
            "withdraw_consent", "complaint", "human"}


def set_labels():
    """(folder, item, label) of every expected id in every folder of conversation sets."""
    from curation.protected import TEST_SETS, TUNING_SETS, UNSEEN_SETS, load_set
    from evaluation.conversation_sets import alternatives

    for folder in (TEST_SETS, TUNING_SETS, UNSEEN_SETS):
        name = folder.relative_to(PROJECT_ROOT)
        for conversation in load_set(folder, "conversations"):
            for turn in conversation["turns"]:
                for label in alternatives(turn["expect"]):
                    yield name, conversation["id"], label
        for item in load_set(folder, "long"):
            for part in item["expect"]:
                for label in alternatives(part):
                    yield name, item["id"], label
        for item in load_set(folder, "silent"):
            for label in alternatives(item["closest"]):
                yield name, item["id"], label
        for item in load_set(folder, "vocabulary"):
            for label in alternatives(item["expect"]):
                yield name, item["text"][:40], label


def test_every_label_of_the_conversation_sets_is_a_contract_id():
    known = set(contract_ids("## Section ids")) | set(contract_ids("## Routes"))
    labels = list(set_labels())
    assert len(labels) > 1000
    wrong = [(folder, item, label) for folder, item, label in labels
             if not (label in known and label != "handoff"
                     or label.startswith("handoff:") and label.split(":", 1)[1] in REQUESTS)]
    assert not wrong, wrong
