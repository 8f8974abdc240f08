"""The catalog script's card data: lean columns for every card, descriptions in blocks.

The catalog page holds only its own cards; the script loads the rest as data (issue 12). One
file of every card's rows (`assets/cards.js`, 4.5 MB raw at 10,000 skills) was what the first
search results waited for (issue 8), though a search draws 60 cards and a facet count needs
none of the text. So the data is split by what needs it:

- `assets/cards/keys.js`: every card's name and what filters, facet counts, sorting and the
  card's meta line read (facet values as numbers into a table of distinct values, dates,
  versions, usage), as columns (usage known for few cards as {position: value}: `sparse`).
  Loaded on the search box's first use; enough to rank, count and draw every card but its
  description and zip link.
- `assets/cards/<n>.js`: the description and zip of cards `n * BLOCK` to `(n + 1) * BLOCK - 1`
  (positions are the refs in the search index). The script asks first for the blocks of the
  cards it shows, then for the rest in the background; a card drawn before its block is in
  gets its description when the block arrives.

Both are scripts that set a global (not JSON fetched), so the catalog also works from file://.
Links are from the site root; the page adds its own way there. A skill's page and zip are
derived from its name in the browser (the same rule as `paths`); other kinds carry their link.
"""

from __future__ import annotations

import json

from . import paths
from .context import Card

BLOCK = 500  # cards per description block: 20 blocks at 10,000 skills, about 100 KB each
KEYS = "assets/cards/keys.js"
FACETS = ("kind", "tag", "category", "owner", "license")


def block_path(number: int) -> str:
    return f"assets/cards/{number}.js"


def script(name: str, value: object) -> bytes:
    """`window.<name> = JSON.parse('...')`: browsers parse a JSON string faster than a literal.
    ASCII-only JSON, so no line terminator or `</script>` can end the string or the script."""
    payload = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"{name}=JSON.parse('{literal}');\n".encode()


def _href(card: Card, base_url: str | None) -> str:
    return card.href.removesuffix("index.html") if base_url else card.href


def keys(cards: list[Card], base_url: str | None) -> dict[str, object]:
    """Every card's lean data as columns (see the module docstring); search.js's names, too."""
    tables: dict[str, dict[str, int]] = {key: {} for key in (*FACETS, "updated")}

    def number(key: str, value: str) -> int:
        return tables[key].setdefault(value, len(tables[key]))

    columns: dict[str, list[object]] = {key: [] for key in (*FACETS, "updated")}
    for c in cards:
        columns["kind"].append(number("kind", c.kind))
        columns["tag"].append([number("tag", t) for t in c.tags])
        for key, value in (("category", c.category), ("owner", c.owner), ("license", c.license)):
            columns[key].append(number(key, value) if value else -1)
        columns["updated"].append(number("updated", c.updated))
    return {
        "count": len(cards), "block": BLOCK, "pretty": base_url is not None,
        "names": [c.name for c in cards],
        "hrefs": {str(c.index): _href(c, base_url) for c in cards
                  if c.kind != "skill" or c.href != paths.skill_page(c.name)},
        "values": {key: list(table) for key, table in tables.items()},
        "columns": columns,
        "versions": [c.versions for c in cards],
        "uses": sparse([c.usage.uses if c.usage else None for c in cards]),
        "hours": sparse([round(c.usage.hours_saved, 1) if c.usage and c.usage.hours_known else None
                         for c in cards]),
    }


def sparse(column: list[object]) -> list[object] | dict[str, object]:
    """A column with a value for at most half the cards as {position: value}, else as a list
    (null where none). Usage is often known for a few skills only, and every byte of the keys is
    parsed before the first results: 10,000 nulls were 50 KB of the keys, twice. The page reads
    both forms alike (`column[i]`, missing: undefined or null)."""
    known = {str(i): v for i, v in enumerate(column) if v is not None}
    return known if len(known) * 2 <= len(column) else column


def block(cards: list[Card]) -> list[list[str]]:
    """[description, zip id] of each card: the zip's file is derived from the name and the id."""
    return [[c.description, _zip_id(c)] for c in cards]


def _zip_id(card: Card) -> str:
    prefix = f"zips/{card.name}-"
    if not card.zip_href:
        return ""
    if not card.zip_href.startswith(prefix) or not card.zip_href.endswith(".zip"):
        raise ValueError(f"zip of {card.name} is not zips/<name>-<id>.zip: {card.zip_href}")
    return card.zip_href[len(prefix):-len(".zip")]


def card_files(cards: list[Card], base_url: str | None) -> dict[str, bytes]:
    """Site path -> bytes of every card data file: the keys, then the blocks in order.
    `cards` are in catalog order: a card's position is its ref (`Card.index`)."""
    files = {KEYS: script("window.RELAY_CARDS", keys(cards, base_url))}
    for number, start in enumerate(range(0, max(len(cards), 1), BLOCK)):
        target = f"(window.RELAY_CARD_BLOCKS=window.RELAY_CARD_BLOCKS||{{}})[{number}]"
        files[block_path(number)] = script(target, block(cards[start:start + BLOCK]))
    return files
