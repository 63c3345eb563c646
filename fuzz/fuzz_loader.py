"""Coverage-guided fuzzing of the loader and the text checks with atheris (for maintainers).

CI runs the bounded hypothesis fuzzers in tests/ on every push; this is the longer hunt:

    pip install atheris
    python fuzz/fuzz_loader.py -max_total_time=600          # ten minutes
    python fuzz/fuzz_loader.py -runs=20000                   # a fixed number of inputs

Any exception is a bug: every input must end in findings, never a traceback.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from gapmap.check.text import check_strings, unsafe_parts
    from gapmap.load.yaml_source import decode, parse
    from gapmap.model.records import MODEL_BY_KIND


def one_input(raw: bytes) -> None:
    text, _ = decode(raw, "f.yaml")
    if text is None:
        return
    doc = parse(text, "f.yaml")
    unsafe_parts(text)
    if isinstance(doc.data, dict):
        check_strings(doc)
        for model in MODEL_BY_KIND.values():
            try:
                model.model_validate(doc.data)
            except ValueError:  # pydantic's ValidationError: becomes findings in load_map
                pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
