"""Run the tilmash benchmarks: ``python benchmarks/run.py [--quick | --smoke] [--only SECTION]``.

Every figure is compared with a baseline measured in the same run on the same input (what a
user would otherwise use: argostranslate, raw CTranslate2, a naive regex scan, GNU gettext);
absolute times are shown too.  Prints a Markdown table and writes ``benchmarks/results.json``
with the machine (CPU, cores, memory, Python, library versions).

Modes: full (default; adds the ten-times-longer document to the MT section and more
repetitions), ``--quick`` (a few minutes on 2 cores: the seed article only for MT), ``--smoke``
(the harness itself: tiny model, smallest sizes; for the test suite).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import Row, machine_info, render_table  # noqa: E402

__all__ = ["SECTIONS", "main", "run"]

Section = Callable[[str, Path], tuple[dict[str, Any], list[Row]]]


def _sections() -> dict[str, Section]:
    from benchmarks.catalogs import run_catalogs
    from benchmarks.mt import run_mt
    from benchmarks.rerun import run_rerun
    from benchmarks.startup import run_startup
    from benchmarks.terms_scale import run_terms

    return {"mt": run_mt, "rerun": run_rerun, "startup": run_startup, "glossary": run_terms,
            "catalogs": run_catalogs}


#: section names, in the order they run
SECTIONS = ("mt", "rerun", "startup", "glossary", "catalogs")


def run(mode: str, only: list[str] | None = None, output: Path | None = None) -> dict[str, Any]:
    """Run the sections (all, or *only*) in *mode*; write and return the results."""
    sections = _sections()
    results: dict[str, Any] = {"mode": mode, "machine": machine_info(),
                               "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "sections": {}}
    rows: list[Row] = []
    total = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tilmash-bench-") as tmp:
        for name in SECTIONS:
            if only and name not in only:
                continue
            print(f"[{name}] ...", file=sys.stderr, flush=True)
            load_before = os.getloadavg()[0]
            start = time.perf_counter()
            data, section_rows = sections[name](mode, Path(tmp) / name)
            data["section_seconds"] = time.perf_counter() - start
            # other processes on the machine skew every figure: keep the evidence
            data["loadavg_1min"] = [load_before, os.getloadavg()[0]]
            results["sections"][name] = data
            rows += section_rows
            print(f"[{name}] {data['section_seconds']:.1f} s", file=sys.stderr, flush=True)
    results["seconds"] = time.perf_counter() - total
    results["rows"] = rows
    results["table"] = render_table(rows)
    target = output or REPO / "benchmarks" / "results.json"
    from tilmash.fileio import atomic_write

    atomic_write(target, json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="a short run (a few minutes)")
    group.add_argument("--smoke", action="store_true", help="the harness only (tiny sizes)")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only this section")
    parser.add_argument("--output", type=Path, help="results file (default benchmarks/results.json)")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    results = run(mode, args.only, args.output)
    m = results["machine"]
    print(f"tilmash benchmarks ({mode}), {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, "
          f"Python {m['python']}; {results['seconds']:.0f} s")
    loads = {n: d["loadavg_1min"] for n, d in results["sections"].items()}
    print("1-min load average before/after each section (other processes skew the figures): "
          + ", ".join(f"{n} {a:.1f}/{b:.1f}" for n, (a, b) in loads.items()) + "\n")
    print(results["table"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
