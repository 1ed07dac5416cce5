"""cProfile the slow paths the benchmarks found: ``python benchmarks/profiles.py [NAME ...]``.

Prints, for each path, the functions with the largest cumulative share of the time (file,
function, share).  Paths: ``match-ru`` (TermMatcher over 1 MB of Russian, 100,000 terms),
``match-kk``, ``search`` (SearchIndex queries, 10,000 terms), ``update`` (catalogue sync of
the largest test catalogue), ``stats`` (read + stats of it).
"""

from __future__ import annotations

import cProfile
import pstats
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

__all__ = ["main", "top"]


def top(func: Callable[[], object], limit: int = 12) -> str:
    """Run *func* under cProfile; the *limit* entries with most cumulative time, as text."""
    profile = cProfile.Profile()
    profile.enable()
    func()
    profile.disable()
    stats = pstats.Stats(profile)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][3], reverse=True)  # type: ignore[attr-defined]
    lines = [f"total {total:.2f} s"]
    for (path, line, name), (_, calls, tottime, cumtime, _) in rows[:limit]:
        where = Path(path).name if path != "~" else "builtin"
        lines.append(f"  {cumtime / total:6.1%} cum {tottime / total:6.1%} own  {calls:>9} calls  "
                     f"{where}:{line} {name}")
    return "\n".join(lines)


def _matching(lang: str) -> Callable[[], object]:
    from benchmarks.terms_scale import make_glossary, po_text, po_words
    from translate.terms import TermMatcher

    words = {"ru": po_words("ru"), "kk": po_words("kk")}
    glossary = make_glossary(100_000, words)
    paragraphs = po_text(lang, 1_000_000).split("\n\n")
    def run() -> object:
        matcher = TermMatcher(glossary, lang)
        return [matcher.match(p) for p in paragraphs]

    return run


def _search() -> Callable[[], object]:
    from benchmarks.terms_scale import _variant, make_glossary, po_words
    from glossary.search import SearchIndex

    glossary = make_glossary(10_000, {"ru": po_words("ru"), "kk": po_words("kk")})
    index = SearchIndex(glossary)
    rng = random.Random(3)
    terms = [t.text for c in glossary for ts in c.terms.values() for t in ts]
    queries = [_variant(t, rng) for t in rng.sample(terms, 200)]
    return lambda: [index.search(q, limit=5) for q in queries]


def _catalog(kind: str) -> Callable[[], object]:
    from benchmarks.common import PO_DIR
    from translate.catalog import SegmentRef, catalog_stats, sync_catalog, write_catalog
    from translate.postrict import read_catalog

    source = max(PO_DIR.glob("*/*.po"), key=lambda p: p.stat().st_size)
    folder = Path(tempfile.mkdtemp())
    po_path = folder / "catalog.po"
    shutil.copyfile(source, po_path)
    if kind == "stats":
        return lambda: catalog_stats(read_catalog(po_path))
    po = read_catalog(po_path)
    segments = [SegmentRef(e.msgid, i + 1, "catalog.md") for i, e in enumerate(po)
                if not e.obsolete and not e.msgid_plural and not e.msgctxt and e.msgid]

    def update() -> object:
        result = sync_catalog(read_catalog(po_path), segments, "kk")
        write_catalog(folder / "updated.po", result.catalog)
        return result

    return update


PATHS: dict[str, Callable[[], Callable[[], object]]] = {
    "match-ru": lambda: _matching("ru"),
    "match-kk": lambda: _matching("kk"),
    "search": _search,
    "update": lambda: _catalog("update"),
    "stats": lambda: _catalog("stats"),
}


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(PATHS)
    for name in names:
        print(f"## {name}\n{top(PATHS[name]())}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
