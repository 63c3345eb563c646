"""The one id rule, used by the loader, `gapmap new`, the import and the site.

An id is kebab-case (lowercase ASCII letters and digits in words joined by single hyphens, at
most 80 characters), reads back from YAML as the same string (not `yes`, `null`, `0x1f`, `1e3`,
`2024-01-01` or a number, which YAML 1.1 or 1.2 would read as another type), and is not a name
the site uses for its own pages (`index`). Ids are unique across all kinds; the loader and
`gapmap new` check that against the map.
"""

from __future__ import annotations

import re

MAX_ID = 80
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESERVED = frozenset({"index", "readme"})  # a record page of that name would be its folder's index page
# Read as something other than a string by some YAML reader: YAML 1.1 booleans and nulls, YAML
# 1.2 core integers (decimal, 0o octal, 0x hex), floats with an exponent, dates.
_NOT_A_STRING = re.compile(
    r"^(yes|no|on|off|true|false|null|nan|inf"
    r"|[0-9]+|0x[0-9a-f]+|0o[0-7]+|0b[01]+|[0-9]+e[0-9]+"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})$")


def id_problem(value: object) -> str | None:
    """Why `value` is not a valid record id (a phrase to put after "'x' "), or None."""
    if not isinstance(value, str):
        return f"is a {type(value).__name__}, not text"
    if not ID_RE.fullmatch(value):
        return "is not kebab-case: use lowercase letters, digits and single hyphens"
    if len(value) > MAX_ID:
        return f"is {len(value)} characters long; at most {MAX_ID}"
    if _NOT_A_STRING.match(value) or not _reads_back(value):
        return "would be read by YAML as a boolean, null, number or date, not as text; add a word"
    if value in RESERVED:
        return "is the name of the site's own index page; choose another"
    return None


def _reads_back(value: str) -> bool:
    """PyYAML's own implicit resolution agrees that the plain scalar is a string."""
    import yaml

    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = yaml.resolver.Resolver()
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


_RESOLVER = None
