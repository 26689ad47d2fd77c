"""Find and replace personal data in free text, with Presidio over our own spaCy pipeline.

What is found: NHS numbers (with a valid check digit), UK phone numbers, email
addresses, UK postcodes and dates (of birth, most often). Phone numbers are what the phone
library calls valid and anything shaped like a UK number (10-13 digits after 0, +44 or
0044, with spaces, dashes or brackets), allocated or not: 07700 900123 is a number to
someone. Not phone-shaped, and kept: case references (CS-2026-000123), years, 999,
116 123; and kept as public: the council's and helplines' numbers in the settings and the
notice (an officer gives them out in a live chat). Names need a model that finds them; the project's offline spaCy pipeline has
none, so a name is redacted where it is introduced ("my name is Jo Bloggs", "his name's
Dave") and where the assistant knows a name was asked for (the request form,
tracker_store.py), not anywhere else in free text.

The conversation store, the case transcript and the live chat all redact with `redact`.
"""

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, FrozenSet, Iterator, List, Tuple

from core.settings import PROJECT_ROOT

SPACY_PIPELINE = PROJECT_ROOT / "build" / "spacy_en"
ENTITIES = ["UK_NHS", "PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE", "DATE_TIME",
            "PERSON"]
PLACEHOLDERS = {"UK_NHS": "<NHS number>", "PHONE_NUMBER": "<phone number>",
                "EMAIL_ADDRESS": "<email>", "UK_POSTCODE": "<postcode>",
                "DATE_TIME": "<date>", "PERSON": "<name>"}
# Shaped like a UK phone number: 0 and 9-12 more digits (10-13 in all), or +44 / 0044 and
# 9-11 more (an optional "(0)" too), in groups split by a space, dash or bracket. Not
# inside a word or a reference (CS-2026-000123: after a dash), not ending inside a number;
# 999, 116 123 and years are too short. Presidio's recogniser knows only allocated ranges.
PHONE_SHAPED = (r"(?<![\w+\-/.])"
                r"(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?\(?\d(?:[\s\-()]{0,2}\d){8,10}"
                r"|\(?0\d(?:[\s\-()]{0,2}\d){8,11})"
                r"(?![\w/]|\.\d)")
# "my name is Jo Bloggs", "his name's Dave": up to three words after the introduction,
# stopping at one that is no name ("my name is not important", "Jo and my dad...").
NAME_INTRO = re.compile(r"\b(?:my|her|his|their)\s+(?:full\s+|first\s+|real\s+)?name"
                        r"(?:\s+is|\s*['’]s|\s*:)\s*", re.IGNORECASE)
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A UK postcode (outward and inward code), as Royal Mail formats it.
POSTCODE = r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s?[0-9][A-Z]{2}\b"
EMAIL = r"\b[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
         r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# "3 March 2015", "3rd of march 2015", "March 3, 2015": Presidio's dates are numeric.
WRITTEN_DATE = (rf"(?i)\b(?:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH}\.?,?\s+\d{{4}}"
                rf"|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b")


def introduced_names(text: str) -> List[Tuple[int, int]]:
    """Where a name follows the words that introduce it (start and end in `text`)."""
    from conversation.form_answers import NOT_NAME_WORDS

    spans = []
    for intro in NAME_INTRO.finditer(text):
        start = end = position = intro.end()
        for _ in range(3):
            word = NAME_WORD.match(text, position)
            if not word or word.group().lower() in NOT_NAME_WORDS:
                break
            end = word.end()
            gap = re.match(r"[ \t]+", text[end:])
            if not gap:
                break
            position = end + gap.end()
        if end > start:
            spans.append((start, end))
    return spans


def _name_recognizer() -> Any:
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class IntroducedNameRecognizer(EntityRecognizer):
        def load(self) -> None:
            pass

        def analyze(self, text: str, entities: List[str], nlp_artifacts: Any = None
                    ) -> List[Any]:
            return [RecognizerResult("PERSON", start, end, 0.7)
                    for start, end in introduced_names(text)]

    return IntroducedNameRecognizer(supported_entities=["PERSON"], name="introduced name")


def _loaded_spacy_engine(path: Path) -> Any:
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class LoadedSpacyEngine(SpacyNlpEngine):
        """Presidio's spaCy engine, given our pipeline (its own would download one)."""

        def __init__(self, nlp: Any) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": str(path)}])
            self.nlp = {"en": nlp}

        def load(self) -> None:
            pass

    return LoadedSpacyEngine(spacy.load(path))


# Reentrant: a log record written while it loads is redacted by the same thread
# (redaction/logs.py), which must not wait for itself.
_loading = threading.RLock()
_warming = threading.Event()


def analyzer(pipeline: Path = SPACY_PIPELINE) -> Any:
    """Presidio's analyser with our recognisers, loaded once (it takes seconds: spaCy);
    a caller that comes while it loads waits for that load rather than starting another."""
    with _loading:
        return _analyzer(pipeline)


def warm_up() -> None:
    """Load the analyser in the background now, so that the first message redacted by a
    process that has not needed it yet (the web server, when a live chat starts) does
    not wait for it, and nor do the process's other requests."""
    if _analyzer.cache_info().currsize == 0 and not _warming.is_set():
        _warming.set()
        threading.Thread(target=analyzer, name="redaction warm-up", daemon=True).start()


@lru_cache(maxsize=None)
def _analyzer(pipeline: Path) -> Any:
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers import (DateRecognizer, NhsRecognizer,
                                                          PhoneRecognizer)

    registry = RecognizerRegistry()
    registry.add_recognizer(NhsRecognizer())
    registry.add_recognizer(PhoneRecognizer(supported_regions=("GB",)))
    registry.add_recognizer(DateRecognizer())
    # Presidio's own email recognizer asks tldextract, which fetches a list online.
    registry.add_recognizer(PatternRecognizer(
        supported_entity="EMAIL_ADDRESS", patterns=[Pattern("email", EMAIL, 0.9)]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="DATE_TIME", patterns=[Pattern("written date", WRITTEN_DATE, 0.6)]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="UK_POSTCODE",
        patterns=[Pattern("uk postcode", POSTCODE, 0.6)],
        context=["postcode", "post code", "address", "live", "lives"]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="PHONE_NUMBER",
        patterns=[Pattern("uk phone shape", PHONE_SHAPED, 0.6)]))
    registry.add_recognizer(_name_recognizer())
    return AnalyzerEngine(registry=registry, nlp_engine=_loaded_spacy_engine(pipeline),
                          supported_languages=["en"])


def national_digits(number: str) -> str:
    """A UK number's digits as dialled at home: +44 (0)344 800 8020 -> 03448008020."""
    digits = re.sub(r"\D", "", number)
    for prefix in ("0044", "44"):
        if digits.startswith(prefix) and len(digits) > 10:
            digits = digits[len(prefix):]
            break
    return digits if digits.startswith("0") else "0" + digits


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@lru_cache(maxsize=None)
def public_numbers() -> FrozenSet[str]:
    """The council's and helplines' numbers (in the settings and the notice): the
    assistant and its officers give them out, and nobody's personal data is in them."""
    from core.notice import load_notice
    from core.settings import load_settings

    texts = [*_strings(load_settings()), load_notice().text]
    # Looser than PHONE_SHAPED: helplines are short (0800 1111), and short ones the phone
    # library calls valid are redacted too unless they are listed here.
    numbers = (national_digits(match.group()) for text in texts
               for match in re.finditer(r"(?<![\w\-])(?:\+|00)?\d[\d ()\-]{4,16}\d(?!\w)", text))
    return frozenset(number for number in numbers if len(number) >= 7)


def find(text: str) -> List[Any]:
    """Presidio's results for the personal data in the text (positions into `text`)."""
    if not text or not text.strip():
        return []
    results = analyzer().analyze(text=text, language="en", entities=ENTITIES)
    # Postcodes typed in lower case: look again in an upper-cased copy (same positions).
    upper = analyzer().analyze(text=text.upper(), language="en", entities=["UK_POSTCODE"])
    found = results + [r for r in upper if r.entity_type == "UK_POSTCODE"]
    public = public_numbers()
    return [r for r in found if not (r.entity_type == "PHONE_NUMBER" and national_digits(
        text[r.start:r.end]) in public)]


@lru_cache(maxsize=None)
def anonymizer() -> Any:
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()


@lru_cache(maxsize=4096)
def redact(text: str) -> str:
    """The text with each piece of personal data replaced by a placeholder."""
    if not text or not text.strip():
        return text
    results = find(text)
    if not results:
        return text
    from presidio_anonymizer.entities import OperatorConfig

    operators = {entity: OperatorConfig("replace", {"new_value": placeholder})
                 for entity, placeholder in PLACEHOLDERS.items()}
    return anonymizer().anonymize(text=text, analyzer_results=results,
                                  operators=operators).text
