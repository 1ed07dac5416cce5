"""Re-run cost: an unchanged document translated again sends nothing to the engine.

Both runs go through :func:`translate.pipeline.translate_documents` with the ``pseudo`` engine
(the engine's speed is not what is measured) and the example glossary; the baseline is the
first run of the same document in the same folder.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, SEED, Row, format_seconds, write_document
from benchmarks.mt import long_document

__all__ = ["run_rerun"]

GLOSSARY = REPO / "examples" / "glossary" / "kazakhstan.yaml"


def _run(document: Path, work: Path, glossary: Any) -> tuple[float, Any]:
    from translate.pipeline import RunOptions, translate_documents

    opts = RunOptions(
        source="en", targets=["ru", "kk", "kk-Latn"], glossary=glossary, locales=work / "locales",
        output_for=lambda doc, lang: work / "out" / lang / doc.name, engine="pseudo", root=work)
    start = time.perf_counter()
    reports = translate_documents([document], opts)
    return time.perf_counter() - start, reports


def run_rerun(mode: str, work: Path) -> tuple[dict[str, Any], list[Row]]:
    """First run and unchanged re-run of the seed and of a ~1,000-paragraph document."""
    from glossary.yamlformat import load_glossary

    glossary = load_glossary(GLOSSARY)
    seed = SEED.read_text(encoding="utf-8")
    copies = {"smoke": 2, "quick": 18, "full": 18}[mode]
    documents = {"seed": seed, f"seed×{copies}": long_document(seed, copies)}
    section: dict[str, Any] = {"engine": "pseudo", "targets": ["ru", "kk", "kk-Latn"], "documents": {}}
    rows: list[Row] = []
    for name, text in documents.items():
        folder, doc = write_document(work, "rerun", name, text)
        first, reports = _run(doc, folder, glossary)
        again, reports2 = _run(doc, folder, glossary)
        sent_first = sum(r.engine_segments for r in reports)
        sent_again = sum(r.engine_segments for r in reports2)
        segments = reports[0].segments
        section["documents"][name] = {
            "segments": segments, "first_seconds": first, "rerun_seconds": again,
            "engine_segments_first": sent_first, "engine_segments_rerun": sent_again,
            "outputs_rewritten_on_rerun": sum(1 for r in reports2 if r.written),
        }
        rows.append({
            "section": "re-run", "case": f"{name}: {segments} segments × ru, kk (+kk-Latn), unchanged",
            "tilmash": f"{sent_again} sent to engine, {format_seconds(again)}",
            "baseline": f"first run: {sent_first} sent, {format_seconds(first)}",
            "ratio": f"{first / again:.1f}× faster",
            "target": "0 segments sent" + ("" if sent_again == 0 else " — MISSED"),
        })
    return section, rows
