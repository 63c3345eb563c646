"""Record dicts written as YAML text in the repository's canonical layout (the fixed point of
`gapmap fmt`), fast enough for a whole export: plain f-strings, no YAML library on the way out.

Layout: the editor schema comment, one top-level key per line in the model's key order; short
id lists in flow style (`tags: [a, b]`), resource lists and typed links as block lists, long
text as a literal block. A scalar is written plain when that reads back as the same string,
otherwise double-quoted (JSON's escapes are valid YAML).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from gapmap.model.schema import HEADER
from gapmap.model.records import MODEL_BY_KIND

_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n\t\"'#]*$")
_RISKY = re.compile(r": |:$| #|\s$|^[-?:,\[\]{}&*!|>%@`]")
# YAML's printable set excludes C0/C1 controls, DEL, and the line/paragraph separators.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_FLOW_LISTS = {"tags", "related_gaps", "requires"}


# Plain words YAML 1.1 reads as booleans or null; anything starting with a digit is checked by
# parsing (numbers, dates, 1:20 sexagesimal).
_SPECIAL_WORDS = {w for base in ("y", "yes", "n", "no", "true", "false", "on", "off", "null")
                  for w in (base, base.title(), base.upper())}


def scalar(text: str) -> str:
    """`text` as a YAML scalar on one line."""
    if _PLAIN.match(text) and not _RISKY.search(text) and text not in _SPECIAL_WORDS:
        if not text[0].isdigit() or _reads_back(text):
            return text
    return quoted(text)


def quoted(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)


@lru_cache(maxsize=4096)
def _reads_back(text: str) -> bool:
    """False for words YAML reads as something else (true, null, 1e3, 2024-01-01...)."""
    import yaml

    try:
        return yaml.load(f"k: {text}", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == {"k": text}
    except yaml.YAMLError:
        return False


def block(text: str, indent: str = "  ") -> str:
    """`text` as a literal block (`|-`), or quoted when it holds characters a block cannot."""
    if _UNPRINTABLE.search(text) or text != text.strip() or not text:
        return quoted(text)
    body = "\n".join(f"{indent}{line}" if line else "" for line in text.split("\n"))
    return f"|-\n{body}"


def _value(key: str, value) -> str:
    if isinstance(value, str):
        return " " + (block(value) if key == "description" or "\n" in value else scalar(value))
    if isinstance(value, dict):
        return " {" + ", ".join(f"{k}: {scalar(str(v))}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        if key in _FLOW_LISTS:
            return " [" + ", ".join(scalar(v) for v in value) + "]"
        if all(isinstance(v, dict) for v in value):
            return "".join("\n  - " + _value(key, v).lstrip() for v in value)
        return "".join(f"\n  - {scalar(v)}" for v in value)
    return f" {json.dumps(value)}"


def record_text(kind: str, data: dict) -> str:
    """A record as YAML text; keys in the model's order, empty lists and None left out."""
    order = MODEL_BY_KIND[kind].model_fields
    lines = [HEADER.format(kind=kind).rstrip("\n")]
    for key in sorted(data, key=lambda k: list(order).index(k) if k in order else len(order)):
        value = data[key]
        if value is None or value == [] or value == {}:
            continue
        lines.append(f"{key}:{_value(key, value)}")
    return "\n".join(lines) + "\n"


def tags_text(tags: dict[str, str]) -> str:
    """tags.yaml: one `tag: meaning` line per tag, sorted."""
    head = "# The controlled tag vocabulary. A record's `tags` must use these ids.\n"
    return head + "".join(f"{tag}: {scalar(meaning)}\n" for tag, meaning in sorted(tags.items()))
