"""Search that ignores case and accents, the same on SQLite and PostgreSQL: « helene » finds
« Hélène », « ERABLIERE » finds « Érablière ». `folded(column)` is the column as SQL folds it,
`fold_for_search(text)` the text a person typed, folded the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import String

# The accented letters of French and its neighbours, both cases, and what they fold to.
ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy"
_TABLE = str.maketrans(ACCENTED, PLAIN)
SQLITE_FUNCTION = "numeriqc_fold"


def fold_for_search(text: str | None) -> str | None:
    """Lower case, without accents (None stays None, as SQL's NULL)."""
    return None if text is None else text.lower().translate(_TABLE)


class folded(GenericFunction[str]):
    """The column lower-cased and without accents."""

    type = String()
    inherit_cache = True


@compiles(folded, "postgresql")
def _postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    # lower() first (ASCII at least, whatever the collation), then the accented letters.
    return f"translate(lower({compiler.process(element.clauses, **kw)}), '{ACCENTED}', '{PLAIN}')"


@compiles(folded, "sqlite")
def _sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


def register_sqlite(connection: Any) -> None:
    """Give a SQLite connection the folding function (`make_engine` does it on connect)."""
    connection.create_function(SQLITE_FUNCTION, 1, fold_for_search, deterministic=True)
