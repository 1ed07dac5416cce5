"""Shared helpers for the benchmarks: paths, timing, the machine description, the table."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "REPO",
    "SHARED",
    "SEED",
    "PO_DIR",
    "VENV_BIN",
    "Row",
    "machine_info",
    "median_time",
    "subprocess_times",
    "format_seconds",
    "render_table",
    "write_document",
]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_94c7650f3b1ed2f3.txt"
PO_DIR = SHARED / "testdata" / "po"
VENV_BIN = Path(sys.executable).parent

#: one line of the printed table: section, case, tilmash figure, baseline figure, ratio, note
Row = dict[str, Any]

_LIBRARIES = ("ctranslate2", "argostranslate", "sentencepiece", "polib", "pymorphy3", "click",
              "torch", "stanza", "minisbd", "numpy")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _tool_version(tool: str) -> str | None:
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return out.stdout.splitlines()[0] if out.stdout else None


def machine_info() -> dict[str, Any]:
    """CPU model, usable cores, memory, OS, Python and the versions of the libraries used."""
    versions: dict[str, str | None] = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores": cores,
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "libraries": versions,
        "msgmerge": _tool_version("msgmerge"),
    }


def median_time(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of *repeat* calls of *func* (at least one) and the last result."""
    times = []
    result: Any = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def subprocess_times(argv: Sequence[str], repeat: int, *, env: dict[str, str] | None = None,
                     cwd: Path | None = None) -> dict[str, Any]:
    """Wall time of a subprocess run *repeat* times (after one unmeasured warm-up run)."""
    def once() -> float:
        start = time.perf_counter()
        proc = subprocess.run(list(argv), capture_output=True, env=env, cwd=cwd, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: "
                               f"{proc.stderr.decode(errors='replace')[-500:]}")
        return elapsed

    once()  # page cache, .pyc files
    times = [once() for _ in range(max(1, repeat))]
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": len(times)}


def write_document(work: Path, prefix: str, name: str, text: str) -> tuple[Path, Path]:
    """A new folder ``work/<prefix>-<name>`` holding *text* as ``article.md``: (folder, file)."""
    folder = work / f"{prefix}-{name.replace('×', 'x')}"
    folder.mkdir(parents=True)
    doc = folder / "article.md"
    doc.write_text(text, encoding="utf-8")
    return folder, doc


def format_seconds(seconds: float | None) -> str:
    """``0.123 s``, ``12.3 s``, ``850 µs``…"""
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    if seconds < 100:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s"


def render_table(rows: Sequence[Row]) -> str:
    """A Markdown table of the rows (section, case, tilmash, baseline, ratio, target)."""
    header = ["section", "case", "tilmash", "baseline", "ratio", "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [str(row.get(key, "")) for key in header]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)
