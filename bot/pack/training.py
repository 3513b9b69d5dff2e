"""Training from a pack: the domain Rasa trains with is composed from `domain/` (intents, slots,
forms, actions: the mechanism) and the pack's responses (what the merchant reads).

`python -m bot.pack.training compose [PACK]` writes `var/build/<pack>-<version>/domain/` and
prints it; the Makefile's model target, `rasa data validate` and the candidate models train
with it. The composed domain also holds the response `utter_program_pack`, « <name> <version> »,
so a model names the pack it was trained from (`pack_of_model`, shown on the « Modèle » page
and by `python -m bot.cli model list`).
"""

from __future__ import annotations

import json
import shutil
import sys
import tarfile
from functools import lru_cache
from pathlib import Path

from bot.pack.loader import ROOT, Pack, PackError, Reader, load_pack, program_dir
from bot.pack.responses import load as load_responses

DOMAIN = ROOT / "domain"
BUILD = ROOT / "var" / "build"
PACK_RESPONSE = "utter_program_pack"  # « numeriqc 1 »: the pack a model was trained from
HEADER = "# Composed from {shown} by bot/pack/training.py: edit it there, not here.\n"


def build_dir(pack: Pack) -> Path:
    """Where the pack's training inputs are composed: `var/build/<name>-<version>/`."""
    return BUILD / f"{pack.name}-{pack.version}"


def model_name(pack: Pack) -> str:
    """The model file's name (without `.tar.gz`): the pack's name (`models/numeriqc.tar.gz`);
    its version is in the model's domain (`pack_of_model`)."""
    return pack.name


def compose(folder: Path | None = None, out: Path | None = None) -> Path:
    """Write the domain of the pack in `folder` (default: `PROGRAM_DIR`) into `out` (default:
    `build_dir(pack) / "domain"`) and return it: `domain/*.yml` as they are, then each of the
    pack's response files, and the pack's name and version. An invalid pack raises
    `PackError`."""
    folder = folder or program_dir()
    pack = load_pack(folder)
    found = load_responses(folder)
    out = out or build_dir(pack) / "domain"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for file in sorted(DOMAIN.glob("*.yml")):
        shutil.copyfile(file, out / file.name)
    for topic in found.topics:
        text = HEADER.format(shown=topic.shown) + 'version: "3.1"\n' + topic.text
        (out / f"responses-{topic.name}.yml").write_text(text, encoding="utf-8")
    label = json.dumps(f"{pack.name} {pack.version}")  # a YAML double-quoted scalar
    (out / "responses-pack.yml").write_text(
        HEADER.format(shown=Reader(folder / "program.yml").shown)
        + f'version: "3.1"\nresponses:\n  {PACK_RESPONSE}:\n    - text: {label}\n',
        encoding="utf-8",
    )
    return out


def pack_of_model(model: Path | str) -> tuple[str, int] | None:
    """The pack a model file was trained from, (« numeriqc », 1), read from its domain; None
    for a model trained before packs or a file that cannot be read."""
    try:
        return _pack_in(Path(model), Path(model).stat().st_mtime)
    except OSError:
        return None


@lru_cache(maxsize=64)
def _pack_in(model: Path, modified: float) -> tuple[str, int] | None:
    try:
        with tarfile.open(model, "r:gz") as archive:
            member = archive.extractfile("metadata.json")
            metadata = json.load(member) if member is not None else {}
    except (OSError, KeyError, tarfile.TarError, ValueError):
        return None
    variants = metadata.get("domain", {}).get("responses", {}).get(PACK_RESPONSE) or []
    name, _, version = str(variants[0].get("text", "")).partition(" ") if variants else ("", "", "")
    return (name, int(version)) if version.isdigit() else None


def main(argv: list[str]) -> int:
    """`compose [PACK]`: compose and print the domain's folder; `name [PACK]`: the model's
    name; `pack MODEL`: the pack a model names."""
    command, *rest = argv or ["compose"]
    if command == "pack" and len(rest) == 1:
        found = pack_of_model(rest[0])
        print(f"{found[0]} {found[1]}" if found else "unknown")
        return 0
    folder = Path(rest[0]) if rest else None
    try:
        if command == "compose" and len(rest) <= 1:
            print(Reader(compose(folder)).shown)
            return 0
        if command == "name" and len(rest) <= 1:
            print(model_name(load_pack(folder or program_dir())))
            return 0
    except PackError as error:
        print("\n".join(error.errors), file=sys.stderr)
        return 1
    print("usage: python -m bot.pack.training compose|name [PACK] | pack MODEL", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
