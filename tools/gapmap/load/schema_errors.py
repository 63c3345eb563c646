"""Translate pydantic validation errors into findings at the offending key or value."""

from __future__ import annotations

import typing

from pydantic import ValidationError

from gapmap.core.findings import Finding, did_you_mean as _did_you_mean, finding
from gapmap.load.yaml_source import Document

_CODE_BY_TYPE = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "literal_error": "bad-enum",
    "enum": "bad-enum",
    "union_tag_invalid": "bad-distribution",
    "union_tag_not_found": "bad-distribution",
    "finite_number": "bad-number",
    "greater_than": "out-of-range",
    "greater_than_equal": "out-of-range",
    "less_than": "out-of-range",
    "less_than_equal": "out-of-range",
}


def code_of(error_type: str) -> str:
    """The finding code for a pydantic error type (our own validators raise with the code itself)."""
    return _CODE_BY_TYPE.get(error_type, error_type if "-" in error_type else "bad-type")


def _real_path(data, loc) -> tuple:
    """pydantic's loc includes union tags ('lognormal'); keep only steps that exist in the data."""
    path, node = [], data
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif isinstance(node, dict) and not isinstance(step, int) and step not in node and loc[-1] == step:
            path.append(step)  # a missing or unknown key: keep it to name it
            break
        else:
            continue
        path.append(step)
    return tuple(path)


def findings_from(exc: ValidationError, doc: Document, model, kind: str) -> list[Finding]:
    out = []
    for err in exc.errors(include_url=False):
        etype = err["type"]
        path = _real_path(doc.data, err["loc"])
        code = code_of(etype)
        where = ".".join(str(p) for p in path) or "record"
        if etype == "extra_forbidden":
            key = path[-1]
            allowed = _allowed_keys(model, path[:-1])
            hint = _did_you_mean(str(key), allowed)
            msg = f"unknown key '{key}' in {'a ' + kind if len(path) == 1 else where.rsplit('.', 1)[0]}{hint}"
            msg += "" if hint else f"; allowed keys: {', '.join(sorted(allowed))}" if allowed else ""
            out.append(finding(doc.path, doc.where(path, key=True), code, msg))
            continue
        if etype == "missing":
            parent = path[:-1] if path and path[-1] == err["loc"][-1] else path
            msg = f"missing required key '{err['loc'][-1]}'" + (f" in {'.'.join(map(str, parent))}" if parent else "")
            out.append(finding(doc.path, doc.where(parent), code, msg + "; add it"))
            continue
        if code == "bad-enum":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{where}: {err['input']!r} is not allowed; use one of {expected}"
        elif etype == "string_pattern_mismatch":
            code = "bad-id" if path and path[-1] == "id" or _is_id_list(path) else "bad-value"
            msg = (f"{where}: {err['input']!r} is not a valid id; use lowercase letters, digits and "
                   "single hyphens (e.g. 'optical-connectomics')")
            if path and path[-1] == "doi":
                code, msg = "bad-value", f"doi: {err['input']!r} is not a bare DOI; write it like 10.1000/xyz123"
        else:
            text = err["msg"]
            if text[:2].istitle():  # "Input should ..." reads on after a colon; "URL ..." keeps its case
                text = text[0].lower() + text[1:]
            msg = f"{where}: {text}"
            if code == "bad-type":
                msg += f" (got {type(err['input']).__name__} {str(err['input'])[:40]!r})"
        out.append(finding(doc.path, doc.where(path), code, msg))
    return out


def _is_id_list(path) -> bool:
    return len(path) >= 2 and path[-2] in {"tags", "resources", "requires", "related_gaps"}


def _allowed_keys(model, path) -> set[str]:
    """The keys the model accepts at `path` (walking nested models by field annotation)."""
    current = model
    for step in path:
        if isinstance(step, int):
            continue
        fld = current.model_fields.get(step)
        if fld is None:
            return set()
        nested = [a for a in _flatten(fld.annotation) if isinstance(a, type) and hasattr(a, "model_fields")]
        if not nested:
            return set()
        current = nested[0]
    return set(current.model_fields)


def _flatten(annotation):
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    out = []
    for a in args:
        out.extend(_flatten(a))
    return out
