"""The catalog script's card data (builder/cards.py), read back by a JavaScript engine as the
browser reads it: every card's keys in one file, descriptions and zips in blocks by position."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from builder import cards
from builder.context import Card, UsageFigures

READ = """
globalThis.window = globalThis;
for (const file of process.argv.slice(1)) { require(file); }
process.stdout.write(JSON.stringify({keys: window.RELAY_CARDS, blocks: window.RELAY_CARD_BLOCKS}));
"""
ODD = "It's a \\ back\u2028slash </script><script>alert(1)</script> \"quoted\" café 😀"


def _card(index: int, name: str, **changes: object) -> Card:
    fields: dict[str, object] = dict(
        index=index, name=name, description=f"Skill {name}.", tags=("t1",), owner="team-a",
        category="data", license="MIT", updated="2024-05-01", versions=2,
        href=f"skills/{name}/index.html", usage=None, zip_href=f"zips/{name}-0123456789ab.zip")
    fields.update(changes)
    return Card(**fields)  # type: ignore[arg-type]


CARDS = [
    _card(0, "alpha", description=ODD, tags=("t1", "t2"), usage=UsageFigures(uses=7, hours_saved=1.25,
                                                                            hours_known=True)),
    _card(1, "beta", owner="", category="", license="", updated="", zip_href=""),
    _card(2, "gamma", tags=()),
    _card(3, "my-plugin", kind="plugin", href="plugins/my-plugin/index.html", zip_href=""),
    _card(4, "delta", owner="team-b", usage=UsageFigures(uses=0)),
]


def _read(tmp_path: Path, files: dict[str, bytes]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js")
    paths = []
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(str(path))
    proc = subprocess.run([node, "-e", READ, *paths], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(proc.stdout)


def test_keys_hold_every_card_and_blocks_split_descriptions(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "BLOCK", 2)
    files = cards.card_files(CARDS, None)
    assert sorted(files) == ["assets/cards/0.js", "assets/cards/1.js", "assets/cards/2.js",
                             "assets/cards/keys.js"]
    data = _read(tmp_path, files)
    keys, blocks = data["keys"], data["blocks"]
    assert keys["count"] == 5 and keys["block"] == 2 and keys["pretty"] is False
    assert keys["names"] == ["alpha", "beta", "gamma", "my-plugin", "delta"]
    assert keys["hrefs"] == {"3": "plugins/my-plugin/index.html"}  # skills' pages are derived

    def value(key: str, i: int) -> list[str]:
        v = keys["columns"][key][i]
        table = keys["values"][key]
        return [table[n] for n in v] if key == "tag" else ([] if v < 0 else [table[v]])

    assert [value("tag", i) for i in range(5)] == [["t1", "t2"], ["t1"], [], ["t1"], ["t1"]]
    assert [value("owner", i) for i in range(5)] == [["team-a"], [], ["team-a"], ["team-a"], ["team-b"]]
    assert [value("kind", i) for i in range(5)] == [["skill"], ["skill"], ["skill"], ["plugin"], ["skill"]]
    assert [value("license", i) for i in range(5)] == [["MIT"], [], ["MIT"], ["MIT"], ["MIT"]]
    assert [keys["values"]["updated"][n] for n in keys["columns"]["updated"]] == \
        ["2024-05-01", "", "2024-05-01", "2024-05-01", "2024-05-01"]
    assert keys["uses"] == {"0": 7, "4": 0}  # known for two of five: by position
    assert keys["hours"] == {"0": 1.2}  # hours known only where reported
    assert keys["versions"] == [2, 2, 2, 2, 2]
    assert blocks == {
        "0": [[ODD, "0123456789ab"], ["Skill beta.", ""]],
        "1": [["Skill gamma.", "0123456789ab"], ["Skill my-plugin.", ""]],
        "2": [["Skill delta.", "0123456789ab"]],
    }
    assert all(data.isascii() for data in files.values())  # no raw line terminator ends the string


def test_under_a_base_url_links_are_directories(tmp_path: Path) -> None:
    plugin = _card(1, "my-plugin", kind="plugin", href="plugins/my-plugin/index.html")
    keys = _read(tmp_path, cards.card_files([_card(0, "alpha"), plugin], "/sub/"))["keys"]
    assert keys["pretty"] is True and keys["hrefs"] == {"1": "plugins/my-plugin/"}


def test_an_empty_catalog_still_has_its_files(tmp_path: Path) -> None:
    data = _read(tmp_path, cards.card_files([], None))
    assert data["keys"]["names"] == [] and data["blocks"] == {"0": []}


def test_a_usage_column_known_for_most_cards_stays_a_list() -> None:
    assert cards.sparse([3, None, 0]) == [3, None, 0]
    assert cards.sparse([3, None, None, 0]) == {"0": 3, "3": 0}
    assert cards.sparse([None, None]) == {}
