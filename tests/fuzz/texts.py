"""What a merchant (or anything on the network) may type: Hypothesis strategies for fuzzing.

Arbitrary Unicode, the words our readers look for, and the characters that break things
(controls, U+2028, U+0085, lone surrogates that JSON escapes can carry, emoji, HTML, SQL),
mixed together and repeated up to a few thousand characters.
"""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(examples: int = 100) -> settings:
    """Hypothesis settings for `examples` cases, reproducible in CI: the same examples on every
    run, no example database, no per-example deadline (timings are asserted where they matter)."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


ODD = (
    "", " ", "\n", "\r\n", "\t", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029",
    "\ufeff", "\u200b", "\u202e", "\ud800", "\udfff", "\uffff", "\U0010ffff", "🙂", "👩🏽‍💻",
    "🇨🇦", "ß", "İ", "ﬁ", "Ǆ", "٣", "１２", "Ⅻ", "½", "²", "𝟗", "ǅ", "\u0301", "e\u0301",
    "<script>alert('x')</script>", "<b>allo</b>", "'; DROP TABLE leads; --", "\" OR 1=1 --",
    "${jndi:ldap://x}", "{{7*7}}", "%s%n%x", "\\", "\\u0000", "NaN", "-1", "1e309", "9" * 40,
    "=cmd|' /C calc'!A0", "+1", "@", "//autre-site.com", "/faq_cost", "/request_eligibility",
)  # fmt: skip
WORDS = (
    "oui", "non", "ouais", "pantoute", "je ne sais pas", "chu pas sûr", "peut-être", "autre",
    "aucun", "rien", "passer", "on arrête", "stop", "en fait", "mon courriel c'est",
    "nom@exemple.com", "a@b", "x@y.z", "418 555-1234", "+1 (418) 555-1234", "5551234",
    "G1K 3A5", "g1k3a5", "H2X-1Y4", "G0A", "Limoilou", "Lévis", "Québec", "Saint-Sauveur",
    "Vieux-Québec", "dépanneur", "resto", "gîte", "salon de coiffure", "1h30", "2 h",
    "30 minutes", "une heure et demie", "moins d'une heure", "une dizaine", "juste moi", "cinq",
    "prêt", "d'ici quelques mois", "je m'informe", "demain", "demain matin", "mardi pm",
    "le 3 décembre vers 10 h", "jeudi 14h", "9h30", "pas le lundi", "n'importe quand",
    "la semaine prochaine", "le 1er", "2026-11-24", "2026-11-24T14:00:00-05:00", "2026-02-31",
    "2026-13-01T25:00-05:00", "0000-00-00", "9999-12-31T23:59:59+23:59", "NQ-7KX3PD",
    "nq 7kx3pd", "autres moments", "courriel", "adresse", "secteur", "site", "budget",
    "Facebook, Instagram", "caisse", "comptabilité", "visibilité", "le temps", "ancien",
    "récent", "chaque semaine", "moins de 1 000 $", "1 000 $ à 5 000 $", "plus de 5 000 $",
    "?", "c'est quoi?", "combien ça coûte?", "0", "00000", "999999999999", "-3", "3.5", "3,5",
)  # fmt: skip

# Any code point, surrogates included (Python strings may hold them; JSON "\ud800" makes one).
any_char = st.characters(codec=None, exclude_categories=())
fragment = st.one_of(
    st.sampled_from(ODD), st.sampled_from(WORDS), st.text(any_char, max_size=12), st.text()
)
mixed = st.lists(fragment, max_size=12).flatmap(
    lambda parts: st.sampled_from([" ", "", ", ", "\n", "\u2028"]).map(lambda sep: sep.join(parts))
)
huge = st.tuples(st.lists(fragment, min_size=1, max_size=4), st.integers(20, 600)).map(
    lambda pair: (" ".join(pair[0]) * pair[1])[:6000]
)
texts = st.one_of(st.text(any_char, max_size=80), mixed, mixed, huge)

# JSON request bodies: any JSON value, objects with odd `sender`/`message`/`metadata`, valid
# messages, broken or deeply nested JSON, and random bytes.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
senders = st.one_of(st.from_regex(r"\A[\w.@:+-]{1,128}\Z", fullmatch=True), texts, json_values)
message_objects = st.fixed_dictionaries(
    {},
    optional={
        "sender": senders,
        "message": st.one_of(texts, json_values),
        "metadata": json_values,
        "extra": json_values,
    },
)

valid_senders = st.text(string.ascii_letters + string.digits + "._-@:+", min_size=1, max_size=128)
messages = st.fixed_dictionaries({"sender": valid_senders, "message": texts})


def encode(value: object, ascii_only: bool = True) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


nested = st.tuples(st.sampled_from(["[", '{"a":', '[{"b":']), st.integers(1, 60_000)).map(
    lambda pair: (pair[0] * pair[1]).encode()
)
bodies = st.one_of(
    st.binary(max_size=200),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(encode),
    message_objects.map(encode),
    st.tuples(message_objects, st.booleans()).map(lambda pair: encode(*pair)),
    message_objects.map(lambda m: encode(m)[: len(encode(m)) // 2]),
    nested,
)
