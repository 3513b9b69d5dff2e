"""The program pack (`program/`): the program's facts as data, loaded and validated."""

from bot.pack.loader import Identity, Pack, PackError, current_pack, load_pack

__all__ = ["Identity", "Pack", "PackError", "current_pack", "load_pack"]
