"""The words of the forms a merchant may not know (« infolettre », « référencement »,
« transactionnel »…), and when a message asks what one means: « c'est quoi une infolettre? »,
« ça veut dire quoi, transactionnel? », « le SEO, c'est quoi? », « une infolettre? ».

Each term is answered by its response `utter_define_<term>` (program/responses/glossary.yml: one
short, plain sentence, FAQ-style), then the form asks its question again (`bot.forms`). The
program's own topics (« c'est quoi une SDC? ») stay FAQ answers.
"""

from __future__ import annotations

import re

from bot.text import fold

# Each term (its response is utter_define_<term>) and how merchants write it, folded.
TERMS: dict[str, tuple[str, ...]] = {
    "newsletter": ("infolettre", "infolettres", "info lettre", "newsletter", "newsletters",
                   "liste d envoi", "envoi de masse"),
    "social_media": ("medias sociaux", "media sociaux", "media social", "reseaux sociaux",
                     "reseau social", "reseaux", "social media"),
    "seo": ("referencement", "referencement naturel", "referencement web", "seo",
            "optimisation pour les moteurs de recherche"),
    "transactional": ("transactionnel", "transactionnelle", "site transactionnel",
                      "commerce electronique", "commerce en ligne", "e commerce", "ecommerce",
                      "boutique en ligne"),
    "online_sales": ("vente en ligne", "ventes en ligne", "vendre en ligne"),
    "business_profile": ("fiche d entreprise", "fiche d entreprise google", "fiche google",
                         "google business", "google business profile", "google my business",
                         "profil d entreprise", "profil d entreprise google", "fiche"),
    "reviews": ("avis en ligne", "avis google", "avis"),
    "platform": ("plateforme", "plate forme", "plateformes", "platform"),
    "posting": ("publier", "publication", "publications", "poster", "post", "posts", "publie"),
    "story": ("story", "stories", "storie", "stories instagram"),
    "hashtag": ("hashtag", "hashtags", "mot clic", "mots clics", "mot clique"),
    "management_tools": ("outils de gestion", "outil de gestion", "logiciel de gestion",
                         "logiciels de gestion"),
    "point_of_sale": ("point de vente", "points de vente", "caisse enregistreuse",
                      "caisse electronique", "pos", "terminal de paiement"),
    "inventory": ("inventaire", "gestion d inventaire", "gestion des stocks"),
    "crm": ("crm", "gestion de la relation client", "gestion de la clientele"),
    "online_booking": ("reservation en ligne", "reservations en ligne", "reserver en ligne",
                       "prise de rendez vous en ligne", "rendez vous en ligne"),
    "online_ordering": ("commande en ligne", "commandes en ligne", "commander en ligne"),
    "digital_shift": ("virage numerique", "transformation numerique"),
    "storefront": ("pignon sur rue", "pignon"),
    "business_association": ("regroupement de gens d affaires", "regroupement d affaires",
                             "regroupement"),
}  # fmt: skip

_ARTICLES = (
    r"(?:(?:un|une|le|la|les|l|des|du|d|ca|cela|ce|ces|au juste|exactement|votre|vos|mon|ma|mes|"
    r"son|sa|ses|notre|nos|leur|leurs|avoir|faire|etre)\s+)*"
)
# « c'est quoi … », « ça veut dire quoi … », « qu'est-ce qu'… », « je sais pas c'est quoi … »
_BEFORE = (
    r"(?:c est quoi|c quoi|cest quoi|c est koi|c koi|c est tu quoi|c est quoi ca|c quoi ca|"
    r"ca veut dire quoi|ca veut tu dire quoi|ca veut dire|que veut dire|que veulent dire|"
    r"ca signifie quoi|que signifie|qu est ce que c est que|qu est ce que c est|qu est ce que|"
    r"qu est ce qu|qu est ce|kosse|kossa|kesse|quossa|definition de|definissez|definis|"
    r"expliquez moi|explique moi|expliquez|que voulez vous dire par|vous voulez dire quoi par|"
    r"qu entendez vous par|je sais pas c est quoi|je ne sais pas c est quoi|"
    r"je ne sais pas ce qu est|je sais pas ce qu est|je sais pas ce que c est|"
    r"je ne sais pas ce que c est|je connais pas|je ne connais pas|je comprends pas|"
    r"je ne comprends pas|jsais pas c est quoi|chais pas c est quoi|what is|what s)"
)
# « … c'est quoi? », « … ça veut dire quoi? »
_AFTER = (
    r"(?:c est quoi|c quoi|ca veut dire quoi|ca mange quoi|qu est ce que c est|c est quoi ca|ca)"
)


def _alternatives() -> str:
    words = sorted({w for ws in TERMS.values() for w in ws}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


_TERM = rf"(?P<term>{_alternatives()})"
_ASKED_BEFORE = re.compile(rf"\b{_BEFORE}\s+{_ARTICLES}{_TERM}\b")
_ASKED_AFTER = re.compile(rf"^{_ARTICLES}{_TERM}\s+{_ARTICLES}{_AFTER}\b")
_ALONE = re.compile(rf"{_ARTICLES}{_TERM}(?:\s+(?:ca|c est ca|quoi))?")
_NAMED_BY = {word: term for term, words in TERMS.items() for word in words}


def asked_about(text: str) -> str | None:
    """The response that says what a word means, when `text` asks it (« c'est quoi une
    infolettre? », « infolettre? »), else None."""
    folded = fold(text)
    found = _ASKED_BEFORE.search(folded) or _ASKED_AFTER.match(folded)
    if found is None and text.rstrip().endswith("?"):
        found = _ALONE.fullmatch(folded)
    return f"utter_define_{_NAMED_BY[found.group('term')]}" if found else None
