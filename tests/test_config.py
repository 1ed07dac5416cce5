"""tilmash.toml discovery and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tilmash.config import find_config, load_config
from tilmash.errors import ParseError


def test_found_in_a_parent_folder_like_git(tmp_path):
    (tmp_path / "tilmash.toml").write_text(
        'source = "en"\ntargets = ["RU", "kk-latn"]\nglossary = "terms/base.yaml"\n'
        'locales = "po"\noutput = "build/{lang}/{stem}.md"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "tilmash.toml"
    cfg = load_config(start=deep)
    assert cfg.root == tmp_path.resolve()
    assert cfg.targets == ["ru", "kk-Latn"]
    assert cfg.glossary == [tmp_path.resolve() / "terms" / "base.yaml"]
    assert cfg.locales == tmp_path.resolve() / "po"
    assert cfg.output_path(Path("x/article.md"), "ru") == tmp_path.resolve() / "build/ru/article.md"
    assert cfg.output_path(Path("article.md"), "kk", Path("/o")) == Path("/o/build/kk/article.md")


def test_defaults_without_config(tmp_path):
    cfg = load_config(start=tmp_path)
    assert cfg.path is None and cfg.source == "en" and cfg.glossary == []
    assert cfg.output == "out/{lang}/{name}"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('source = "en"\ntargets = [ru]\n', 2, "invalid TOML"),
        ('source = "en"\n\ncolour = 1\n', 3, "unknown key 'colour'"),
        ('targets = ["ru", "xx"]\n', 1, "unknown language 'xx'"),
        ('output = "out/{name}"\n', 1, "must contain {lang}"),
        ('output = "out/{lang}/{nmae}"\n', 1, "unknown field {nmae}"),
        ('glossary = 3\n', 1, "'glossary' must be a path"),
    ],
)
def test_errors_name_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "tilmash.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)
