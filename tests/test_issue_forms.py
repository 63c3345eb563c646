"""Contributing without git: the GitHub issue forms map one to one to the record models, and
`gapmap from-issue` turns a submitted form into a valid, formatted record file."""

from __future__ import annotations

import json
import typing

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO, tiny_map_records, write_map
from gapmap.cli import main
from gapmap.edit.fmt import format_text
from gapmap.interop import issue_forms as forms
from gapmap.model.records import MODEL_BY_KIND

TEMPLATES = REPO / ".github" / "ISSUE_TEMPLATE"
FORMS = {kind: forms.load_form(forms.form_path(REPO, kind)) for kind in forms.FORM_KINDS}


def _literal_values(tp) -> list[str] | None:
    if typing.get_origin(tp) is typing.Literal:
        return list(typing.get_args(tp))
    for arg in typing.get_args(tp):
        found = _literal_values(arg)
        if found:
            return found
    return None


# --- the forms against the model: a test fails when they drift ---------------------------------

@pytest.mark.parametrize("kind", forms.FORM_KINDS)
def test_form_fields_are_the_record_keys_one_to_one(kind):
    fields = forms.form_fields(FORMS[kind])
    assert set(fields) == set(MODEL_BY_KIND[kind].model_fields) - forms.NOT_ON_FORMS, (
        "the issue form and the model drifted: add or remove the field in "
        f".github/ISSUE_TEMPLATE/new-{kind}.yml (or in forms.NOT_ON_FORMS, with a reason)")
    labels = [el["attributes"]["label"] for el in fields.values()]
    assert len(set(labels)) == len(labels), "labels are how a submitted body is read back"
    assert all(el["attributes"].get("description") for el in fields.values())


@pytest.mark.parametrize("kind", forms.FORM_KINDS)
def test_required_on_the_form_is_required_by_the_model(kind):
    model = MODEL_BY_KIND[kind].model_fields
    for fid, el in forms.form_fields(FORMS[kind]).items():
        required = bool((el.get("validations") or {}).get("required"))
        expected = model[fid].is_required() and fid != "id"  # the id is made from the title when empty
        assert required == expected, f"new-{kind}.yml: {fid} required={required}, model says {expected}"


@pytest.mark.parametrize("kind", forms.FORM_KINDS)
def test_dropdowns_offer_exactly_the_models_values(kind):
    model = MODEL_BY_KIND[kind].model_fields
    for fid, el in forms.form_fields(FORMS[kind]).items():
        values = _literal_values(model[fid].annotation)
        if el["type"] == "dropdown":
            assert el["attributes"]["options"] == values, f"new-{kind}.yml: {fid}"
        else:
            assert values is None, f"new-{kind}.yml: {fid} takes one of {values}; make it a dropdown"


@pytest.mark.parametrize("kind", forms.FORM_KINDS)
def test_yaml_fields_are_the_nested_blocks(kind):
    for fid, el in forms.form_fields(FORMS[kind]).items():
        is_block = forms._shape(MODEL_BY_KIND[kind].model_fields[fid].annotation) == "yaml"
        assert (el["attributes"].get("render") == "yaml") == is_block, f"new-{kind}.yml: {fid}"


def test_every_form_is_there_with_its_label_and_the_workflow_listens_for_them():
    names = {p.name for p in TEMPLATES.glob("*.yml")}
    assert {"new-gap.yml", "new-capability.yml", "new-resource.yml", "correction.yml"} <= names
    for kind, form in FORMS.items():
        assert form["labels"] == [f"new-{kind}"]
    correction = yaml.safe_load((TEMPLATES / "correction.yml").read_text())
    assert {"record", "problem", "source"} <= set(forms.form_fields(correction))
    workflow = (REPO / ".github" / "workflows" / "from-issue.yml").read_text()
    assert all(f'"new-{kind}"' in workflow for kind in forms.FORM_KINDS)
    assert 'gapmap from-issue "$RUNNER_TEMP/issue.json" --kb .' in workflow
    assert "${{ github.event.issue.body }}" not in workflow, "issue text must not reach the shell"


# --- the converter ------------------------------------------------------------------------------

def submitted(kind: str, values: dict[str, str]) -> str:
    """The Markdown body GitHub writes for a submitted form: every field, `_No response_` if empty."""
    parts = []
    for fid, el in forms.form_fields(FORMS[kind]).items():
        value = values.get(fid, "")
        if value and el["attributes"].get("render"):
            value = f"```{el['attributes']['render']}\n{value}\n```"
        parts.append(f"### {el['attributes']['label']}\n\n{value or forms.NO_RESPONSE}")
    return "\n\n".join(parts) + "\n"


@pytest.fixture
def kb(tmp_path):
    return write_map(tmp_path / "kb", *tiny_map_records())


def run(*args):
    return CliRunner().invoke(main, ["from-issue", *map(str, args)])


GAP = {"title": "Ἡ γνῶσις of everything", "field": "physics", "summary": "We cannot yet know it.",
       "description": "What is missing, in a paragraph.\n\nAnd a second one.",
       "capabilities": "cap-a: necessary\n- cap-b", "tags": "measurement", "related_gaps": "gap-one, gap-two",
       "assessment": "importance: 4\ntractability: 3\nneglectedness: 2\nconfidence: low\nrationale: Why."}


def test_parse_body_reads_back_what_the_form_submitted():
    body = submitted("gap", GAP)
    fields = forms.parse_body(body.replace("\n", "\r\n"), FORMS["gap"])
    assert set(fields) == set(GAP)
    assert fields["description"] == GAP["description"] and fields["assessment"].startswith("```yaml")


def test_a_submitted_gap_becomes_a_valid_formatted_record(kb, tmp_path):
    (tmp_path / "body.md").write_text(submitted("gap", GAP))
    result = run("--body", tmp_path / "body.md", "--kind", "gap", "--form", forms.form_path(REPO, "gap"), "--kb", kb)
    assert result.exit_code == 0, result.output
    path = kb / "gaps" / "e-gnosis-of-everything.yaml"
    assert f"wrote gaps/{path.name}" in result.output and "0 error(s), 0 warning(s)" in result.output
    text = path.read_text()
    assert text == format_text(text, "gap"), "written in gapmap fmt's canonical layout"
    data = yaml.safe_load(text)
    assert data["capabilities"] == [{"capability": "cap-a", "role": "necessary"}, {"capability": "cap-b"}]
    assert data["related_gaps"] == ["gap-one", "gap-two"] and data["assessment"]["importance"] == 4
    assert CliRunner().invoke(main, ["validate", "--kb", str(kb)]).exit_code == 0


def test_gh_issue_json_picks_the_form_from_the_label_and_never_overwrites(kb, tmp_path):
    values = {"title": "A useful paper", "url": "https://example.org/useful", "kind": "roadmap", "year": "2021",
              "summary": "What it is."}
    issue = {"body": submitted("resource", values), "labels": [{"name": "new-resource"}, {"name": "triage"}]}
    (tmp_path / "issue.json").write_text(json.dumps(issue))
    (kb / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    (kb / ".github" / "ISSUE_TEMPLATE" / "new-resource.yml").write_text((TEMPLATES / "new-resource.yml").read_text())
    first = run(tmp_path / "issue.json", "--kb", kb)
    path = kb / "resources" / "a-useful-paper.yaml"
    assert path.is_file() and yaml.safe_load(path.read_text())["year"] == 2021
    assert "orphan-resource" in first.output  # a warning: nothing cites it yet
    before = path.read_text()
    again = run(tmp_path / "issue.json", "--kb", kb)
    assert again.exit_code == 1 and "already exists" in again.output and path.read_text() == before


def test_fields_json_with_yaml_blocks_for_a_capability(kb, tmp_path):
    fields = {"title": "Cheap widgets", "id": "cheap-widgets", "summary": "Widgets for all.",
              "description": "Widgets are dear.", "kind": "technology", "maturity": "research",
              "requires": "cap-a", "build": "```yaml\ncost_usd: {dist: lognormal, p05: 1e6, p95: 5e6}\nyears: 3\n"
                                            "basis: rule-of-thumb\n```"}
    (tmp_path / "form.json").write_text(json.dumps({"kind": "capability", "fields": fields}))
    result = run(tmp_path / "form.json", "--kb", kb, "--format", "json")
    data = yaml.safe_load((kb / "capabilities" / "cheap-widgets.yaml").read_text())
    assert data["build"]["cost_usd"] == {"dist": "lognormal", "p05": 1e6, "p95": 5e6} and data["requires"] == ["cap-a"]
    assert result.exit_code == 0 and json.loads(result.stdout) is not None, "json findings only on stdout"


@pytest.mark.parametrize("fields, message", [
    ({"title": "X", "url": "https://example.org", "year": "last year"}, "year: 'last year' is not a whole number"),
    ({"title": "X", "url": "not a url"}, "url"),
    ({"url": "https://example.org/x"}, "title"),
    ({"title": "X", "url": "https://example.org", "colour": "red"}, "colour"),
    ({"title": "X", "url": "https://example.org", "kind": "blog"}, "kind"),
])
def test_a_form_that_cannot_be_a_record_writes_nothing_and_says_why(kb, tmp_path, fields, message):
    (tmp_path / "form.json").write_text(json.dumps({"kind": "resource", "fields": fields}))
    result = run(tmp_path / "form.json", "--kb", kb)
    assert result.exit_code == 1 and message in result.output
    assert sorted(p.name for p in (kb / "resources").iterdir()) == ["paper-a.yaml"]


def test_an_unknown_reference_is_written_and_reported(kb, tmp_path):
    gap = {**GAP, "capabilities": "no-such-capability"}
    (tmp_path / "body.md").write_text(submitted("gap", gap))
    result = run("--body", tmp_path / "body.md", "--kind", "gap", "--form", forms.form_path(REPO, "gap"),
                 "--kb", kb, "--format", "github")
    assert result.exit_code == 1 and "::error file=gaps/e-gnosis-of-everything.yaml" in result.output
    assert "unknown-ref" in result.output


def test_the_form_must_be_named_somehow(kb, tmp_path):
    (tmp_path / "issue.json").write_text(json.dumps({"body": "### Title\n\nX\n", "labels": []}))
    result = run(tmp_path / "issue.json", "--kb", kb)
    assert result.exit_code == 2 and "--kind" in result.output


@pytest.mark.parametrize("text", ["{bad", "[1, 2]", "null", '{"fields": 3}', '{"body": 5}',
                                  '{"body": "x", "labels": "new-gap"}', '{"body": "x", "labels": [3]}',
                                  "[" * 100_000])
def test_from_issue_with_json_of_the_wrong_shape_says_so_without_a_traceback(text, tiny_map, tmp_path):
    form = tmp_path / "form.json"
    form.write_text(text)
    result = CliRunner().invoke(main, ["from-issue", str(form), "--kb", str(tiny_map), "--kind", "gap"])
    assert result.exit_code == 1, result.output
    assert "is not an issue form's JSON" in result.output
    assert isinstance(result.exception, SystemExit)  # a reported error, not a traceback
