"""`relay`'s plugin commands are found as importlib.metadata finds entry points, without importing it."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib.metadata import entry_points as reference
from pathlib import Path
from typing import Any

import pytest

from registry.plugins import EntryPoint, entry_points


def _names(found: Iterable[Any]) -> dict[str, str]:
    return {ep.name: ep.value for ep in found}


def test_the_installed_commands_match_importlib_metadata() -> None:
    ours = entry_points()
    assert {name: ep.value for name, ep in ours.items()} == _names(reference(group="relay.commands"))
    assert {"build", "serve-site", "serve", "usage"} <= set(ours)


def _dist(folder: Path, name: str, text: str | None) -> None:
    (folder / name).mkdir(parents=True)
    if text is not None:
        (folder / name / "entry_points.txt").write_text(text, encoding="utf-8")


def test_first_distribution_on_the_path_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist(first, "relay_extra-2.0.dist-info", "# a comment\n[console_scripts]\nhello = x:y\n\n"
                                              "[relay.commands]\nreport = relay_extra.cli:report [pdf]\n"
                                              "nested = relay_extra.cli:group.sub\n")
    _dist(second, "Relay.Extra-1.0.dist-info", "[relay.commands]\nreport = old.cli:report\nolder = old:x\n")
    _dist(second, "other_pkg.egg-info", "[relay.commands]\nother = other_pkg:cmd\n")
    _dist(second, "bare-1.0.dist-info", None)
    (tmp_path / "file.zip").write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "gone"), str(tmp_path / "file.zip"), str(first),
                                      str(second)])
    expected = {"report": "relay_extra.cli:report [pdf]", "nested": "relay_extra.cli:group.sub",
                "other": "other_pkg:cmd"}
    assert {name: ep.value for name, ep in entry_points().items()} == expected
    assert _names(reference(group="relay.commands")) == expected


def test_load_imports_the_attribute_and_says_what_is_wrong() -> None:
    assert EntryPoint("x", "os.path:join").load() is __import__("os").path.join
    assert EntryPoint("x", "registry.plugins:EntryPoint.load [extra]").load() is EntryPoint.load
    with pytest.raises(ModuleNotFoundError):
        EntryPoint("x", "no_such_module_here:cmd").load()
    with pytest.raises(AttributeError):
        EntryPoint("x", "os:no_such_name").load()
    with pytest.raises(ValueError, match="module:attribute"):
        EntryPoint("x", "not a value").load()
