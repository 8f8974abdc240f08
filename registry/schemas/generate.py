"""Write the validating code fastjsonschema makes from Relay's own schemas, once, into modules.

fastjsonschema turns a schema into Python source; doing that at every start cost
the pre-commit hook its import (with `decimal`) and ~10 ms per schema (issue 12).
The source depends only on the schema and fastjsonschema's version, so it is
made here, checked in under `registry/schemas/generated/` (one module per
schema, beside the JSON it comes from) and imported like any module: Python
caches its bytecode. A test regenerates every module and fails when one is
stale; after editing a schema, run

    .venv/bin/python -m registry.schemas.generate

Only Relay's own schemas are generated, never one a repository supplies (see
`Validator`). A schema fastjsonschema cannot compile, or whose keywords do not
read the same in Draft 7 (`same_in_draft_7`), gets no module: jsonschema
answers for it, as at run time.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import generated_module, load_schema, same_in_draft_7

HERE = Path(__file__).resolve().parent
OUT = HERE / "generated"
# The exceptions the generated code raises come from `generated/__init__.py`: importing
# them from fastjsonschema would load all of it (and its code generator) at every start.
_IMPORT = re.compile(r"^from fastjsonschema import (.+)$", re.MULTILINE)
_DECIMAL = "from decimal import Decimal\n"
_ROOT = re.compile(r"^def (\w+)\(data, ", re.MULTILINE)


def source(name: str) -> str | None:
    """The module for `registry/schemas/<name>.json`, or None if it gets none."""
    import fastjsonschema

    schema = load_schema(name)
    if not same_in_draft_7(schema):
        return None
    try:
        code = fastjsonschema.compile_to_code(schema, use_default=False, use_formats=False,
                                              detailed_exceptions=False)
    except Exception:  # noqa: BLE001 - what `Validator` falls back from at run time too
        return None
    code, count = _IMPORT.subn(r"from . import \1", code, count=1)
    if count != 1:
        raise RuntimeError(f"{name}: fastjsonschema's code no longer imports its exceptions as expected")
    if "Decimal" not in code.replace(_DECIMAL, ""):
        code = code.replace(_DECIMAL, "")  # `decimal` is a few ms to import; most schemas never use it
    root = _ROOT.search(code)
    if root is None:
        raise RuntimeError(f"{name}: no validating function in fastjsonschema's code")
    header = (f"# Generated from registry/schemas/{name}.json by `python -m registry.schemas.generate`\n"
              f"# (fastjsonschema {fastjsonschema.VERSION}); do not edit.\n")
    return f"{header}{code.rstrip()}\n\n\nvalidate = {root.group(1)}\n"


def expected() -> dict[str, str]:
    """Every generated module's file name and text, for all of Relay's own schemas."""
    out = {}
    for path in sorted(HERE.glob("*.json")):
        text = source(path.stem)
        if text is not None:
            out[f"{generated_module(path.stem)}.py"] = text
    return out


def main() -> int:
    wanted = expected()
    for stale in OUT.glob("*.py"):
        if stale.name != "__init__.py" and stale.name not in wanted:
            stale.unlink()
            print(f"removed {stale.relative_to(HERE.parents[1])}")
    for file_name, text in wanted.items():
        path = OUT / file_name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
