"""The value a free-text answer gives, without the words that wrap it in conversation: a name
without « la propriétaire » (the role said with it is kept apart), a role without « comme j'ai
dit », an association's name without « ben je viens de le dire », a shop's name without « ça
s'appelle », the website platform named among other words.

What the merchant typed stays whole in the conversation (Rasa's tracker store, read back as the
lead's transcript: `bot.storage.transcripts`); the answers keep what it means.
"""

from __future__ import annotations

import re

from bot.text import fold, fold_with_positions

# Said before an answer by someone repeating or hesitating (folded): dropped.
REPEATING = (
    "comme j ai dit", "comme je l ai dit", "comme je l ai deja dit", "comme j ai deja dit",
    "comme je disais", "comme je vous disais", "comme je vous l ai dit", "comme dit",
    "comme mentionne", "tel que mentionne", "comme je l ai ecrit", "comme j ai ecrit",
    "je viens de le dire", "je viens de vous le dire", "je viens juste de le dire",
    "je viens de l ecrire", "je viens de repondre", "je vous l ai dit", "je vous l ai deja dit",
    "je l ai dit", "je l ai deja dit", "j ai deja dit", "je l ai deja mentionne",
    "j ai deja repondu", "je vous ai dit", "je te l ai dit", "je l ai ecrit", "deja dit",
    "je repete", "je le repete", "je vous le repete", "encore une fois",
    "c est ce que j ai dit", "j ai dit",
)  # fmt: skip
# Dropped before an answer; those a name may start with (« Ben Tremblay », « Bon Appétit ») only
# when a comma or another filler follows them (`keep`).
INTERJECTIONS = (
    "euh", "euhh", "heu", "hum", "hmm", "bah", "ben", "bin", "bien", "bon", "ok", "okay",
    "ah", "oh", "eh", "alors", "donc", "pis", "so", "well", "ouais", "ouin", "oui", "oups",
    "pardon", "desole", "correction", "en fait",
)  # fmt: skip
HESITATIONS = ("euh", "euhh", "heu", "hum", "hmm", "bah", "ouais", "ouin", "oups")
NAME_LIKE = ("ben", "bin", "bien", "so")
WORD_LIKE = tuple(word for word in INTERJECTIONS if word not in HESITATIONS)
_ARTICLES = ("la", "le", "l", "les", "du", "des", "de la", "de l", "au", "aux", "a la", "a l")
_PUNCTUATION = ",;:.!?-–—…/"
_EDGES = " \t\"'«»“”‘’()[]*•" + _PUNCTUATION


def _alternatives(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_REPEATING_RE = re.compile(rf"(?:{_alternatives(REPEATING)})\b")
_INTERJECTION_RE = re.compile(rf"(?:{_alternatives(INTERJECTIONS)})\b")


def _tidy(text: str) -> str:
    """`text` without the spaces, quotes and punctuation around it."""
    return text.strip(_EDGES).strip()


def capitalised(text: str) -> str:
    """The first letter in capitals, « sdc » as « SDC »."""
    text = re.sub(r"\bsdc\b", "SDC", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def after_lead_in(
    text: str, lead_ins: tuple[str, ...] = (), articles: bool = False, keep: tuple[str, ...] = ()
) -> str:
    """`text` after what only leads to the answer: fillers of someone repeating or hesitating
    (« comme j'ai dit, », « ben je viens de le dire, », « euh, »), the `lead_ins` of this kind
    of answer (folded: « mon nom c est »), then, if `articles`, an article. Interjections in
    `keep` are dropped only before a comma or another filler."""
    lead = re.compile(rf"(?:{_alternatives(lead_ins)})\b") if lead_ins else None
    text = _tidy(text.replace("’", "'"))
    for _ in range(8):
        folded, positions = fold_with_positions(text)
        found = _REPEATING_RE.match(folded) or (lead.match(folded) if lead else None)
        if found is None and (interjection := _INTERJECTION_RE.match(folded)):
            rest = folded[interjection.end() :].lstrip()
            followed = text[positions[interjection.end()] :].lstrip()[:1]
            fillers = _REPEATING_RE.match(rest) or _INTERJECTION_RE.match(rest)
            leads = fillers or (lead and lead.match(rest)) or followed in _PUNCTUATION or not rest
            if interjection.group() not in keep or leads:
                found = interjection
        if found is None:
            break
        text = _tidy(text[positions[found.end()] :])
    if articles:
        folded, positions = fold_with_positions(text)
        article = re.match(rf"(?:{_alternatives(_ARTICLES)})\s+(?=\S)", folded)
        if article and len(folded) > article.end():
            text = _tidy(text[positions[article.end()] :])
    return text


# ---- roles -------------------------------------------------------------------------------------

# A role as merchants say it (folded) and as it is stored; its gender as said.
ROLES = {
    "proprietaire": "Propriétaire", "proprio": "Propriétaire", "owner": "Propriétaire",
    "patron": "Propriétaire", "patronne": "Propriétaire", "boss": "Propriétaire",
    "coproprietaire": "Copropriétaire", "co proprietaire": "Copropriétaire",
    "coproprio": "Copropriétaire", "co proprio": "Copropriétaire",
    "gerant": "Gérant", "gerante": "Gérante", "gestionnaire": "Gestionnaire",
    "manager": "Gestionnaire", "directeur general": "Directeur général",
    "directrice generale": "Directrice générale", "directeur": "Directeur",
    "directrice": "Directrice", "president": "Président", "presidente": "Présidente",
    "fondateur": "Fondateur", "fondatrice": "Fondatrice", "cofondateur": "Cofondateur",
    "cofondatrice": "Cofondatrice", "associe": "Associé", "associee": "Associée",
    "responsable": "Responsable", "employe": "Employé", "employee": "Employée",
    "adjoint": "Adjoint", "adjointe": "Adjointe", "commis": "Commis", "vendeur": "Vendeur",
    "vendeuse": "Vendeuse", "coordonnateur": "Coordonnateur", "coordonnatrice": "Coordonnatrice",
    "superviseur": "Superviseur", "superviseure": "Superviseure", "chef": "Chef",
    "secretaire": "Secrétaire", "receptionniste": "Réceptionniste", "comptable": "Comptable",
    "conjoint du proprietaire": "Conjoint du propriétaire",
    "conjointe du proprietaire": "Conjointe du propriétaire",
}  # fmt: skip
_ROLE_RE = re.compile(rf"(?:{_alternatives(tuple(ROLES))})\b")
ROLE_LEAD_INS = (
    "je suis", "j suis", "jsuis", "chu", "chus", "moi je suis", "moi c est", "c est moi",
    "c est", "mon role c est", "mon role est", "mon role", "mon titre c est", "mon titre est",
    "mon poste c est", "mon poste est", "je travaille comme", "je suis comme", "comme",
    "je suis juste", "juste", "seulement", "plutot", "finalement", "plus", "en fait",
)  # fmt: skip
_ROLE_ARTICLES = re.compile(r"(?:(?:le|la|l|un|une|the|a|an)\s+)?")
_CLAUSE_END = re.compile(r"\s*(?:[,;.!?()]|\s(?:mais|pis|puis)\s)")


def role_said(text: str) -> str | None:
    """The role `text` says when it is about a role (« la propriétaire », « je suis le
    gérant de la boutique », « c'est moi le boss »): its stored form with what qualifies it
    (« Gérant de la boutique »), or None."""
    said = after_lead_in(text, ROLE_LEAD_INS)
    said = _CLAUSE_END.split(said, maxsplit=1)[0]
    folded, positions = fold_with_positions(said)
    article = _ROLE_ARTICLES.match(folded)
    start = article.end() if article else 0
    found = _ROLE_RE.match(folded, start)
    if found is None:
        return None
    rest = said[positions[found.end()] :].rstrip(_EDGES) if found.end() < len(folded) else ""
    return ROLES[found.group()] + rest


def role(text: str) -> str:
    """The role as meant: a known role with what qualifies it (« comme j'ai dit, la
    propriétaire » is « Propriétaire »), else the answer without its fillers."""
    return role_said(text) or capitalised(after_lead_in(text, ROLE_LEAD_INS, articles=True))


# ---- people's names ---------------------------------------------------------------------------

NAME_LEAD_INS = (
    "mon nom c est", "mon nom est", "mon nom complet c est", "mon nom complet est",
    "mon nom au complet c est", "je m appelle", "je me nomme", "moi c est", "moi mon nom c est",
    "ici c est", "c est", "ici", "my name is", "i am", "i m", "juste", "seulement",
    "moi", "c est juste", "le nom c est", "le nom", "plutot", "finalement",
)  # fmt: skip
# Where what follows a name may be its role or a remark (« Ginette Tremblay, la propriétaire »).
_NAME_BREAK = re.compile(r"\s*[,;()/]\s*|\s+[-–—]\s+|(?<=\w{2})[.!?]+(?:\s+|$)")
_JOINED = re.compile(r"\s+(?:pis|et|puis|mais)\s+", re.IGNORECASE)


def _parts(said: str) -> list[str]:
    """The pieces of a name answer: at punctuation, and at « pis », « et » or « mais » when a
    role follows (« Ginette Tremblay pis je suis la gérante »; « Marie et Jean » stays)."""
    parts = []
    for piece in _NAME_BREAK.split(said):
        start = 0
        for joined in _JOINED.finditer(piece):
            if role_said(piece[joined.end() :]):
                parts.append(piece[start : joined.start()])
                start = joined.end()
        parts.append(piece[start:])
    return [part for part in map(_tidy, parts) if part]


def person(text: str) -> tuple[str, str | None]:
    """A person's name as meant, and the role said with it (« Ginette Tremblay, la
    propriétaire » is « Ginette Tremblay » and « Propriétaire »; « moi c'est Nathalie Girard,
    enchantée! » is « Nathalie Girard »); the name is empty when only a role was said."""
    name, said_role = "", None
    for part in _parts(after_lead_in(text, NAME_LEAD_INS, keep=NAME_LIKE)):
        if found := role_said(part):
            said_role = said_role or found
        elif not name:
            name = after_lead_in(part, NAME_LEAD_INS, keep=NAME_LIKE)
    return name, said_role


# ---- businesses ---------------------------------------------------------------------------------

BUSINESS_LEAD_INS = (
    "ca s appelle", "ca s apelle", "c est appele", "le nom c est", "le nom est",
    "le nom du commerce c est", "le nom du commerce est", "le nom de mon commerce c est",
    "le nom de notre commerce c est", "le nom de l entreprise c est", "le nom de la boutique c est",
    "mon commerce s appelle", "notre commerce s appelle", "ma boutique s appelle",
    "notre boutique s appelle", "mon entreprise s appelle", "notre entreprise s appelle",
    "mon commerce c est", "notre commerce c est", "mon entreprise c est", "notre entreprise c est",
    "le commerce s appelle", "l entreprise s appelle", "on s appelle", "nous sommes",
    "it s called", "it is called",
)  # fmt: skip
_REMARK = re.compile(
    r",\s*(?:c'est|c’est|c |on |je |j'|j’|nous |mais |pis |ma |mon |notre |depuis |ça |ca |"
    r"qui |enchanté|enchantée|merci)",
    re.IGNORECASE,
)


def business(text: str) -> str:
    """A shop's name as meant: « ça s'appelle Salon Mèches Folles, c'est ma fille qui a trouvé
    le nom » is « Salon Mèches Folles »; a name said alone stays as typed (« C'est la vie »)."""
    said = after_lead_in(text, BUSINESS_LEAD_INS, keep=WORD_LIKE)
    if said == _tidy(text.replace("’", "'")):
        return text.strip()
    return _tidy(_REMARK.split(said, maxsplit=1)[0]) or said


# ---- associations -------------------------------------------------------------------------------

# The words that name an association (folded), longest first when they overlap.
ASSOCIATION_NOUNS = (
    "societe de developpement commercial", "chambre de commerce", "jeune chambre",
    "gens d affaires", "association", "regroupement", "sdc", "corporation", "commercants",
    "marchands", "cooperative",
)  # fmt: skip
_NOUN_RE = re.compile(rf"\b(?:{_alternatives(ASSOCIATION_NOUNS)})\b")
# Before a noun, these say it is not a particular one (« une SDC », « pas de regroupement »).
_ANY_ONE = re.compile(r"(?:\b(?:un|une|aucun|aucune|quel|quelle|pas de|pas d|sans)|\bou)\s*$")
# Words that end an association's name in a sentence (« … chaque année », « … mais on va… »).
_NAME_ENDS = re.compile(
    r"\b(?:mais|pis|puis|depuis|chaque|parce|car|qui|quand|donc|alors|sauf|meme|on|je|j|nous|"
    r"ca|c|cette|cet|tous|toutes|pour|avec|ou|si|aussi|comme|dont|que|qu|il|elle|y|"
    r"et (?:on|je|j|nous|c|ca|membre|membres|le|la|les|l))\b"
)
_VAGUE = {"du", "de", "d", "la", "le", "l", "des", "coin", "quartier", "rue", "secteur", "notre",
          "mon", "ma", "nos", "local", "locale", "ici", "la bas"}  # fmt: skip


def association_named(text: str) -> str | None:
    """The association a sentence names, or None: « on fait partie du regroupement des gens
    d'affaires de Charlesbourg » names « Regroupement des gens d'affaires de Charlesbourg »;
    « une SDC », « la SDC » or « un regroupement de gens d'affaires » name none."""
    text = text.replace("’", "'")
    folded, positions = fold_with_positions(text)
    for noun in _NOUN_RE.finditer(folded):
        if _ANY_ONE.search(folded[: noun.start()]):
            continue
        clause = re.split(r"[,;:.!?()]", text[positions[noun.end()] :], maxsplit=1)[0]
        after = fold_with_positions(clause)[0]  # as the text around it is folded
        if ending := _NAME_ENDS.search(after):
            after = after[: ending.start()].strip()
        words = after.split()
        if not words or set(words) <= _VAGUE:
            continue
        end = min(noun.end() + 1 + len(after), len(folded))  # one space between words
        return capitalised(_tidy(text[positions[noun.start()] : positions[end - 1] + 1]))
    return None


ASSOCIATION_LEAD_INS = (
    "c est", "ca s appelle", "elle s appelle", "il s appelle", "le nom c est", "son nom c est",
    "le nom est", "on est membre de", "on est membres de", "nous sommes membres de",
    "nous sommes membre de", "je suis membre de", "on fait partie de", "on fait partie du",
    "on fait partie des", "on est dans", "on est avec", "membre de", "membres de", "membre du",
)  # fmt: skip
_HEDGES = re.compile(
    r"\s*(?:,\s*)?\b(?:je pense|je crois|il me semble|si je me souviens bien|je pense bien|"
    r"genre|je crois bien|normalement)\s*[.!]*$",
    re.IGNORECASE,
)


def association(text: str) -> str:
    """An association's name as answered, without the fillers, the article and the remarks
    around it (« ben je viens de le dire, les gens d'affaires de Charlesbourg » is « Gens
    d'affaires de Charlesbourg »)."""
    said = after_lead_in(text, ASSOCIATION_LEAD_INS, articles=True)
    if not _NOUN_RE.match(fold(said)) and (named := association_named(said)):
        return named  # « oui la SDC Saint-Roch, on paie la cotisation »
    said = _REMARK.split(said, maxsplit=1)[0]
    said = re.split(r"\s+(?:mais|pis)\s+", said, maxsplit=1)[0]
    return capitalised(_tidy(_HEDGES.sub("", said))) or capitalised(_tidy(text))


# ---- website platforms --------------------------------------------------------------------------

# Platforms a site is made with (folded) and how they are written; the first ones only mean
# a website wherever they are said (Square and Lightspeed are also shop tills).
PLATFORMS = {
    "wix": "Wix", "shopify": "Shopify", "wordpress": "WordPress", "word press": "WordPress",
    "woocommerce": "WooCommerce", "squarespace": "Squarespace", "weebly": "Weebly",
    "godaddy": "GoDaddy", "go daddy": "GoDaddy", "webflow": "Webflow", "joomla": "Joomla",
    "drupal": "Drupal", "prestashop": "PrestaShop", "magento": "Magento",
    "bigcommerce": "BigCommerce", "jimdo": "Jimdo", "site123": "Site123", "ecwid": "Ecwid",
    "google sites": "Google Sites", "hostinger": "Hostinger", "odoo": "Odoo",
}  # fmt: skip
PLATFORMS_TOO = {"square": "Square", "lightspeed": "Lightspeed", "duda": "Duda"}
_PLATFORM_RE = re.compile(rf"\b(?:{_alternatives(tuple(PLATFORMS))})\b")
_ANY_PLATFORM_RE = re.compile(rf"\b(?:{_alternatives(tuple(PLATFORMS | PLATFORMS_TOO))})\b")


def platforms(text: str, only_websites: bool = True) -> str | None:
    """The website platforms `text` names (« on l'a fait sur Wix » is « Wix »), or None;
    `only_websites` leaves out names that are also shop tills (Square, Lightspeed)."""
    found = (_PLATFORM_RE if only_websites else _ANY_PLATFORM_RE).findall(fold(text))
    names = dict.fromkeys((PLATFORMS | PLATFORMS_TOO)[f] for f in found)
    return ", ".join(names) or None
