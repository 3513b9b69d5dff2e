"""`python -m bot.cli program check [DIR]`: validate the program pack, errors as `file:line`.

The messages are in English on purpose: this is a tool for developers and the program team,
like the rest of the command line (the merchants never read it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from bot.pack import (
    consent,
    diagnostic,
    eligibility,
    emails,
    intake,
    responses,
    sample_merchant,
    territory,
)
from bot.pack.loader import Pack, PackError, load_pack, program_dir

# Every file of the pack, each read by its section's `load(folder)` (bot/pack/<section>.py).
SECTIONS: tuple[Callable[[Path], object], ...] = (
    territory.load,
    responses.load,
    emails.load,
    consent.load,
    eligibility.load,
    intake.load,
    diagnostic.load,
    sample_merchant.load,
)


def validated(folder: Path) -> Pack:
    """`load_all(folder)`, validated once per process while no file of the pack changes
    (`load_settings` runs in every action: validating every file each time cost ~0.4 s)."""
    files = sorted(folder.rglob("*.yml"))
    return _validated(folder.resolve(), tuple((f, f.stat().st_mtime_ns) for f in files))


@cache
def _validated(folder: Path, stamps: tuple[tuple[Path, int], ...]) -> Pack:
    return load_all(folder)


def load_all(folder: Path) -> Pack:
    """The pack in `folder` with every section validated; one `PackError` lists the problems
    of every file."""
    errors: list[str] = []
    pack = None
    for load in (load_pack, *SECTIONS):
        try:
            loaded = load(folder)
        except PackError as error:
            errors.extend(error.errors)
            continue
        if isinstance(loaded, Pack):
            pack = loaded
    if errors or pack is None:
        raise PackError(errors)
    return pack


def check_program(folder: Path | None = None) -> int:
    """Print the pack's errors (`program/program.yml:7: identity.reference_prefix: …`) and
    return 1, or say it is valid and return 0."""
    folder = folder or program_dir()
    try:
        pack = load_all(folder)
    except PackError as error:
        for line in error.errors:
            print(line, file=sys.stderr)
        count = len(error.errors)
        print(
            f"the program pack in {folder} is invalid ({count} error{'s' * (count > 1)})",
            file=sys.stderr,
        )
        return 1
    print(f"program pack {pack.name}, version {pack.version}: valid ({folder})")
    return 0


def run_before_imports(argv: list[str]) -> None:
    """Run `program check` before the modules that read the pack at import are imported, so an
    invalid pack gets its `file:line` errors rather than a traceback."""
    if argv[:2] == ["program", "check"] and len(argv) <= 3:
        sys.exit(check_program(Path(argv[2]) if len(argv) == 3 else None))
