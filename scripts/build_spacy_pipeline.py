"""Build the spaCy pipeline Rasa's SpacyNLP loads, offline.

spaCy's pretrained pipelines cannot be downloaded here, so the assistant uses a blank
English pipeline plus the lookup lemmatizer that `spacy-lookups-data` ships.
Usage: python -m scripts.build_spacy_pipeline OUTPUT_DIR
"""

import sys
from pathlib import Path

import spacy


def build(output: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    if nlp("children records")[0].lemma_ != "child":
        raise SystemExit("the lookup lemmatizer did not load its tables")
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    print(f"spaCy pipeline saved to {output}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]))
