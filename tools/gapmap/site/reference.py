"""The reference pages: methods (the cost stage's METHODS.md and its hindcast table), data
downloads, the schema reference generated from the pydantic models, and the finding codes."""

from __future__ import annotations

import logging
import typing
from pathlib import Path

from pydantic import BaseModel

from gapmap import SCHEMA_VERSION
from gapmap.core.codes import CODES
from gapmap.model.records import FOLDER_BY_KIND, ID_PATTERN, MODEL_BY_KIND
from gapmap.site.blocks import link, number, page, percent, section, table
from gapmap.site.markup import esc, rel

log = logging.getLogger("gapmap.site")
METHODS = Path(__file__).resolve().parents[1] / "cost" / "METHODS.md"


def reference_pages(ctx) -> tuple[dict[str, str], dict[str, bytes]]:
    files = download_files(ctx)
    pages = {"methods.md": methods(ctx), "downloads.md": downloads(files),
             "reference/schema.md": schema_reference(), "reference/codes.md": finding_codes()}
    return pages, {path: data for path, (data, _) in files.items()}


def methods(ctx) -> str:
    text = METHODS.read_text(encoding="utf-8")
    if text.startswith("# "):  # the page title replaces METHODS.md's own h1
        text = text.split("\n", 1)[1]
    rows = []
    for h in (ctx.results.hindcast if ctx.results else []):
        name = link(ctx, h["id"], "methods/") if h["id"] in ctx.urls else esc(h["id"])
        rows.append([name, esc(h["model"]), str(h["forecasts"]), percent(h["coverage50"]), percent(h["coverage90"]),
                     percent(h.get("coverage90_reference")), percent(h.get("coverage90_theta0")),
                     number(h["median_abs_log_error"]), esc(h.get("note") or "")])
    hind = table(["Series", "Model", "Forecasts", "In 50% band", "In 90% band",
                  "In 90% band (Farmer &amp; Lafond, θ = 0.63)", "In 90% band (θ = 0)",
                  "Median |log error|", "Note"], rows)
    return page("Methods: how the cost models work", text.strip(),
                section("Hindcast calibration", hind or "<p>No series has enough observations to hindcast.</p>"))


def download_files(ctx) -> dict[str, tuple[bytes, str]]:
    """Download path -> (bytes, description): the interop exports and the JSON Schemas."""
    from gapmap.model.schema import OTHER_FILES, PUBLISHED_UNDER, schema_files, site_address

    out = _exports(ctx)
    for name, text in schema_files(site_address(ctx.kb.root)).items():  # $id: the address published here
        stem = name.split(".")[0]
        what = f"JSON Schema of {OTHER_FILES[stem][1]}." if stem in OTHER_FILES else f"JSON Schema of a {stem} record."
        out[f"{PUBLISHED_UNDER}{name}"] = (text.encode(), what)
    return out


EXPORTS = [("json", "gapmap.json", "Every record as one JSON document, back-links included."),
           ("csv", "csv", "One CSV table per record kind (nested keys as dotted columns), plus tags."),
           ("gapmap-org", "gapmap-org.json", "The map in gap-map.org's export format."),
           ("graphml", "gapmap.graphml", "The graph (records and links) as GraphML, for Gephi, Cytoscape or yEd.")]


def _exports(ctx) -> dict[str, tuple[bytes, str]]:
    """The interop stage's exports as data (nothing written and read back): path -> (bytes, what).
    Kept in the map's result cache by a hash of every file the map was read from and of the
    interop code, so a build of an unchanged map does not make them again (8 s of a 10x build)."""
    from gapmap import interop
    from gapmap.cost.cache import Cache, key, source_version

    documents = {path: doc.data for path, doc in sorted(ctx.kb.documents.items())}
    k = key("exports", source_version(Path(interop.__file__).parent), SCHEMA_VERSION, documents)
    made = Cache(ctx.kb.root).fetch("exports", k, lambda: {
        path: [data.decode("utf-8"), what] for path, (data, what) in _make_exports(ctx).items()})
    return {p: (text.encode("utf-8"), what) for p, (text, what) in made.items()}


def _make_exports(ctx) -> dict[str, tuple[bytes, str]]:
    from gapmap.interop.exporter import export_files

    out: dict[str, tuple[bytes, str]] = {}
    for fmt, name, what in EXPORTS:
        try:
            files = export_files(ctx.kb, fmt, as_folder=fmt == "csv")
        except Exception as exc:  # a failing exporter costs its download, not the site
            log.warning("download %s left out: %s", name, exc)
            continue
        for file, text in files.items():
            path = f"downloads/{name}/{file}" if file else f"downloads/{name}"
            out[path] = (text.encode("utf-8"), f"{what} ({file})" if file else what)
    return out


def downloads(files: dict[str, tuple[bytes, str]]) -> str:
    url = "downloads/"
    rows = [[f'<a href="{rel(url, path)}">{esc(Path(path).name)}</a>', esc(what), f"{len(data) / 1024:,.0f} KB"]
            for path, (data, what) in files.items()]
    intro = (f"<p>Machine-readable copies of the map, schema_version {SCHEMA_VERSION}. The records "
             "themselves are YAML files in the repository: clone it for the source of truth.</p>")
    cite = ("<p>Cite the map as: <em>Open Gap Map contributors. Open Gap Map: an open map of the capabilities "
            f"science is missing. Data schema_version {SCHEMA_VERSION}, accessed YYYY-MM-DD.</em> with this site's "
            "address; cite one record by its title, kind and id (each record page ends with its own citation). "
            "The data licence is stated in the footer of every page.</p>")
    return page("Data downloads", f'<div class="gm-block">{intro}</div>', section("Files", table(["File", "What", "Size"], rows)),
                section("How to cite", cite), description="The map as JSON, CSV, gap-map.org JSON and GraphML, "
                "with its JSON Schemas, and how to cite it.")


def schema_reference() -> str:
    seen: dict[str, type[BaseModel]] = {}
    for model in MODEL_BY_KIND.values():
        _collect(model, seen)
    parts = ['<div class="gm-block"><p>Generated from the pydantic models in <code>gapmap.model.records</code>; '
             "unknown keys are errors. Editors can validate as you type with the JSON Schemas "
             "(see Data downloads).</p></div>"]
    for kind, model in MODEL_BY_KIND.items():
        parts.append(_model_section(f"{kind.title()} record ({FOLDER_BY_KIND[kind]}/&lt;id&gt;.yaml)", model))
    for name, model in seen.items():
        if model not in MODEL_BY_KIND.values():
            parts.append(_model_section(name, model))
    return page("Schema reference", *parts, plain_title=True)


def _collect(model, seen: dict) -> None:
    for f in model.model_fields.values():
        for sub in _models_in(f.annotation):
            if sub.__name__ not in seen:
                seen[sub.__name__] = sub
                _collect(sub, seen)


def _models_in(tp) -> list:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    return [m for a in typing.get_args(tp) for m in _models_in(a)]


def _model_section(heading: str, model) -> str:
    doc = (model.__doc__ or "").strip()
    fields = model.model_fields.items()
    rows = [[f"<code>{esc(name)}</code>", esc(type_name(f.annotation) + _constraints(f.metadata)),
             "yes" if f.is_required() else "no", esc(f.description or "")] for name, f in fields]
    headers = ["Key", "Type", "Required", "Description"]
    if not any(f.description for _, f in fields):
        headers, rows = headers[:3], [r[:3] for r in rows]
    body = (f"<p>{esc(doc)}</p>" if doc and "Create a new model" not in doc else "") + table(headers, rows)
    return f"## {heading}\n\n<div class=\"gm-block\">\n{body}\n</div>"


def type_name(tp) -> str:
    """A readable type: 'list of id', 'one of: a, b', 'Build', 'text (pattern ...)'."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        base, *meta = args
        if typing.get_origin(base) is typing.Union and any(hasattr(m, "discriminator") for m in meta):
            return "distribution (a number or {dist: fixed|uniform|triangular|lognormal, ...})"
        return type_name(base) + _constraints(meta)
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        kept = [a for a in args if a is not type(None)]
        return " or ".join(type_name(a) for a in kept)
    if origin is list:
        return "list of " + type_name(args[0])
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.__name__
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(tp, getattr(tp, "__name__", str(tp)))


def _constraints(meta) -> str:
    words = []
    if any(getattr(m, "pattern", None) == ID_PATTERN for m in meta):
        return " (an id: lowercase letters, digits and single hyphens, at most 80 characters)"
    for m in meta:
        for attr, fmt in (("pattern", "matching {}"), ("min_length", "at least {} chars"), ("max_length", "at most {} chars"),
                          ("ge", "≥ {}"), ("gt", "> {}"), ("le", "≤ {}"), ("lt", "< {}")):
            value = getattr(m, attr, None)
            if value is not None:
                words.append(fmt.format(value))
        for sub in getattr(m, "metadata", []) or []:
            words.extend(_constraints([sub])[2:-1].split(", ") if _constraints([sub]) else [])
        if type(m).__name__ == "AfterValidator" and "url" in m.func.__name__:
            words.append("http(s) URL")
    return f" ({', '.join(words)})" if words else ""


def finding_codes() -> str:
    rows = [[f"<code>{esc(code)}</code>", esc(sev), esc(meaning), esc(fix)] for code, (sev, meaning, fix) in CODES.items()]
    intro = ("<p>Every finding of <code>gapmap validate</code> has a stable code; "
             "<code>gapmap validate --explain CODE</code> prints the same text.</p>")
    return page("Finding codes", f'<div class="gm-block">{intro}</div>',
                section("Codes", table(["Code", "Severity", "What it means", "How to fix it"], rows)))
