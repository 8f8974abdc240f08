"""The fixed choices `relay`'s options offer, in a module that imports nothing.

`relay --help` builds every command's options; taking these tuples from the
modules that use them (report.py, config.py, model.py) loaded tomllib,
hashlib and the model's dataclasses before any command ran (issue 12). Each
is defined only here.
"""

FORMATS = ("text", "json", "github", "sarif")  # `relay validate --format`: registry/report.py renders them
DEFAULT_FORMAT = FORMATS[0]  # also what `relay validate PATH...` prints without click (validate_command.py)
PROFILES = ("portable", "claude-code")  # frontmatter profiles: registry/config.py
# The kinds of items (docs/kinds.md); `registry.kinds` holds one module per kind.
KIND_NAMES = ("skill", "agent", "command", "hooks", "mcp", "plugin", "marketplace")
# `relay validate`'s option, read by click and by the console script's door (registry/validate_command.py)
CHANGED_SINCE = "--changed-since"
