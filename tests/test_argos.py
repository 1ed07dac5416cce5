"""The ``argos`` engine against argostranslate itself, on tiny real packages.

Packages are built by :mod:`tests.tinymodel` (random weights, so translations are gibberish
of every length up to CTranslate2's 256-token limit: a demanding comparison) and installed
with ``tilmash models install`` into temporary ``ARGOS_PACKAGES_DIR`` folders.
argostranslate reads its settings at import and caches languages, so the reference
translations come from fresh subprocesses running the unmodified
``argostranslate.translate.translate``; the engine runs in-process on the same folders and
must give the same text for every segment, while translating them all in one call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.tinymodel import TRAINING_TEXT, TinyModel, cached_package
from tilmash.commands.models import models
from tilmash.errors import TilmashError
from translate.engines.argos import ArgosEngine

TEXTS = [
    *TRAINING_TEXT[:4],
    TRAINING_TEXT[10],
    TRAINING_TEXT[18],
    TRAINING_TEXT[26],
    "Astana.",
    "Hi",
    "The rate was 11 percent.",
    "The rate was 12 percent.",
    "The rate was 13 percent.",
    "Алматы",
    "Президент подписал указ.",
    "Жаңа теміржол.",
    "  Leading and trailing spaces are not part of the sentence.  ",
    "Two paragraphs\nin one segment.",
    "\nA segment starting with a newline.",
    "The parliament of Kazakhstan met in Astana on Monday.",  # a repeat
    " ".join(TRAINING_TEXT[4:8]),  # long: about 60 tokens
    "",
    "   ",
]

ARGOS_SCRIPT = """
import json, sys
import argostranslate.translate as translate
request = json.load(sys.stdin)
languages = sorted(lang.code for lang in translate.get_installed_languages())
out = {f"{a}>{b}": [translate.translate(text, a, b) for text in request["texts"]]
       for a, b in request["pairs"]}
json.dump({"languages": languages, "translations": out}, sys.stdout, ensure_ascii=False)
"""

pytestmark = pytest.mark.slow


def _argos_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ARGOS_", "XDG_"))}
    env.update({
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "ARGOS_INTRA_THREADS": "1",  # 1 thread is ~20x faster on models this small
    })
    return env


@pytest.fixture(scope="module")
def homes(tmp_path_factory) -> dict[str, Path]:
    """'direct': xx→yy and xx→zz (with a target prefix); 'pivot': xx→en and en→yy.

    Installed with ``tilmash models install``.
    """
    specs = {
        "direct": [TinyModel("xx", "yy"), TinyModel("xx", "zz", seed=7, target_prefix="<zz>")],
        "pivot": [TinyModel("xx", "en", seed=1), TinyModel("en", "yy", seed=4)],
    }
    homes = {}
    for name, models_ in specs.items():
        home = tmp_path_factory.mktemp(f"argos-{name}")
        for spec in models_:
            result = CliRunner().invoke(
                models, ["install", str(cached_package(spec, tmp_path_factory))],
                env=_argos_env(home), catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
        homes[name] = home
    return homes


@pytest.fixture(scope="module")
def reference(homes) -> dict[tuple[str, str], dict]:
    """argostranslate's own output for TEXTS xx→yy, per (home, beam), computed in parallel."""
    pairs = {"direct": [["xx", "yy"], ["xx", "zz"]], "pivot": [["xx", "yy"]]}
    jobs = {}
    for home in homes:
        for beam in ("1", "default"):
            env = _argos_env(homes[home])
            if beam != "default":
                env["ARGOS_BEAM_SIZE"] = beam
            proc = subprocess.Popen(
                [sys.executable, "-c", ARGOS_SCRIPT], cwd=REPO, env=env, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            jobs[home, beam] = proc, json.dumps({"texts": TEXTS, "pairs": pairs[home]})
    results = {}
    for key, (proc, request) in jobs.items():  # all four started: they import torch in parallel
        out, err = proc.communicate(request)
        assert proc.returncode == 0, err
        results[key] = json.loads(out)
    return results


@pytest.fixture
def use_home(homes, monkeypatch):
    def use(name: str) -> None:
        for key in [k for k in os.environ if k.startswith(("ARGOS_", "XDG_"))]:
            monkeypatch.delenv(key)
        for key, value in _argos_env(homes[name]).items():
            if key.startswith(("ARGOS_", "XDG_")):
                monkeypatch.setenv(key, value)
    return use


def test_argostranslate_sees_and_uses_the_installed_package(reference):
    direct = reference["direct", "default"]
    assert direct["languages"] == ["xx", "yy", "zz"]
    translations = direct["translations"]["xx>yy"]
    assert len(translations) == len(TEXTS)
    assert translations[TEXTS.index("")] == ""
    assert all(t for t, s in zip(translations, TEXTS) if s.strip())
    assert len(set(translations)) > len(TEXTS) // 2  # random, but input-dependent
    assert reference["pivot", "default"]["languages"] == ["en", "xx", "yy"]


@pytest.mark.parametrize("beam", ["1", "default"])
@pytest.mark.parametrize(("home", "target"), [("direct", "yy"), ("direct", "zz"), ("pivot", "yy")])
def test_engine_output_is_identical_to_argostranslate(home, target, beam, reference, use_home):
    use_home(home)
    engine = ArgosEngine(beam_size=None if beam == "default" else int(beam))
    assert engine.beam() == (4 if beam == "default" else 1)
    out = engine.translate_batch(TEXTS, "xx", target)
    expected = reference[home, beam]["translations"][f"xx>{target}"]
    mismatches = [(TEXTS[i], out[i], expected[i]) for i in range(len(TEXTS)) if out[i] != expected[i]]
    assert mismatches == []
    # one call for the whole list, fewer CTranslate2 batches than distinct sentences
    assert engine.stats.batches < engine.stats.sentences
    lengths = [len(t) for t in expected if t]
    assert min(lengths) < 20 and max(lengths) > 200  # short and runaway outputs both covered


def test_engine_reads_argos_beam_size(use_home, monkeypatch):
    use_home("direct")
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "2")
    assert ArgosEngine().beam() == 2
    assert ArgosEngine(beam_size=3).beam() == 3


def test_describe_names_the_packages(use_home):
    use_home("direct")
    assert ArgosEngine().describe("xx", "yy") == "argos xx→yy translate-xx_yy 1.0"
    use_home("pivot")
    assert ArgosEngine().describe("xx", "yy") == (
        "argos xx→en→yy translate-xx_en 1.0 + translate-en_yy 1.0")


def test_missing_pair_names_what_to_install(use_home):
    use_home("direct")
    with pytest.raises(TilmashError, match=r"^no Argos model for yy→xx: install one with "):
        ArgosEngine().translate_batch(["text"], "yy", "xx")


def test_same_language_is_returned_unchanged(use_home):
    use_home("direct")
    assert ArgosEngine().translate_batch(["a b", ""], "xx", "xx") == ["a b", ""]


def test_inexact_batching_translates_everything(use_home):
    use_home("direct")
    engine = ArgosEngine(beam_size=1, exact=False, max_batch_tokens=4096)
    out = engine.translate_batch(TEXTS, "xx", "yy")
    assert len(out) == len(TEXTS) and all(isinstance(t, str) for t in out)
    assert all(out[i] for i, s in enumerate(TEXTS) if s.strip())
    assert engine.stats.batches == 1


@pytest.mark.parametrize(("home", "hops"), [("direct", 1), ("pivot", 2)])
def test_progress_is_reported_per_batch(home, hops, use_home):
    use_home(home)
    engine = ArgosEngine(beam_size=1, max_batch_tokens=8)  # many small batches
    calls: list[tuple[int, int]] = []
    out = engine.translate_batch(TEXTS, "xx", "yy", progress=lambda d, t: calls.append((d, t)))
    assert len(out) == len(TEXTS)
    assert {t for _, t in calls} == {len(TEXTS)}
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and done[-1] == len(TEXTS)  # rising, ends at all
    assert len(done) >= 3 * hops  # heard of as batches finished, not only at the end
    if hops == 2:  # the first hop counts for half
        assert any(0 < d <= len(TEXTS) // 2 for d in done)


def test_draft_engine_is_greedy_any_length_and_marked(use_home):
    from translate.pipeline import make_engine

    use_home("direct")
    draft = make_engine("argos", draft=True)
    assert (draft.beam(), draft.exact) == (1, False)
    assert draft.describe("xx", "yy") == "argos xx→yy translate-xx_yy 1.0 (draft)"
    assert make_engine("argos", beam=3, draft=True).beam() == 3
    exact = make_engine("argos")
    assert exact.exact and exact.describe("xx", "yy") == "argos xx→yy translate-xx_yy 1.0"


def test_engine_loads_no_torch(homes):
    code = (
        "import sys\n"
        "from translate.engines.argos import ArgosEngine\n"
        "out = ArgosEngine(beam_size=1).translate_batch(['Astana.', 'Hi'], 'xx', 'yy')\n"
        "assert len(out) == 2 and all(out), out\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'stanza')"
        " or m == 'argostranslate.translate'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=_argos_env(homes["direct"]),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("exact", [True, False])
def test_batches_respect_the_token_budget(exact):
    engine = ArgosEngine(max_batch_tokens=12, exact=exact)
    tokenized = [["t"] * n for n in (3, 5, 3, 3, 5, 1, 3, 12, 20)]
    batches = engine._batches(tokenized)
    assert sorted(i for b in batches for i in b) == list(range(len(tokenized)))
    for batch in batches:
        longest = max(len(tokenized[i]) for i in batch)
        assert len(batch) == 1 or longest * len(batch) <= 12
        if exact:
            assert len({len(tokenized[i]) for i in batch}) == 1
    # largest (padded tokens) first, so that no big batch starts when the other cores idle
    costs = [len(b) * max(len(tokenized[i]) for i in b) for b in batches]
    assert costs == sorted(costs, reverse=True)
    if exact:
        assert [[len(tokenized[i]) for i in b] for b in batches] == [
            [20], [3, 3, 3, 3], [12], [5, 5], [1]]
    else:
        assert [[len(tokenized[i]) for i in b] for b in batches] == [
            [20], [1, 3, 3, 3], [12], [3, 5], [5]]


def test_target_length_makes_random_models_stop(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("argos-ramp")
    for key, value in _argos_env(home).items():
        if key.startswith(("ARGOS_", "XDG_")):
            monkeypatch.setenv(key, value)
    spec = TinyModel("xx", "yy", seed=3, eos_bias=0.0, target_length=12)
    assert CliRunner().invoke(models, ["install", str(cached_package(spec, tmp_path_factory))]
                              ).exit_code == 0
    engine = ArgosEngine(beam_size=1)
    engine.translate_batch([t for t in TEXTS if t.strip()], "xx", "yy")
    mean = engine.stats.target_tokens / engine.stats.sentences
    assert 4 <= mean <= 24, mean


def test_thread_counts_change_speed_not_results(reference, use_home):
    use_home("direct")
    engine = ArgosEngine(beam_size=1, intra_threads=2, inter_threads=1)
    assert engine.translator_options()["intra_threads"] == 2
    some = TEXTS[4:10]
    expected = reference["direct", "1"]["translations"]["xx>yy"][4:10]
    assert engine.translate_batch(some, "xx", "yy") == expected


def test_threads_default_to_one_per_batch_unless_argos_settings_say(use_home, monkeypatch):
    use_home("direct")
    monkeypatch.delenv("ARGOS_INTRA_THREADS")
    options = ArgosEngine().translator_options()
    assert options["intra_threads"] == 1
    assert options["inter_threads"] == len(os.sched_getaffinity(0))
    monkeypatch.setenv("ARGOS_INTER_THREADS", "3")
    monkeypatch.setenv("ARGOS_INTRA_THREADS", "0")
    options = ArgosEngine().translator_options()
    assert (options["inter_threads"], options["intra_threads"]) == (3, 0)
    assert ArgosEngine(inter_threads=2).translator_options()["inter_threads"] == 2
