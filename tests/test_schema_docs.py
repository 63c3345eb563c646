"""The JSON Schemas as editors use them: every property documented with an example (declared
once, in the pydantic models), every example valid, and each `$id` the address where the site
publishes the file."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import yaml
from jsonschema import Draft202012Validator

from gapmap.model.schema import PUBLISHED_UNDER, schema_files, site_address
from gapmap.site import reference

from conftest import REPO

SCHEMAS = {name: json.loads(text) for name, text in schema_files(site_address(REPO)).items()}


def _properties(node, where=""):
    """(path, property schema) for every property of every object in a schema, $defs included."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{where}.{name}", sub
        for name, sub in (node.get("patternProperties") or {}).items():
            yield f"{where}[{name}]", sub
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}/{i}")


def test_every_schema_file_is_there():
    assert set(SCHEMAS) == {f"{k}.schema.json" for k in
                            ("field", "gap", "capability", "resource", "tags", "deflators", "crosswalk")}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_property_has_a_description_and_an_example(name):
    props = list(_properties(SCHEMAS[name]))
    assert props
    bare = [path for path, sub in props if not sub.get("description")]
    assert not bare, f"{name}: no description (add Field(description=...) in gapmap.model): {bare}"
    no_example = [path for path, sub in props if not sub.get("examples")]
    assert not no_example, f"{name}: no example (add Field(examples=[...]) in gapmap.model): {no_example}"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_example_is_valid_for_its_property(name):
    schema = SCHEMAS[name]
    for path, sub in _properties(schema):
        validator = Draft202012Validator({**sub, "$defs": schema.get("$defs", {})})
        for example in sub["examples"]:
            if path.endswith(".index"):  # YAML's integer year keys are JSON strings here
                continue
            errors = [e.message for e in validator.iter_errors(example)]
            assert not errors, f"{name} {path}: example {example!r}: {errors}"


def test_each_id_is_the_address_the_site_publishes_it_at(monkeypatch):
    monkeypatch.setattr(reference, "_exports", lambda ctx: {})
    published = reference.download_files(SimpleNamespace(kb=SimpleNamespace(root=REPO)))
    site = site_address(REPO)
    for path, (content, _) in published.items():
        assert json.loads(content)["$id"] == site + path
    assert {path.removeprefix(PUBLISHED_UNDER) for path in published} == set(SCHEMAS)


@pytest.mark.parametrize("mkdocs_yml, site", [
    ("site_url: https://maps.example.org/gaps\nrepo_url: https://github.com/a/b\n", "https://maps.example.org/gaps/"),
    ("site_name: X\nrepo_url: https://github.com/Some-Org/some-map\n", "https://some-org.github.io/some-map/"),
    ("site_name: X\n", "https://open-gap-map.github.io/open-gap-map/"),
])
def test_the_site_address_comes_from_mkdocs_yml(tmp_path, mkdocs_yml, site):
    (tmp_path / "mkdocs.yml").write_text(mkdocs_yml + "markdown_extensions:\n  - x: !!python/name:y.z\n")
    assert site_address(tmp_path) == site
    assert json.loads(schema_files(site_address(tmp_path))["gap.schema.json"])["$id"] == f"{site}downloads/schemas/gap.schema.json"


def test_the_maps_own_tags_deflators_and_crosswalk_files_are_valid():
    files = {"tags": [REPO / "tags.yaml"], "deflators": [REPO / "deflators.yaml"],
             "crosswalk": sorted((REPO / "crosswalk").glob("*.yaml"))}
    for kind, paths in files.items():
        validator = Draft202012Validator(SCHEMAS[f"{kind}.schema.json"])
        for path in paths:
            data = yaml.safe_load(path.read_text())
            if kind == "deflators":
                data["index"] = {str(k): v for k, v in data["index"].items()}
            assert not [e.message for e in validator.iter_errors(data)], path


def test_a_bad_tag_id_is_an_error_in_the_editor():
    validator = Draft202012Validator(SCHEMAS["tags.schema.json"])
    assert list(validator.iter_errors({"Bad Tag": "x"})) and not list(validator.iter_errors({"good-tag": "x"}))
