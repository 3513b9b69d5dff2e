"""A fast, accurate intent classifier for short French messages, without TensorFlow.

TF-IDF over words (1-2-grams) and characters inside word boundaries (2-5-grams), accents
stripped, feeding a class-balanced logistic regression. Compared with Rasa's own
`LogisticRegressionClassifier` on counts, the TF-IDF weighting and a weaker regularisation
classify typos and colloquial spellings better, and the model is saved with joblib, which
loads in milliseconds (Rasa's skops loader imports all of scikit-learn, about 10 s).
Known place names are masked first (`bot.territory.mask_places`, standard library only), so
any town of the gazetteer counts as a sign of a territory question.
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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.territory import mask_places

logger = logging.getLogger(__name__)
MODEL_FILE = "classifier.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(IntentClassifier, GraphComponent):
    """Intent classifier: TF-IDF word and character n-grams + logistic regression."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 20.0,
            "max_word_ngram": 2,
            "min_char_ngram": 2,
            "max_char_ngram": 5,
            "random_state": 42,
            "ranking_length": 10,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "joblib"]

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

    def _new_model(self) -> Pipeline:
        config = self._config
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(
                        strip_accents="unicode",
                        ngram_range=(1, config["max_word_ngram"]),
                        sublinear_tf=True,
                        token_pattern=r"(?u)\b\w+\b",
                    ),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        strip_accents="unicode",
                        analyzer="char_wb",
                        ngram_range=(config["min_char_ngram"], config["max_char_ngram"]),
                        sublinear_tf=True,
                    ),
                ),
            ]
        )
        classifier = LogisticRegression(
            C=config["C"],
            class_weight="balanced",
            max_iter=3000,
            random_state=config["random_state"],
        )
        return Pipeline([("features", features), ("classifier", classifier)])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: the intent classifier is not trained.")
            return self._resource
        self._model = self._new_model()
        texts = [mask_places(e.get(TEXT)) for e in examples]
        self._model.fit(texts, [e.get(INTENT) for e in examples])
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        texts = [mask_places(message.get(TEXT) or "") for message in messages]
        probabilities = self._model.predict_proba(texts)
        labels = self._model.classes_
        for message, row in zip(messages, probabilities, strict=True):
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
