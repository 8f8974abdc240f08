"""The JSON API files validate against their schemas and say what the site holds."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

from registry.schemas import load_schema

from .conftest import Builder


def validator(name: str) -> jsonschema.Draft202012Validator:
    schemas = [load_schema(n) for n in ("catalog", "skill", "marketplace")]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_catalog_json(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    data = load(tmp_path / "site/catalog.json")
    validator("catalog").validate(data)
    alpha = next(s for s in data["skills"] if s["name"] == "alpha-review")
    assert alpha["versions"] == 2 and alpha["tags"] == ["review", "quality"]
    assert alpha["metadata"]["owner"] == "platform-team"
    assert (tmp_path / "site" / alpha["urls"]["zip"]).is_file()
    assert (tmp_path / "site" / alpha["urls"]["page"]).is_file()


def test_skill_json_digests_match_the_files(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    site = tmp_path / "site"
    for path in sorted((site / "skills").glob("*.json")):
        data = load(path)
        validator("skill").validate(data)
        latest = data["versions"][-1]
        zip_bytes = (site / latest["zip"]["url"]).read_bytes()
        assert latest["zip"]["sha256"] == "sha256:" + hashlib.sha256(zip_bytes).hexdigest()
        assert all(v["zip"] is None and v["files"] is None for v in data["versions"][:-1])  # latest only
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            for entry in latest["files"]:
                raw = archive.read(f"{data['name']}/{entry['path']}")
                assert entry["sha256"] == "sha256:" + hashlib.sha256(raw).hexdigest()
                assert entry["size"] == len(raw)
    alpha = load(site / "skills/alpha-review.json")
    assert len(alpha["versions"]) == 2 and alpha["api_version"] == 2 and "folder" not in alpha["urls"]
    assert [v["page"] for v in alpha["versions"]] == [
        f"skills/alpha-review/index.html#v{alpha['versions'][0]['tree_id'][:12]}",
        "skills/alpha-review/index.html#v1.0.0"]


def test_marketplace_json_sources_skill_folders_of_the_repository(build_site: Builder, catalog_repo,
                                                                   tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    build_site()
    assert not (tmp_path / "site/.claude-plugin/marketplace.json").exists()  # no repository: no sources
    catalog_repo.commit({"relay.toml": '[marketplace]\nrepository = "acme/skills"\n'}, "say where")
    build_site()
    data = load(tmp_path / "site/.claude-plugin/marketplace.json")
    validator("marketplace").validate(data)
    assert data["name"] == "relay-skills"
    alpha = next(p for p in data["plugins"] if p["name"] == "alpha-review")
    assert alpha["source"] == {"source": "git-subdir", "url": "acme/skills", "path": "skills/alpha-review"}
    assert alpha["skills"] == ["./"] and alpha["tags"] == ["review", "quality"]
    for plugin in data["plugins"]:
        assert (catalog_repo.path / plugin["source"]["path"] / "SKILL.md").is_file()
    page = (tmp_path / "site/skills/alpha-review/index.html").read_text()
    assert "/plugin marketplace add acme/skills\n/plugin install alpha-review@relay-skills" in page


def test_schemas_reject_wrong_shapes() -> None:
    errors = list(validator("catalog").iter_errors({"api_version": 2, "skills": [{"name": "Bad_Name"}]}))
    assert errors
