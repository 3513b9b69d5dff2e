"""A fast, accurate intent classifier for short French messages, without TensorFlow.

TF-IDF over words (1-2-grams) and characters inside word boundaries (2-5-grams), accents
stripped, feeding a class-balanced logistic regression. Compared with Rasa's own
`LogisticRegressionClassifier` on counts, the TF-IDF weighting and a weaker regularisation
classify typos and colloquial spellings better, and the model is saved with joblib, which
loads in milliseconds (Rasa's skops loader imports all of scikit-learn, about 10 s).
Texts are prepared by `rasa_components.intent_model.prepare` (folded, known place names masked
so any town of the gazetteer reads as a territory question, SMS and Québec spellings written
out); the same module builds the pipeline for `make crossval`.
"""

from __future__ import annotations

import logging
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline

from rasa_components.intent_model import (
    DEFAULTS,
    build_model,
    fit,
    masking_fingerprint,
    probabilities,
)

logger = logging.getLogger(__name__)
MODEL_FILE = "classifier.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(IntentClassifier, GraphComponent):
    """Intent classifier: TF-IDF word and character n-grams + logistic regression."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DEFAULTS, "ranking_length": 10}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "joblib"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The places `prepare` masks come from the program pack: another pack's gazetteer
        retrains the classifier rather than reusing Rasa's cache of the other pack's."""
        return masking_fingerprint()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: the intent classifier is not trained.")
            return self._resource
        self._model = fit(
            build_model({k: v for k, v in self._config.items() if k in DEFAULTS}),
            [e.get(TEXT) for e in examples],
            [e.get(INTENT) for e in examples],
        )
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        labels = self._model.classes_
        for message, row in zip(messages, probabilities(self._model, texts), strict=True):
            order = row.argsort()[::-1]
            ranking = [{"name": str(labels[k]), "confidence": float(row[k])} for k in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                "intent_ranking", ranking[: self._config["ranking_length"]], add_to_output=True
            )
        return messages

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained intent classifier found: messages get no intent.")
            model = None
        return cls(config, model_storage, resource, model)
