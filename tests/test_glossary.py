"""One glossary: the notebooks' Chinese terms come from it, with each edition's own usage."""

import importlib
import json
import re
from pathlib import Path

import pytest

from crm_lessons.glossary import is_glossary_pair, script_of, terms, usage_problems

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_PAIR = re.compile(
    r"([\u3400-\u9fff][\u3400-\u9fff 0-9A-Za-z-]*?)\s*[/／]\s*([\u3400-\u9fff][\u3400-\u9fff 0-9A-Za-z-]*)"
)
#: People and places in the cases: names, not terms.
PROPER_NAMES = {("王經理", "王经理"), ("莉莉", "莉莉")}
_JOIN_TW, _JOIN_CN = r"[與和及、]", r"[与和及、]"


def _src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def test_glossary_is_consistent():
    ens = [t.en.casefold() for t in terms()]
    assert len(ens) == len(set(ens)), "an English term appears twice"
    for t in terms():
        assert script_of(t.zh_tw) != "zh_cn", t
        assert script_of(t.zh_cn) != "zh_tw", t
        assert not usage_problems(t.zh_tw) and not usage_problems(t.zh_cn), t


@pytest.mark.parametrize("module", ["acquisition", "development", "retention", "satisfaction"])
def test_module_vocabularies_use_the_glossary(module):
    for en, tw, cn in importlib.import_module(f"crm_lessons.{module}").GLOSSARY:
        main_tw, main_cn = tw.split("（")[0], cn.split("（")[0]
        assert is_glossary_pair(main_tw, main_cn), (en, tw, cn)


def _pair_ok(a, b):
    if is_glossary_pair(a, b) or (a, b) in PROPER_NAMES:
        return True
    pa, pb = re.split(_JOIN_TW, a), re.split(_JOIN_CN, b)
    return len(pa) > 1 and len(pa) == len(pb) and all(map(is_glossary_pair, pa, pb))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_terms_come_from_the_glossary(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    bad = []
    for i, cell in enumerate(nb["cells"]):
        text = _src(cell)
        if cell["cell_type"] == "markdown":
            body = text if i else "\n".join(text.splitlines()[1:])  # the title line is a title
            for m in _PAIR.finditer(body):
                a, b = m.group(1).strip(), m.group(2).strip()
                if script_of(a) == "zh_cn" or script_of(b) == "zh_tw":
                    continue  # not a 繁體 / 简体 pair
                if not _pair_ok(a, b):
                    bad.append(f"cell {i}: {a} / {b} is not a glossary pair")
        bad += [f"cell {i}: {w} in {ed} text; use {use}" for w, use, ed in usage_problems(text)]
    assert not bad, "\n".join(bad)
