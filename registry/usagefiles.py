"""Where usage lives as files: day-partitioned Parquet under one folder (the export and the shared store).

One layout serves three readers and any number of writers: `relay usage export`
writes it from a DuckDB file, every replica of `relay serve --usage-store DIR`
appends its own segment files to it, and `relay build --usage DIR` and
`relay usage report --store DIR` read it with DuckDB. Files whose names do not
end in `.parquet` (a writer's temporary file) are never read.
"""

from __future__ import annotations

from pathlib import Path

PARTITION = "day"  # DIR/day=YYYY-MM-DD/<segment>.parquet
SUFFIX = ".parquet"


def day_folder(root: Path, day: str) -> Path:
    """The partition folder of one UTC day (YYYY-MM-DD)."""
    return root / f"{PARTITION}={day}"


def files(root: Path) -> list[Path]:
    """Every finished segment under `root`, in name order."""
    return sorted(root.glob(f"{PARTITION}=*/*{SUFFIX}"))


def sql_glob(root: Path) -> str:
    """The glob for DuckDB's read_parquet, quoted as a SQL string literal."""
    pattern = str(root / f"{PARTITION}=*" / f"*{SUFFIX}").replace("'", "''")
    return f"'{pattern}'"
