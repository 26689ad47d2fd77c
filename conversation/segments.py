"""A message, read sentence by sentence: the parts of a long or compound message.

The intent classifier was trained on single short questions. On a long message it sees
a bag of every word of the letter and becomes sure of nonsense (the whole of a formal
email scored "safeguarding" at 1.0); on "who do you share it with and how long do you
keep it?" it can only pick one. So a message is cut into sentences, a long sentence
into clauses where a new question starts, and each part is read on its own.
"""

import re
from typing import List, Tuple

# A part longer than this is cut again at a clause boundary, if it has one.
MAX_PART_WORDS = 28
MAX_PARTS = 10

# Full stops that do not end a sentence.
_ABBREVIATIONS = re.compile(
    r"\b(mr|mrs|ms|miss|dr|prof|st|no|ref|e\.g|i\.e|etc|approx|dept|tel|ltd|co|vs)\.",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\s*[\n\r]+\s*|\s*;\s+|\s+-{1,2}\s+")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·–]|\(?\d{1,2}[.)\0]|\(?[a-hA-H][.)]|[a-zA-Z]\))\s+")

QUESTION_WORDS = (
    "what", "whats", "who", "whom", "whose", "which", "where", "when", "why", "how",
    "whether", "can", "could", "do", "does", "did", "will", "would", "is", "are", "was",
    "were", "should", "shall", "may", "might", "have", "has", "am", "if",
)
# Words that open a question wherever they stand; the other question words also open
# relative clauses and statements ("which gave me a turn", "when he gets angry"), so they
# count only when an auxiliary follows.
STRONG_QUESTION_WORDS = {
    "what", "whats", "who", "whos", "why", "how", "hows", "can", "could", "do", "does",
    "did", "will", "would", "is", "are", "should", "have", "has", "may", "wat", "wot",
    "wats", "y", "cn", "wud", "wil"}
AUXILIARIES = {
    "is", "are", "was", "were", "will", "would", "do", "does", "did", "can", "could",
    "should", "shall", "may", "might", "must", "has", "have", "had", "am", "i", "you",
    "we", "they", "does", "exactly", "else", "else's"}
MODALS = {"will", "can", "would", "could", "shall", "wil", "cn", "wud"}
NO_SUBJECT = {"do", "try", "too", "thanks", "thank", "ta", "cheers", "again"}
NOT_BEFORE_INVERSION = {
    "i", "we", "you", "u", "they", "he", "she", "it", "them", "him", "her", "me", "us",
    "to", "will", "would", "can", "could", "should", "must", "might", "may", "let",
    "lets", "ill", "theyll", "youll", "well", "shell", "hell", "id", "wed", "theyd"}
# Ways of asking or requesting that are not questions in form.
ASKING = re.compile(
    r"\b(i|we)(\s+would|\s+d|d|\s+am|m|\s+was|\s+were|\s+really)?\s+"
    r"(like|love|want|wanted|need|needed|wish|wondering|wonder|writing|asking|hoping|request|"
    r"require|trying)\s+(to\s+)?(know|ask|see|get|have|request|make|find|understand|"
    r"check|confirm|access|obtain|receive|a|an|my|the|all|any|copy|to|you|if|whether|"
    r"what|who|how|why|where|when)\b"
    r"|\b(please|pls|plz|kindly)\b"
    r"|\b(can|could|would|will)\s+(you|u|someone|somebody|i|we)\b"
    r"|\b(tell|show|explain|advise|confirm|let)\s+(me|us)\b"
    r"|\b(i|we)\s+(want|need|would like|d like)\b|\b(i|we)\s*d\s+(like|love)\b"
    r"|\b(she|he|they)(d|'d|’d| would)\s+(like|love)\b"
    r"|\b(she|he|they|my \w+|our \w+)\s+(wants|want|would like|needs|need|wishes|"
    r"is wondering|was wondering|asked|asks|has asked)\s+(to know|to see|to ask|me to|"
    r"if|whether|what|who|how|why|when|where)\b"
    r"|\bis it (true|possible|right|ok)\b"
    r"|\b(grateful|appreciate|thankful)\b[^.?!]*\b(if|for)\b"
    r"|\b(if|whether) (you|u|the council) (could|would|can|will)\b"
    r"|\bany (idea|info|information)\b",
    re.IGNORECASE)
INVERTED = re.compile(
    r"\b(does|do|did|will|would|can|could|is|are|was|were|has|have)\s+(that|it|this|they|"
    r"you|u|anyone|anybody|someone|somebody|everyone)\s+(?!know\b)\w+", re.IGNORECASE)
# A question after a comma, its auxiliary before its subject: "my partner has MS, is her
# health information recorded as well".
CLAUSE_QUESTION = re.compile(
    r",\s*(?:and\s+|so\s+|but\s+)?(?:is|are|does|do|did|will|would|can|could|has|have|was|were)"
    r"\s+(?:her|his|my|our|their|your|the|any|all)\s+\w+", re.IGNORECASE)
# Where a second question begins inside a sentence: "…, and how long…", "… also can I…".
_CLAUSE_START = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|&|but|or|as well as|and also|then)\s*,?\s+(?=(?:"
    + "|".join(QUESTION_WORDS)
    + r"|i\s+(?:want|would|need|wish|also|d)|please|tell me|id like|i'd like)\b)"
    r"|(?:,\s*)(?=(?:also|plus|and)\b)"
    # "…under a kinship arrangement, do u share our info with their school"
    r"|,\s*(?=(?:do|does|can|could|will|would|is|are|what|who|how|why|where|when)"
    r"\s+(?:you|u|i|we|they|the|my|our|it|this|that|anyone|someone)\b)",
    re.IGNORECASE)
# Where a run-on sentence (speech to text) can be cut: before a conjunction.
_RUN_ON_BREAK = re.compile(
    r"\s+(?=(?:and|but|so|because|cause|cos|as|since|also|plus|then|or)\s+)"
    r"|,\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9']+")


def words(text: str) -> List[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


_NUMBERED = re.compile(r"(?m)^(\s*\(?\d{1,2})\.(?=\s)")


def sentences(text: str) -> List[str]:
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\0"), text)
    protected = _NUMBERED.sub(lambda m: m.group(1) + "\0", protected)
    pieces = []
    for piece in _SENTENCE_END.split(protected):
        piece = _LIST_MARK.sub("", piece.replace("\0", ".")).strip()
        if piece and words(piece):
            pieces.append(piece)
    return pieces


def _split_clauses(sentence: str) -> List[str]:
    """Cut at a conjunction that starts a new question ("… and how long …")."""
    pieces, start = [], 0
    for match in _CLAUSE_START.finditer(sentence):
        left = sentence[start:match.start()].strip(" ,")
        if len(words(left)) >= 3:
            pieces.append(left)
            start = match.end()
    pieces.append(sentence[start:].strip(" ,"))
    return [p for p in pieces if words(p)]


def _split_run_on(part: str) -> List[str]:
    """A long part with no punctuation: cut before conjunctions into readable pieces."""
    if len(words(part)) <= MAX_PART_WORDS:
        return [part]
    pieces, current = [], ""
    for chunk in _RUN_ON_BREAK.split(part):
        candidate = f"{current} {chunk}".strip() if current else chunk.strip()
        if current and len(words(candidate)) > MAX_PART_WORDS * 2 // 3 and len(words(current)) >= 4:
            pieces.append(current)
            current = chunk.strip()
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def split_parts(text: str) -> List[str]:
    """The parts of a message, in order; one part for a short single question."""
    parts: List[str] = []
    for sentence in sentences(text or ""):
        for clause in _split_clauses(sentence):
            parts.extend(_split_run_on(clause))
    if len(parts) > MAX_PARTS:
        # Keep the count of encoder passes bounded: merge the tail into the last part.
        parts = parts[:MAX_PARTS - 1] + [" ".join(parts[MAX_PARTS - 1:])]
    return parts or ([text.strip()] if text and text.strip() else [])


_LEADING_FILLER = re.compile(
    r"^(?:(?:and|also|plus|but|so|ok|okay|oh|right|well|hi|hello|hiya|one more thing|wait|"
    r"hang on|hold on|hold up|actually|um|umm|erm|er|hmm|sorry to ask|before i do|"
    r"before that|sorry|yes|yeah|no|nope|fine|great|cool|lovely|alright|understood|"
    r"another thing|second(?:ly)?|first(?:ly)?|finally|lastly|p\.?s\.?|then|thanks|"
    r"thank you|sorry|just|quick question|question)[\s,:!.-]+)+", re.IGNORECASE)


def is_question(part: str) -> bool:
    """Whether a part asks or requests something, rather than giving context."""
    stripped = part.strip()
    if stripped.endswith("?"):
        return True
    body = _LEADING_FILLER.sub("", stripped).replace("’", "'").replace("'", "")
    first = words(body)[:2]
    if first and first[0] in MODALS and (len(first) < 2 or first[1] in NO_SUBJECT):
        return False  # "will do", "can do, thanks": a promise with no subject, not a question
    if first and first[0] in STRONG_QUESTION_WORDS:
        return True
    if len(first) == 2 and first[0] in QUESTION_WORDS and first[1] in AUXILIARIES:
        return True  # "when will I…", "where is it…"; not "when she's on lates…"
    # "when my social worker emails his school does that go encrypted": a question
    # inside the sentence, its auxiliary before its subject.
    return bool(ASKING.search(body) or CLAUSE_QUESTION.search(body)
                or any(_inverted_here(body, m) for m in INVERTED.finditer(body)))


def _inverted_here(body: str, match: "re.Match") -> bool:
    """An auxiliary before its subject asks, unless a subject, "to" or a modal comes just
    before it ("let them do it themselves", "I want you to do it")."""
    before = words(body[:match.start()])[-1:]
    return not before or before[0] not in NOT_BEFORE_INVERSION


def part_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each part in `text`, for parts that can be found in it."""
    spans, cursor = [], 0
    for part in split_parts(text):
        pattern = r"\s+".join(re.escape(w) for w in part.split())
        match = re.compile(pattern).search(text, cursor)
        if match is None:
            continue
        spans.append(match.span())
        cursor = match.end()
    return spans
