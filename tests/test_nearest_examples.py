"""The nearest-examples featurizer: train, persist, load, process; leave-self-out."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.nearest_examples import NearestExamplesFeaturizer, nearest_similarities

ALIAS = "sentence_encoder"


def with_embedding(text, vector, intent=None):
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    message.add_features(
        Features(np.array([vector], dtype=np.float32), "sentence", TEXT, ALIAS)
    )
    return message


def training_data():
    return TrainingData([
        with_embedding("a1", [1.0, 0.0, 0.0], "a"),
        with_embedding("a2", [0.9, 0.1, 0.0], "a"),
        with_embedding("b1", [0.0, 1.0, 0.0], "b"),
        with_embedding("b2", [0.0, 0.8, 0.2], "b"),
    ])


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def config(**overrides):
    return {**NearestExamplesFeaturizer.get_default_config(),
            "embedding_from": ALIAS, "k": 1, "scale": 1.0, **overrides}


def context():
    return ExecutionContext(graph_schema=None, node_name="nearest")


def own_features(message):
    # The test messages carry the embedding first, then the nearest-example features.
    combined = message.get_dense_features(TEXT)[1].features[0]
    return combined[3:]


def test_similarities_per_intent_and_leaving_self_out():
    examples = np.array([[1.0, 0.0], [0.0, 1.0]])
    labels = np.array(["a", "b"])
    features = nearest_similarities(examples, examples, labels, ["a", "b"], k=1)
    assert np.allclose(features, [[1.0, 0.0], [0.0, 1.0]])
    left_out = nearest_similarities(
        examples, examples, labels, ["a", "b"], k=1, leave_self_out=True
    )
    assert np.allclose(left_out, [[-1.0, 0.0], [0.0, -1.0]])


def test_train_persist_load_and_process(storage):
    resource = Resource("nearest")
    featurizer = NearestExamplesFeaturizer.create(config(), storage, resource, context())
    featurizer.train(training_data())

    loaded = NearestExamplesFeaturizer.load(config(), storage, resource, context())
    message = with_embedding("new", [0.95, 0.05, 0.0])
    loaded.process([message])
    features = own_features(message)
    assert features.shape == (2,)  # one per intent, sorted: a, b
    assert features[0] > 0.99 and features[1] < 0.2


def test_training_examples_do_not_see_themselves(storage):
    resource = Resource("nearest")
    featurizer = NearestExamplesFeaturizer.create(config(), storage, resource, context())
    featurizer.train(training_data())
    loaded = NearestExamplesFeaturizer.load(config(), storage, resource, context())
    data = training_data()
    loaded.process_training_data(data)
    a1 = own_features(data.training_examples[0])
    # a1's nearest "a" example is a2 (not itself, which would give exactly 1.0).
    assert 0.9 < a1[0] < 0.999


def test_scale_multiplies_the_features(storage):
    resource = Resource("nearest")
    NearestExamplesFeaturizer.create(config(), storage, resource, context()).train(
        training_data()
    )
    loaded = NearestExamplesFeaturizer.load(config(scale=20.0), storage, resource, context())
    message = with_embedding("new", [1.0, 0.0, 0.0])
    loaded.process([message])
    assert np.isclose(own_features(message)[0], 20.0, atol=1e-4)


def test_training_without_embeddings_explains_itself(storage):
    featurizer = NearestExamplesFeaturizer.create(
        config(embedding_from="missing"), storage, Resource("n"), context()
    )
    with pytest.raises(ValueError, match="SentenceEncoderFeaturizer"):
        featurizer.train(training_data())


def test_bad_configuration_is_refused(storage):
    with pytest.raises(ValueError):
        NearestExamplesFeaturizer.create(config(k=0), storage, Resource("n"), context())
