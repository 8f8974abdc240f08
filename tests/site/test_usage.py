"""Usage: figures from a Parquet export written with DuckDB, the dashboard, and no export at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.usage import UsageExportError, read_usage

from .conftest import Builder, parse


def test_figures_from_the_export(usage_export: Path) -> None:
    usage = read_usage(usage_export)
    alpha, beta = usage.skills["alpha-review"], usage.skills["beta-sql"]
    assert (alpha.uses, beta.uses) == (8, 4)  # rate_skill events are not uses
    assert alpha.users == 2 and usage.totals.users == 3
    assert alpha.hours_saved == 2.0 and beta.hours_saved == 0.25  # (30 + 90) / 60, 15 / 60
    assert alpha.rating == 4.5 and alpha.ratings == 2
    assert usage.totals.uses == 12 and usage.totals.hours_saved == 2.25
    assert [w.start for w in usage.weeks] == ["2024-03-04", "2024-03-11"]
    assert sum(w.uses for w in usage.weeks) == 12
    assert (usage.first_day, usage.last_day) == ("2024-03-04", "2024-03-12")


def test_empty_and_missing_exports(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert read_usage(tmp_path / "empty").skills == {}
    with pytest.raises(UsageExportError):
        read_usage(tmp_path / "missing")


def test_dashboard_with_usage(build_site: Builder, usage_export: Path, tmp_path: Path) -> None:
    build_site(usage_dir=usage_export)
    page = parse(tmp_path / "site/usage/index.html")
    assert len(page.find_all("svg")) == 5
    assert [s.text for s in page.find_all("span", class_="stat")][:3] == ["12", "3", "2.2"]
    card = parse(tmp_path / "site/index.html").find("li", **{"data-i": "0"})
    assert card.attrs["data-uses"] == "8"
    skill = parse(tmp_path / "site/skills/alpha-review/index.html")
    assert "8 by 2 people" in [d.text for d in skill.find_all("dd")]


def test_dashboard_without_usage_says_so(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    page = parse(tmp_path / "site/usage/index.html")
    assert "No usage data" in page.find("p", class_="note").text
    assert not page.find_all("svg")
