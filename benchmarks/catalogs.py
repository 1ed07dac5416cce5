"""Catalogues: ``catalog update`` and ``catalog stats`` against GNU msgmerge and msgfmt.

On the largest real catalogue of ``../shared/testdata/po``:

* **update**: read the catalogue, :func:`translate.catalog.sync_catalog` it with a document
  made of its own msgids (every live singular entry without context, in order), render and
  write it; against ``msgmerge -o out.po CATALOGUE TEMPLATE`` where the template holds the
  same msgids (both tools then keep those entries and make the others obsolete).
* **stats**: :func:`translate.postrict.read_catalog` + :func:`translate.catalog.catalog_stats`
  in-process, and ``tilmash catalog stats`` as a subprocess, against ``msgfmt --statistics``;
  the counts must agree.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from benchmarks.common import PO_DIR, VENV_BIN, Row, format_seconds, median_time, subprocess_times

__all__ = ["run_catalogs"]


def _pot(entries: list[Any]) -> str:
    def quote(text: str) -> str:
        return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                      .replace("\t", "\\t")) + '"'

    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for entry in entries:
        out += [f"msgid {quote(entry.msgid)}", 'msgstr ""', ""]
    return "\n".join(out)


def _msgfmt_counts(stderr: str) -> dict[str, int]:
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stderr):
        counts[kind] = int(number)
    return counts


def run_catalogs(mode: str, work: Path) -> tuple[dict[str, Any], list[Row]]:
    """Time update and stats on the largest catalogue; baselines are the GNU tools."""
    from translate.catalog import SegmentRef, catalog_stats, sync_catalog, write_catalog
    from translate.postrict import read_catalog

    repeat = {"smoke": 1, "quick": 3, "full": 7}[mode]
    source = max(PO_DIR.glob("*/*.po"), key=lambda p: p.stat().st_size)
    folder = work / "catalogs"
    folder.mkdir(parents=True)
    po_path = folder / "catalog.po"
    shutil.copyfile(source, po_path)
    po = read_catalog(po_path)
    live = [e for e in po if not e.obsolete and not e.msgid_plural and not e.msgctxt and e.msgid]
    seen: set[str] = set()
    unique = [e for e in live if not (e.msgid in seen or seen.add(e.msgid))]  # type: ignore[func-returns-value]
    template = folder / "catalog.pot"
    template.write_text(_pot(unique), encoding="utf-8")
    segments = [SegmentRef(e.msgid, i + 1, "catalog.md") for i, e in enumerate(unique)]

    def update() -> Any:
        current = read_catalog(po_path)
        result = sync_catalog(current, segments, "kk")
        write_catalog(folder / "updated.po", result.catalog)
        return result

    update_s, result = median_time(update, repeat)
    merge = subprocess_times(["msgmerge", "--quiet", "-o", str(folder / "merged.po"), str(po_path),
                              str(template)], repeat)

    def stats() -> dict[str, int]:
        return catalog_stats(read_catalog(po_path))

    stats_s, counts = median_time(stats, repeat)
    cli = subprocess_times([str(VENV_BIN / "tilmash"), "catalog", "stats", str(po_path)], repeat)
    msgfmt = subprocess_times(["msgfmt", "--statistics", "-o", "/dev/null", str(po_path)], repeat)
    gnu = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po_path)],
                         capture_output=True, text=True, check=False)
    gnu_counts = _msgfmt_counts(gnu.stderr)
    agree = all(counts[k] == gnu_counts[k] for k in gnu_counts)
    section = {
        "catalogue": str(source.relative_to(PO_DIR)), "bytes": source.stat().st_size,
        "entries": len(po), "segments": len(segments), "runs": repeat,
        "update_s": update_s, "msgmerge_s": merge["median_s"],
        "update_result": {"kept": result.kept, "obsoleted": result.obsoleted, "new": result.new},
        "stats_s": stats_s, "stats_cli_s": cli["median_s"], "msgfmt_s": msgfmt["median_s"],
        "counts": counts, "msgfmt_counts": gnu_counts, "counts_agree": agree,
    }
    name = f"{section['catalogue']} ({source.stat().st_size / 1e3:.0f} kB, {len(po):,} entries)"
    rows = [
        {"section": "catalogue", "case": f"update: {name}, {len(segments):,} segments",
         "tilmash": f"{format_seconds(update_s)} (read + sync + write)",
         "baseline": f"msgmerge {format_seconds(merge['median_s'])}",
         "ratio": _ratio(merge["median_s"], update_s), "target": ""},
        {"section": "catalogue", "case": f"stats: {name}",
         "tilmash": f"{format_seconds(stats_s)} in-process, {format_seconds(cli['median_s'])} CLI",
         "baseline": f"msgfmt --statistics {format_seconds(msgfmt['median_s'])}",
         "ratio": _ratio(msgfmt["median_s"], cli["median_s"]) + " (CLI)",
         "target": "counts agree" if agree else "counts DIFFER"},
    ]
    return section, rows


def _ratio(baseline: float, ours: float) -> str:
    if ours <= baseline:
        return f"{baseline / ours:.1f}× faster"
    return f"{ours / baseline:.1f}× slower"


_ = time  # (perf_counter is used through median_time)
