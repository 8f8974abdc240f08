"""Exceptions the library raises for problems a user must fix (the CLI prints them as one line)."""


class RelayError(Exception):
    """A problem with the user's input or environment, not a bug."""


class ConfigError(RelayError):
    """relay.toml or a schema it names is invalid."""


class RepositoryError(RelayError):
    """The path is not a git repository, or it has no such branch."""


class RevisionError(RelayError):
    """A revision (commit, branch, tag) does not exist."""


class SkillNotFound(RelayError):
    """No skill by that name at that revision."""


class VersionNotFound(RelayError):
    """The skill has no version matching the given id, tag or metadata version.

    `skill` lets each front end add its own way to list the versions (a shell
    command for the CLI, a tool call over MCP), so the library names neither.
    """

    def __init__(self, message: str, skill: str | None = None) -> None:
        super().__init__(message)
        self.skill = skill
