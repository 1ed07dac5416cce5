"""Start-up: wall time of non-translating commands against ``argos-translate --help``.

Each command runs as a subprocess (the console scripts of the virtualenv), once unmeasured,
then N times; the median is reported.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, VENV_BIN, Row, format_seconds, subprocess_times

__all__ = ["run_startup"]


def run_startup(mode: str, work: Path) -> tuple[dict[str, Any], list[Row]]:
    """Median wall time of each command; the baseline is ``argos-translate --help``."""
    repeat = {"smoke": 2, "quick": 7, "full": 21}[mode]
    folder = work / "startup"
    folder.mkdir(parents=True)
    shutil.copyfile(REPO / "examples" / "glossary" / "kazakhstan.yaml", folder / "glossary.yaml")
    (folder / "tilmash.toml").write_text(
        'source = "en"\ntargets = ["ru", "kk", "kk-Latn"]\nglossary = "glossary.yaml"\n',
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.update({"XDG_DATA_HOME": str(work / "xdg-data"), "XDG_CONFIG_HOME": str(work / "xdg-config"),
                "XDG_CACHE_HOME": str(work / "xdg-cache"), "NO_COLOR": "1"})
    tilmash = str(VENV_BIN / "tilmash")
    commands = {
        "tilmash --help": [tilmash, "--help"],
        "tilmash glossary list": [tilmash, "glossary", "list"],
        "tilmash translit x": [tilmash, "translit", "x"],
    }
    baseline = subprocess_times([str(VENV_BIN / "argos-translate"), "--help"], repeat, env=env,
                                cwd=folder)
    section: dict[str, Any] = {"runs": repeat, "argos-translate --help": baseline, "commands": {}}
    rows: list[Row] = []
    for name, argv in commands.items():
        timing = subprocess_times(argv, repeat, env=env, cwd=folder)
        section["commands"][name] = timing
        ratio = baseline["median_s"] / timing["median_s"]
        ok = timing["median_s"] < 0.3 and ratio >= 10
        rows.append({
            "section": "start-up", "case": f"{name} (median of {repeat})",
            "tilmash": format_seconds(timing["median_s"]),
            "baseline": f"argos-translate --help {format_seconds(baseline['median_s'])}",
            "ratio": f"{ratio:.1f}× faster",
            "target": "< 0.3 s, ≥ 10×" + ("" if ok else " — MISSED"),
        })
    return section, rows
