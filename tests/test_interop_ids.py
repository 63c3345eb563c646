"""Ids made from titles: any script is transliterated, and an id never comes out empty."""

from __future__ import annotations

import json
import re

import pytest

from gapmap.interop import import_gapmap_org
from gapmap.interop.ids import EMPTY_SLUG, assign_ids, slugify
from gapmap.load import load_map
from gapmap.model.records import ID_PATTERN


@pytest.mark.parametrize("title, slug", [
    ("We Don’t Know", "we-dont-know"),
    ("Ἡ γνῶσις τοῦ κόσμου", "e-gnosis-tou-kosmou"),             # polytonic Greek
    ("Κβαντική βαρύτητα", "kbantike-baruteta"),                 # modern Greek
    ("Café, résumé & naïve Ørsted", "cafe-resume-naive-orsted"),  # accents, a letter NFKD cannot split
    ("Straße der Œuvres", "strasse-der-oeuvres"),
    ("中文标题", "zhong-wen-biao-ti"),                            # CJK
    ("日本語", "ri-ben-yu"),
    ("한국어", "hangugeo"),
    ("🧬🔬", "dna-double-helix-microscope"),                     # emoji only: spelled by Unicode names
    ("❤️", "heavy-black-heart"),                                 # variation selector ignored
    ("", EMPTY_SLUG),
    ("  —  ", EMPTY_SLUG),
])
def test_titles_become_valid_non_empty_ascii_slugs(title, slug):
    assert slugify(title) == slug
    assert re.match(ID_PATTERN, slugify(title))


def test_colliding_transliterations_are_numbered():
    ids = assign_ids([(0, "u1", 0, slugify("🧬")), (0, "u2", 1, slugify("🧬")), (0, "u3", 2, slugify(""))])
    assert ids == {(0, 0): "dna-double-helix", (0, 1): "dna-double-helix-2", (0, 2): EMPTY_SLUG}


def test_import_gives_readable_ids_to_non_ascii_titles(tmp_path):
    uuid = "00000000-0000-4000-8000-{:012d}".format
    src = tmp_path / "src"
    src.mkdir()
    lists = {
        "fields": [{"id": uuid(1), "name": "Φυσική", "slug": "φυσική", "description": "Η φυσική. Περισσότερα."}],
        "gaps": [], "capabilities": [],
        "resources": [{"id": uuid(n), "title": title, "url": f"https://example.org/{n}", "summary": "",
                       "types": ["Research and Reviews"]}
                      for n, title in ((2, "Ἡ γνῶσις"), (3, "Études en génomique"), (4, "基因组测序"), (5, "🧬🔬"))],
    }
    for name, items in lists.items():
        (src / f"{name}.json").write_text(json.dumps(items, ensure_ascii=False))
    import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert set(loaded.fields) == {"phusike"}
    assert set(loaded.resources) == {"e-gnosis", "etudes-en-genomique", "ji-yin-zu-ce-xu", "dna-double-helix-microscope"}
    assert not [f for f in loaded.findings if f.code == "bad-id"]
