"""GitHub issue forms → records: a submitted "new gap", "new capability" or "new resource" form
(.github/ISSUE_TEMPLATE/new-<kind>.yml) becomes the record's data, ready to write.

A form field's `id` is the record key it fills. The body GitHub writes for a submitted form is
one `### <label>` section per field, `_No response_` for an empty one; `parse_body` reads it
back with the form's labels. `record_from_fields` turns the strings into the model's values:
lists split on commas and lines, years as integers, `render: yaml` fields as YAML, a gap's
capabilities one per line (`id` or `id: role`), the id made from the title when left empty.
"""

from __future__ import annotations

import json

import re
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from gapmap.interop.ids import slugify, truncate
from gapmap.model.records import MODEL_BY_KIND

FORM_KINDS = ("gap", "capability", "resource")
NO_RESPONSE = "_No response_"
# Model keys no form asks for: set by `gapmap import` from another map, never typed by hand.
NOT_ON_FORMS = {"external_ids"}
_SECTION = re.compile(r"^###[ \t]+(.+?)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^```[\w-]*\n(.*?)\n?```\s*$", re.DOTALL)
_SPLIT = re.compile(r"[,\n]+")


class _Loader(yaml.SafeLoader):
    """YAML as contributors type it: 1e6 is a number (PyYAML alone reads it as a string)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)$"),
    list("-+0123456789."))


def _yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


class FormError(ValueError):
    """The submitted form cannot become a record; the message says which field and why."""


def read_issue_json(text: str) -> tuple[dict | None, str | None, str | None, list[str]]:
    """(fields, kind, body, labels) of FORM.json: `gh issue view N --json body,labels` output, or
    {"kind": ..., "fields": {...}}, or the fields alone. ValueError naming what is wrong."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("it nests its JSON too deeply") from None
    except ValueError as exc:
        raise ValueError(f"it is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"it holds {json.dumps(data)[:40]}, not a JSON object")
    if "fields" in data or "body" not in data:
        fields, kind = (data["fields"], data.get("kind")) if "fields" in data else (data, None)
        if not isinstance(fields, dict) or not all(isinstance(v, (str, int, float)) for v in fields.values()):
            raise ValueError('"fields" must be an object of text (or number) values')
        if kind is not None and not isinstance(kind, str):
            raise ValueError('"kind" must be text')
        return fields, kind, None, []
    body, labels = data["body"] or "", data.get("labels") or []
    if not isinstance(body, str):
        raise ValueError('"body" must be text')
    if not isinstance(labels, list) or not all(isinstance(lab, dict) for lab in labels):
        raise ValueError('"labels" must be a list of objects with a "name"')
    return None, None, body, [str(lab.get("name", "")) for lab in labels]


def form_path(kb: Path | str, kind: str) -> Path:
    return Path(kb) / ".github" / "ISSUE_TEMPLATE" / f"new-{kind}.yml"


def load_form(path: Path | str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def form_fields(form: dict) -> dict[str, dict]:
    """id -> element of every input, textarea and dropdown of an issue form, in order."""
    return {el["id"]: el for el in form.get("body", []) if el.get("type") in ("input", "textarea", "dropdown")}


def parse_body(body: str, form: dict) -> dict[str, str]:
    """The fields of a submitted issue form's Markdown body, by id (empty ones left out)."""
    by_label = {el["attributes"]["label"].strip(): fid for fid, el in form_fields(form).items()}
    heads = list(_SECTION.finditer(body.replace("\r\n", "\n")))
    body = body.replace("\r\n", "\n")
    out: dict[str, str] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        fid = by_label.get(head.group(1).strip())
        value = body[head.end():end].strip()
        if fid is not None and value and value != NO_RESPONSE:
            out[fid] = value
    return out


def _annotation(kind: str, key: str):
    return MODEL_BY_KIND[kind].model_fields[key].annotation


def _shape(tp) -> str:
    """'list', 'links', 'int', 'yaml' or 'text' for a model annotation."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        return _shape(args[0]) if len(args) == 1 else "yaml"
    if origin is typing.Annotated:
        return _shape(args[0])
    if origin is list:
        inner = typing.get_args(tp)[0]
        return "links" if isinstance(inner, type) and issubclass(inner, BaseModel) else "list"
    if origin is dict or (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return "yaml"
    if tp is int:
        return "int"
    return "text"


def _value(kind: str, key: str, text: str):
    shape = _shape(_annotation(kind, key))
    if shape == "text":
        return text
    if shape == "list":
        return [item.strip().lstrip("-* ").strip() for item in _SPLIT.split(text) if item.strip().lstrip("-* ").strip()]
    if shape == "int":
        try:
            return int(text.strip())
        except ValueError:
            raise FormError(f"{key}: '{text.strip()}' is not a whole number") from None
    fenced = _FENCE.match(text.strip())
    source = fenced.group(1) if fenced else text
    if shape == "links":
        return _links(key, source)
    try:
        return _yaml(source)
    except yaml.YAMLError as exc:
        raise FormError(f"{key}: not valid YAML ({str(exc).splitlines()[0]})") from None


def _links(key: str, text: str) -> list[dict]:
    """A gap's capabilities: YAML (a list of {capability, role, note}) or one `id[: role]` a line."""
    try:
        data = _yaml(text)
        if isinstance(data, list) and all(isinstance(d, dict) and "capability" in d for d in data):
            return data
    except yaml.YAMLError:
        pass
    links = []
    for line in text.splitlines():
        line = line.strip().lstrip("-* ").strip()
        if not line:
            continue
        cap, _, role = line.partition(":")
        link = {"capability": cap.strip()}
        if role.strip():
            link["role"] = role.strip()
        links.append(link)
    return links


def record_from_fields(kind: str, fields: dict[str, str]) -> dict:
    """The record a form's fields describe, checked against the model; FormError if it cannot be one."""
    if kind not in FORM_KINDS:
        raise FormError(f"no issue form makes a {kind} record (forms: {', '.join(FORM_KINDS)})")
    model = MODEL_BY_KIND[kind]
    unknown = sorted(set(fields) - set(model.model_fields))
    if unknown:
        raise FormError(f"the form has fields the {kind} record does not: {', '.join(unknown)}")
    data = {key: _value(kind, key, text) for key, text in fields.items() if key != "id" and text.strip()}
    title = (data.get("title") or "").strip()
    rid = (fields.get("id") or "").strip() or truncate(slugify(title))
    data = {"id": rid, **data}
    try:
        model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in exc.errors())
        raise FormError(problems) from None
    return data


def record_yaml(kind: str, data: dict) -> str:
    """The record as YAML text with its schema line (canonical layout comes from `gapmap fmt`)."""
    from gapmap.model.schema import HEADER

    return HEADER.format(kind=kind) + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
