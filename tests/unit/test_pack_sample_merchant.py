"""The pack's sample merchant (`sample_merchant.yml`): the answers the product's measures and the
end-to-end tests give, each pack its own, validated with `file:line` errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.learning.chat import diagnostic_answers, intake_answers
from bot.pack import PackError
from bot.pack.sample_merchant import FILE, load
from bot.territory import Verdict, check_territory
from tests.conftest import FICTIONAL_PACK as FICTIONAL


def test_each_pack_s_merchant_is_inside_its_territory(monkeypatch: pytest.MonkeyPatch) -> None:
    assert intake_answers()["utter_ask_address"].endswith("G1L 2W5")
    assert diagnostic_answers()["utter_ask_diag_tools"] == "caisse"
    monkeypatch.setenv("PROGRAM_DIR", str(FICTIONAL))
    answers = intake_answers()
    assert answers["utter_ask_sector"] == "Métiers d'art"
    assert check_territory("J1H 5A9", answers["utter_ask_municipality"]).verdict is Verdict.INSIDE


def test_errors_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / FILE).write_text(
        "intake:\n  utter_ask_email: ''\n  email: x@exemple.org\ndiagnostic: {}\nmore: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError) as raised:
        load(tmp_path)
    shown = str(tmp_path / FILE)
    assert raised.value.errors == (
        f"{shown}:2: intake.utter_ask_email: should be a non-empty text, got ''",
        f"{shown}:3: intake.email: should name a question's response, such as utter_ask_email",
        f"{shown}:5: more: unknown form (known: intake, diagnostic)",
    )
