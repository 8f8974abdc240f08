"""Every validation rule Relay knows, with its stable code, name, severity and fix hint.

Codes never change meaning once published: CI filters, SARIF results and
`docs/rules.md` refer to them. Add new rules with new codes.
"""

from __future__ import annotations

from importlib import import_module

from .model import Diagnostic, Rule, Severity

E, W = Severity.ERROR, Severity.WARNING

_RULES = [
    # -- the SKILL.md file itself --------------------------------------------
    Rule("SK001", "missing-skill-md", E, "The skill folder has no SKILL.md.",
         "Create SKILL.md at the root of the folder (`relay new NAME` scaffolds one)."),
    Rule("SK002", "skill-md-filename", E, "The skill file is not named exactly SKILL.md.",
         "Rename the file to SKILL.md (upper case, as the Agent Skills spec requires)."),
    Rule("SK003", "invalid-utf8", E, "SKILL.md is not valid UTF-8.",
         "Re-save the file as UTF-8 (no legacy encodings such as Latin-1 or UTF-16)."),
    Rule("SK004", "binary-or-empty", E, "SKILL.md is empty or binary.",
         "SKILL.md must be a markdown text file with YAML frontmatter."),
    Rule("SK005", "byte-order-mark", E, "SKILL.md starts with a UTF-8 byte order mark.",
         "Remove the BOM: the file must start with `---`; other tools do not strip it."),
    Rule("SK006", "missing-frontmatter", E, "SKILL.md does not start with YAML frontmatter.",
         "Start the file with a `---` line, the YAML keys, then a closing `---` line."),
    Rule("SK007", "unclosed-frontmatter", E, "The frontmatter has no closing `---` line.",
         "Add a line containing only `---` after the last frontmatter key."),
    Rule("SK008", "yaml-syntax", E, "The frontmatter is not valid YAML.",
         "Fix the YAML syntax; quote values that contain `: `, `#` or start with a symbol."),
    Rule("SK009", "frontmatter-not-mapping", E, "The frontmatter is not a mapping of keys.",
         "Write the frontmatter as `key: value` lines (name, description, ...)."),
    Rule("SK010", "duplicate-key", E, "A frontmatter key appears more than once.",
         "Keep one occurrence of the key; YAML parsers disagree on which one wins."),
    Rule("SK011", "tab-indentation", E, "The frontmatter is indented with tabs.",
         "YAML forbids tabs for indentation: indent with spaces."),
    Rule("SK012", "non-portable-yaml", E,
         "The frontmatter uses YAML features other skill loaders reject.",
         "Use plain block style: no `{...}`/`[...]` flow collections, anchors, aliases or tags."),
    Rule("SK013", "crlf-line-endings", W, "SKILL.md uses CRLF line endings.",
         "Convert the file to LF line endings (e.g. `dos2unix SKILL.md`)."),
    # -- frontmatter fields ---------------------------------------------------
    Rule("SK101", "missing-name", E, "The required `name` field is missing or empty.",
         "Add `name: <folder-name>` to the frontmatter."),
    Rule("SK102", "invalid-name", E, "`name` is not lowercase letters, digits and single hyphens.",
         "Use 1-64 chars of a-z, 0-9 and single hyphens, not starting or ending with a hyphen."),
    Rule("SK103", "name-folder-mismatch", E, "`name` differs from the skill's folder name.",
         "Rename the folder or change `name` so both are identical."),
    Rule("SK104", "missing-description", E, "The required `description` field is missing or empty.",
         "Add a `description` saying what the skill does and when to use it."),
    Rule("SK105", "field-too-long", E, "A field exceeds its length limit.",
         "Shorten the value: name <= 64, description <= 1024, compatibility <= 500 chars."),
    Rule("SK106", "unknown-field", E, "The frontmatter has a key the chosen profile does not allow.",
         "Remove the key, move company fields under `metadata`, or use the claude-code profile."),
    Rule("SK107", "invalid-field-type", E, "A frontmatter field has the wrong type.",
         "Check the type: strings for name/description/license/compatibility/allowed-tools, "
         "a mapping of strings for metadata."),
    Rule("SK108", "xml-in-field", E, "`name` or `description` contains XML/HTML tags.",
         "Remove `<...>` tags: they are rejected by claude.ai and can inject prompt structure."),
    Rule("SK109", "reserved-word", E, "`name` contains a reserved word (anthropic, claude).",
         "Choose a name without the words `anthropic` or `claude`."),
    Rule("SK110", "invalid-field-value", E, "A frontmatter field has a value the profile rejects.",
         "See the profile's JSON Schema in registry/schemas/ for the allowed values."),
    Rule("SK111", "description-without-trigger", W,
         "The description does not say when to use the skill.",
         "Add a sentence such as `Use when ...` so Claude knows when to load the skill."),
    Rule("SK112", "control-character", E,
         "A frontmatter value contains a control character (ESC, BEL, NUL, a direction override).",
         "Delete the character: it can rewrite a terminal line or reorder text on a page."),
    Rule("SK113", "placeholder-description", E,
         "The description is still the placeholder `relay new` wrote.",
         "Write what the skill does and when to use it (`... Use when ...`): Claude picks skills "
         "by their description."),
    # -- registry policy (metadata) -------------------------------------------
    Rule("SK201", "policy-missing-field", E, "A metadata field required by the registry is missing.",
         "Add the field under `metadata:` (see the policy schema named in relay.toml)."),
    Rule("SK202", "policy-invalid-value", E, "A metadata field breaks the registry policy.",
         "Change the value to one the policy schema allows."),
    # -- bundled files ----------------------------------------------------------
    Rule("SK301", "broken-link", E, "A relative link points at a file missing from the skill.",
         "Fix the path, or add the file; links are relative to the skill folder."),
    Rule("SK302", "link-outside-skill", E, "A link leaves the skill folder or is absolute.",
         "Bundle the file inside the skill and link it with a relative path."),
    Rule("SK303", "invalid-json", E, "A bundled .json file does not parse.",
         "Fix the JSON syntax at the position given."),
    Rule("SK304", "invalid-yaml", E, "A bundled .yaml/.yml file does not parse.",
         "Fix the YAML syntax at the position given."),
    Rule("SK305", "python-syntax", E, "A bundled Python script does not compile.",
         "Fix the syntax error; scripts must run on Python 3.11."),
    Rule("SK306", "too-many-files", E, "The skill has more files than allowed.",
         "Keep at most the configured number of files (default 512) in one skill."),
    Rule("SK307", "skill-too-large", E, "The skill's files add up to more than allowed.",
         "Keep the skill under the configured total size (default 16 MiB)."),
    Rule("SK308", "file-too-large", E, "A bundled file exceeds the per-file size cap.",
         "Shrink or split the file, or raise `limits.max_file_bytes` in relay.toml."),
    Rule("SK309", "symlink-escape", E, "A symlink points outside the skill folder.",
         "Replace the symlink with a copy of the file inside the skill."),
    Rule("SK310", "secret", E, "A file appears to contain a secret.",
         "Remove the secret and rotate it; list false positives under [secrets] allow."),
    Rule("SK311", "unreadable-file", E, "A bundled file could not be read.",
         "Check the file's permissions and that it is a regular file."),
    Rule("SK312", "submodule-in-skill", E, "The skill contains a git submodule.",
         "Vendor the files into the skill instead; submodules are not versioned with it."),
    Rule("SK313", "unsafe-path", E,
         "A file or folder name could leave the skill, or hides what it is.",
         "Rename it: no `..`/`.` segments, backslashes, control characters or `.git`; a tree "
         "built with `git mktree` can hold names `git add` never would."),
    # -- budgets ------------------------------------------------------------------
    Rule("SK401", "body-too-long", W, "The SKILL.md body is longer than recommended.",
         "Keep SKILL.md under 500 lines; move detail into references/ and link it."),
    Rule("SK402", "body-too-many-tokens", W, "The SKILL.md body is larger than ~5,000 tokens.",
         "Move detail into bundled reference files that Claude reads on demand."),
    Rule("SK403", "empty-body", W, "SKILL.md has no instructions after the frontmatter.",
         "Write the steps Claude should follow below the frontmatter."),
    # -- the repository -----------------------------------------------------------
    Rule("SK501", "duplicate-name", E, "Two skills declare the same name.",
         "Give each skill a unique name equal to its folder name."),
    Rule("SK502", "case-collision", E, "Two skill folders differ only by letter case.",
         "Rename one folder; they collide on macOS and Windows checkouts."),
    Rule("SK503", "stray-entry", W, "An entry in the skills folder is not a skill folder.",
         "Every entry of the skills folder should be a folder holding a SKILL.md."),
    Rule("SK504", "marketplace-stale", E,
         "The committed .claude-plugin/marketplace.json does not match the skills.",
         "Run `relay marketplace --write` and commit the file."),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in _RULES}


def diagnostic(
    code: str,
    path: str,
    line: int,
    column: int,
    message: str,
    *,
    hint: str | None = None,
    skill: str = "",
    severity: Severity | None = None,
) -> Diagnostic:
    """Build a Diagnostic for rule `code`, filling in its name, severity and default hint."""
    rule = RULES[code]
    return Diagnostic(
        path=path,
        line=max(line, 1),
        column=max(column, 1),
        code=code,
        name=rule.name,
        severity=severity if severity is not None else rule.severity,
        message=message,
        hint=rule.hint if hint is None else hint,
        skill=skill,
    )


def register(rules: list[Rule]) -> None:
    """Add the rules of other item kinds (`registry.kinds`); a code is never redefined."""
    for rule in rules:
        if RULES.get(rule.code, rule) != rule:
            raise ValueError(f"rule code {rule.code} is already taken")
        RULES[rule.code] = rule
        RULES_BY_NAME[rule.name] = rule


def all_rules() -> dict[str, Rule]:
    """Every rule: the skill rules above and those of the other item kinds.

    `registry.kinds` registers its rules when imported; it is imported here, on
    demand, because its kind modules import the SKILL.md parser, which imports
    this module.
    """
    import_module(".kinds", __package__)
    return RULES
