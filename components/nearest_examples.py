"""A Rasa dense featurizer: how close a message is to each intent's training examples.

A linear classifier on the sentence embedding draws one boundary per intent; a question
worded almost like a few training examples of its intent can still fall on the wrong
side. For each intent, this adds the mean cosine similarity of the message to that
intent's k nearest training examples, so the classifier also sees "it reads like these".
It reuses the sentence encoder's embedding (no second forward pass). Training examples
are featurized leaving themselves out, as an unseen message would be.
"""

import json
from typing import Any, Dict, List, Optional, Text

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_encoder import SentenceEncoderFeaturizer

SELF_SIMILARITY = 0.9999  # the example itself, or an exact duplicate of it


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def nearest_similarities(
    queries: np.ndarray,
    examples: np.ndarray,
    labels: np.ndarray,
    intents: List[str],
    k: int,
    leave_self_out: bool = False,
) -> np.ndarray:
    """(n_queries, n_intents): mean similarity to each intent's k nearest examples."""
    similarity = queries @ examples.T
    if leave_self_out:
        similarity = np.where(similarity >= SELF_SIMILARITY, -1.0, similarity)
    features = np.zeros((len(queries), len(intents)), dtype=np.float32)
    for column, intent in enumerate(intents):
        own = similarity[:, labels == intent]
        nearest = min(k, own.shape[1])
        if nearest:
            features[:, column] = np.sort(own, axis=1)[:, -nearest:].mean(axis=1)
    return features


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class NearestExamplesFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds per-intent nearest-example similarities as sentence features."""

    EXAMPLES_FILE = "examples.npy"
    LABELS_FILE = "labels.json"

    @classmethod
    def required_components(cls) -> List[type]:
        return [SentenceEncoderFeaturizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # The `alias` of the SentenceEncoderFeaturizer whose embedding to use.
            "embedding_from": "sentence_encoder",
            "k": 3,
            # Chosen by 5-fold cross-validation on the training data (see docs/pipeline.md).
            "scale": 20.0,
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config.get("k", 0)) < 1:
            raise ValueError("NearestExamplesFeaturizer: `k` must be >= 1")
        if not config.get("embedding_from"):
            raise ValueError(
                "NearestExamplesFeaturizer: set `embedding_from` to the `alias` of "
                "the SentenceEncoderFeaturizer"
            )

    def __init__(
        self,
        config: Dict[Text, Any],
        name: Text,
        model_storage: ModelStorage,
        resource: Resource,
        examples: Optional[np.ndarray] = None,
        labels: Optional[List[str]] = None,
    ) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._examples = examples
        self._labels = np.array(labels or [])
        self._intents = sorted(set(labels or []))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NearestExamplesFeaturizer":
        return cls(config, execution_context.node_name, model_storage, resource)

    def _embedding(self, message: Message) -> Optional[np.ndarray]:
        _, sentence = message.get_dense_features(
            TEXT, featurizers=[self._config["embedding_from"]]
        )
        return None if sentence is None else sentence.features[0]

    def train(self, training_data: TrainingData) -> Resource:
        rows, labels = [], []
        for example in training_data.intent_examples:
            vector = self._embedding(example)
            if vector is not None and example.get(INTENT):
                rows.append(vector)
                labels.append(example.get(INTENT))
        if not rows:
            raise ValueError(
                "NearestExamplesFeaturizer found no embeddings: is the "
                f"SentenceEncoderFeaturizer before it with alias "
                f"'{self._config['embedding_from']}'?"
            )
        with self._model_storage.write_to(self._resource) as folder:
            np.save(folder / self.EXAMPLES_FILE, unit_rows(np.vstack(rows)))
            (folder / self.LABELS_FILE).write_text(json.dumps(labels))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "NearestExamplesFeaturizer":
        with model_storage.read_from(resource) as folder:
            examples = np.load(folder / cls.EXAMPLES_FILE)
            labels = json.loads((folder / cls.LABELS_FILE).read_text())
        return cls(
            config, execution_context.node_name, model_storage, resource,
            examples, labels,
        )

    def _featurize(self, messages: List[Message], leave_self_out: bool) -> None:
        if self._examples is None:
            return
        found = [(m, self._embedding(m)) for m in messages]
        found = [(m, v) for m, v in found if v is not None]
        if not found:
            return
        queries = unit_rows(np.vstack([v for _, v in found]))
        features = nearest_similarities(
            queries, self._examples, self._labels, self._intents,
            self._config["k"], leave_self_out,
        ) * self._config["scale"]
        for (message, _), row in zip(found, features):
            self.add_features_to_message(
                sequence=None, sentence=row[None, :], attribute=TEXT, message=message
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples, leave_self_out=True)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages, leave_self_out=False)
        return messages
