"""The intent model itself, without Rasa: text preparation and the scikit-learn pipeline.

Shared by `TfidfIntentClassifier` (training and serving) and `rasa_components.crossval`
(`make crossval`), so cross-validation measures exactly what is served.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.pack.territory import current_territory
from bot.territory import mask_places

DEFAULTS: dict[str, Any] = {
    "C": 20.0,
    "max_word_ngram": 2,
    "min_char_ngram": 2,
    "max_char_ngram": 5,
    "random_state": 42,
}

# Spellings of phone typing and Québec French, on folded text (no accents, no apostrophes),
# mapped to one written form so that a word learnt one way is recognised the other ways.
_SPELLINGS = {
    "cest": "c est",
    "c": "c est",
    "koi": "quoi",
    "kosse": "quoi",
    "kesse": "quoi",
    "keske": "qu est ce que",
    "qqch": "quelque chose",
    "qqc": "quelque chose",
    "qqn": "quelqu un",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "chu": "je suis",
    "chui": "je suis",
    "jsuis": "je suis",
    "jveux": "je veux",
    "jvx": "je veux",
    "jvoudrais": "je voudrais",
    "jpeux": "je peux",
    "jdois": "je dois",
    "jai": "j ai",
    "jaimerais": "j aimerais",
    "jaurais": "j aurais",
    "minscrire": "m inscrire",
    "sinscrire": "s inscrire",
    "ya": "il y a",
    "stp": "svp",
    "slt": "salut",
    "bjr": "bonjour",
    "bnjr": "bonjour",
    "cmt": "comment",
    "vs": "vous",
    "pis": "puis",
    "toe": "toi",
    "resto": "restaurant",
    "restos": "restaurants",
    "rdv": "rendez vous",
    "gratis": "gratuit",
}
_REPEATS = re.compile(r"([a-z])\1{2,}")


def prepare(text: str) -> str:
    """What the model reads: folded text (`mask_places`), letters typed three times or more
    reduced to one ("gratuiiit"), and the usual SMS and Québec spellings written out."""
    masked = _REPEATS.sub(r"\1", mask_places(text))
    return " ".join(_SPELLINGS.get(word, word) for word in masked.split())


def masking_fingerprint() -> str:
    """What `prepare` reads from the program pack: its places and their aliases."""
    places = current_territory().places
    return repr(sorted((place.name, place.aliases) for place in places))


def build_model(config: dict[str, Any]) -> Pipeline:
    """An untrained pipeline: TF-IDF over words and characters, class-balanced logistic
    regression."""
    config = {**DEFAULTS, **config}
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, config["max_word_ngram"]),
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b",
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
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


def fit(model: Pipeline, texts: list[str], intents: list[str]) -> Pipeline:
    """`model` trained on raw `texts`. Its weights are laid out so that scoring one message is a
    contiguous product: after lbfgs they are a strided view, which made scikit-learn's sparse
    product about ten times slower (0.5 ms of the 2.6 ms a message took, docs/BENCHMARKS.md)."""
    model.fit([prepare(text) for text in texts], intents)
    classifier = model.named_steps["classifier"]
    classifier.coef_ = np.asfortranarray(classifier.coef_)
    return model


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Intents a sentence of a longer message does not stand for (« Bonjour! », « Merci. »).
_SMALL_TALK = {"greet", "goodbye", "thanks", "affirm", "deny"}
MAX_SENTENCES = 6
UNSURE_WHOLE = 0.4  # below this, a message of several sentences is read sentence by sentence


_GREETING = re.compile(
    r"^((?:bonjour|bonsoir|bon matin|allo|allô|salut|hey|hello|hi|yo)\b[ ,!]*)(.+)", re.I
)


def _sentences(text: str) -> list[str]:
    """The sentences of `text`, an opening greeting or a short opening before a comma apart
    (« bonjour jaimerais savoir si… », « Madame, c'est pour l'inscription »)."""
    sentences = _SENTENCE_END.split(text.strip())
    opening, comma, rest = sentences[0].partition(", ")
    if greeting := _GREETING.match(sentences[0]):
        sentences[:1] = [greeting.group(1), greeting.group(2)]
    elif comma and rest and len(opening.split()) <= 2:
        sentences[:1] = [opening, rest]
    return sentences


def probabilities(model: Pipeline, texts: list[str]) -> np.ndarray:
    """Intent probabilities of raw `texts` (one row each, columns `model.classes_`).

    A message of several sentences that reads unsure as a whole takes the distribution of its
    most confident sentence, questions first and small talk aside: in « Bonjour! Ma belle-sœur
    m'a parlé de vous… J'aimerais m'inscrire pour mon salon. » the request decides, not the
    story.
    """
    whole = model.predict_proba([prepare(text) for text in texts])
    small_talk = np.isin(model.classes_, list(_SMALL_TALK))
    for row, text in enumerate(texts):
        if whole[row].max() >= UNSURE_WHOLE:
            continue
        sentences = [(s, p) for s in _sentences(text) if (p := prepare(s))][:MAX_SENTENCES]
        if len(sentences) < 2:
            continue
        parts = model.predict_proba([prepared for _, prepared in sentences])
        asked = np.array([said.rstrip().endswith("?") for said, _ in sentences])
        keep = ~small_talk[parts.argmax(axis=1)]
        if (keep & asked).any():  # a question says what the merchant wants more than a story
            keep &= asked
        parts = parts[keep]
        if len(parts) and (best := parts[parts.max(axis=1).argmax()]).max() > whole[row].max():
            whole[row] = best
    return whole
