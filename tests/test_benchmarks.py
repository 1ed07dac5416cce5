"""The benchmark harness (``benchmarks/run.py --smoke``) runs and writes complete results.

No timing is asserted: only that every section ran, compared against its baseline on the same
input, and that the correctness checks built into the benchmarks hold (tilmash's engine output
equals argostranslate's; an unchanged re-run sends nothing to the engine; statistics agree
with msgfmt's).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, shared_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> dict:
    shared_path("seed", "000_94c7650f3b1ed2f3.txt")
    shared_path("testdata", "po")
    for tool in ("msgmerge", "msgfmt"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} (GNU gettext) not installed")
    out = tmp_path_factory.mktemp("bench") / "results.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke", "--output", str(out)],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    results["stdout"] = proc.stdout
    return results


def test_every_section_ran_and_the_machine_is_described(smoke):
    assert set(smoke["sections"]) == {"mt", "rerun", "startup", "glossary", "catalogs"}
    machine = smoke["machine"]
    assert machine["cores"] >= 1 and machine["cpu"] and machine["python"]
    assert machine["libraries"]["ctranslate2"] and machine["libraries"]["argostranslate"]
    assert smoke["mode"] == "smoke"
    # the printed table has a row per comparison
    assert smoke["stdout"].count("\n| ") == len(smoke["rows"]) + 1


def test_mt_sides_translate_the_same_segments_identically(smoke):
    seed = smoke["sections"]["mt"]["documents"]["seed"]
    assert seed["segments"] > 50 and seed["words"] > 1000
    assert seed["identical_to_argos"] and seed["mismatched_segments"] == 0
    for side in ("tilmash_beam4", "tilmash_beam1", "argos_beam4", "ct2_beam4", "ct2_beam1"):
        assert seed[side]["seconds"] > 0 and seed[side]["words_per_s"] > 0


def test_rerun_sends_nothing_to_the_engine(smoke):
    docs = smoke["sections"]["rerun"]["documents"]
    assert len(docs) == 2
    for doc in docs.values():
        assert doc["engine_segments_first"] > 0
        assert doc["engine_segments_rerun"] == 0
        assert doc["outputs_rewritten_on_rerun"] == 0


def test_startup_and_catalogue_baselines_were_measured(smoke):
    startup = smoke["sections"]["startup"]
    assert startup["argos-translate --help"]["median_s"] > 0
    assert set(startup["commands"]) == {"tilmash --help", "tilmash glossary list", "tilmash translit x"}
    catalogs = smoke["sections"]["catalogs"]
    assert catalogs["counts_agree"], (catalogs["counts"], catalogs["msgfmt_counts"])
    assert catalogs["msgmerge_s"] > 0 and catalogs["update_s"] > 0
    assert catalogs["update_result"]["kept"] == catalogs["segments"]


def test_glossary_scale_measures_matching_search_and_memory(smoke):
    size = smoke["sections"]["glossary"]["sizes"]["1000"]
    for lang in ("ru", "kk"):
        assert size[lang]["terms"] > 0 and size[lang]["matches"] > 0
        assert size[lang]["naive_matches_in_sample"] > 0
    assert size["peak_mb_ru_build_match"] > 0
    assert size["search"]["found"] > 150


def test_long_document_has_no_repeated_paragraph():
    from benchmarks.mt import long_document

    text = ("# Title\n\nThe parliament met in Astana on Monday after a long debate.\n\n"
            "Lawmakers approved [the budget](#) and several other measures.\n")
    long = long_document(text, 5)
    paragraphs = [p for p in long.split("\n\n") if p.strip() and not p.startswith("#")]
    assert len(paragraphs) == 10 and len(set(paragraphs)) == 10
    assert long.count("[") == long.count("](#)") == 5  # markup kept in every copy
