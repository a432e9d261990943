r"""Check that a notebook's hand-written prose states no data-dependent claims.

Numbers, directions and verdicts that come from the data belong in generated
text (:mod:`crm_lessons.narrate`); hand-written Markdown keeps the concepts,
the reasoning and the instructions. This module finds, in every Markdown cell,
the digits and the verdict or direction words that are not covered by the
rules below or by the reviewed allow-list ``tests/prose_allowlist.toml``, and
money written with a bare ``$`` (which notebook viewers render as maths).

Allowed without an entry: code spans and fenced code, maths that is really
maths (``$x$`` with a variable, ``\\frac`` …), lesson / case / section /
exercise / step references (``lesson 03``, ``section 4.2``, ``Your turn 2``),
``10C`` and ``C1``–``C10``, years (``1997``, ``2025``), list and heading
numbers, the time estimate (``about 45 minutes``) and trainer timings
(``15 min``).

Run ``python -m crm_lessons.prose notebooks/NN_name.ipynb`` to list what is
flagged in one notebook (all notebooks without arguments).

Examples
--------
>>> [f.text for f in scan_markdown("Sales rose by 12 % in 2024 (lesson 03).")]
['rose', '12']
>>> scan_markdown("See section 4.2 and C10; about 45 minutes.")
[]
>>> [f.kind for f in scan_markdown("A coffee costs $3.50.")]
['money-as-math', 'digit']
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Flag",
    "estimated_minutes",
    "load_allowlist",
    "scan_markdown",
    "scan_notebook",
    "stated_minutes",
]

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "tests" / "prose_allowlist.toml"

#: Words that state a direction or a verdict about data; they must be generated.
VERDICT_WORDS = (
    r"significant(?:ly)?",
    r"statistically",
    r"detectable",
    r"no difference",
    r"wins",
    r"won",
    r"beats?",
    r"pays? back",
    r"pays? for itself",
    r"pays? its way",
    r"pays? off",
    r"loses money",
    r"rises",
    r"rose",
    r"falls",
    r"fell",
    r"grew",
    r"shrank",
    r"doubled",
    r"halved",
    r"higher than",
    r"lower than",
    r"better than",
    r"worse than",
    r"outperforms?",
)
_VERDICT_RE = re.compile(r"\b(?:" + "|".join(VERDICT_WORDS) + r")\b", re.IGNORECASE)

_STRIP = [
    re.compile(r"```.*?```", re.DOTALL),  # fenced code
    re.compile(r"`[^`\n]*`"),  # code spans
    re.compile(r"<[^>\n]+>"),  # HTML tags
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"\b[\w-]+\.(?:ipynb|py|csv|md|json|toml|xlsx|parquet)\b"),  # file names
]
_REFERENCE = re.compile(
    r"\b(?:lessons?|cases?|case study|sections?|exercises?|your turn|steps?|notebooks?|parts?|"
    r"questions?|quiz|tasks?|deliverables?|chapters?|modules?|figures?|tables?|rows?|"
    r"options?|level|stage|tier|D|Q)\s*\(?\d+(?:\.\d+)*\)?"
    r"(?:\s*(?:,|and|or|to|–|-|/)\s*\d+(?:\.\d+)*)*",
    re.IGNORECASE,
)
_ALLOWED_NUMBERS = [
    re.compile(r"\b10C\b"),
    re.compile(r"\bC(?:10|[1-9])\b"),
    re.compile(r"\b(?:19|20)\d\d\b"),  # years
    re.compile(r"^\s*(?:[-*+]\s+)?\d+[.)]\s", re.MULTILINE),  # numbered list items
    re.compile(r"^#+\s*[\d.]+", re.MULTILINE),  # heading numbers
    re.compile(r"\b(?:about|around|roughly)\s+\d+\s*(?:minutes|min)\b", re.IGNORECASE),
    re.compile(r"\b\d+\s*(?:–|-|to)\s*\d+\s*(?:minutes|min)\b", re.IGNORECASE),
    re.compile(r"\b\d+\s*(?:minutes|min)\b", re.IGNORECASE),
    re.compile(r"&#?\w+;"),  # HTML entities
    re.compile(r"\b(?:0?[1-9]|1[0-9]|2[0-9]|30)_[a-z_]+"),  # notebook stems
    re.compile(r"\bNN\b"),
]
# maths: $...$ that contains a variable-like token, or $$ blocks
_MATH_BLOCK = re.compile(r"\$\$.*?\$\$", re.DOTALL)
_MATH_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)")
_MONEY_DOLLAR = re.compile(r"(?<!\\)\$")


@dataclass(frozen=True)
class Flag:
    """One finding: the notebook cell, the kind and the text found."""

    cell: int
    kind: str  # "digit", "verdict" or "money-as-math"
    text: str
    context: str

    def __str__(self) -> str:
        return f"cell {self.cell}: {self.kind} {self.text!r} in …{self.context}…"


def _is_maths(body: str) -> bool:
    return bool(re.search(r"[\\^_{}=]|^[A-Za-z]$|^[A-Za-z]\s*[<>+*/-]", body.strip()))


def _context(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40) : end + 40].split())


def scan_markdown(
    text: str, allowed: list[str] | tuple[str, ...] = (), cell: int = 0
) -> list[Flag]:
    """Return the flags for one Markdown text.

    Parameters
    ----------
    text : str
        The Markdown source.
    allowed : list of str
        Reviewed phrases (regular expressions) allowed in this text.
    cell : int, default 0
        The cell's index, copied into each flag.

    Returns
    -------
    list of Flag
    """
    flags: list[Flag] = []
    work = text
    for pat in _STRIP:
        work = pat.sub(" ", work)
    work = _MATH_BLOCK.sub(" ", work)

    def _math(m: re.Match) -> str:
        return " " if _is_maths(m.group(1)) else m.group(0)

    work = _MATH_INLINE.sub(_math, work)
    for m in _MONEY_DOLLAR.finditer(work):
        flags.append(Flag(cell, "money-as-math", "$", _context(work, m.start(), m.end())))
    for phrase in allowed:
        work = re.sub(phrase, " ", work)
    for pat in [_REFERENCE, *_ALLOWED_NUMBERS]:
        work = pat.sub(" ", work)
    for m in _VERDICT_RE.finditer(work):
        flags.append(Flag(cell, "verdict", m.group(0), _context(work, m.start(), m.end())))
    for m in re.finditer(r"\d+(?:[.,]\d+)*", work):
        flags.append(Flag(cell, "digit", m.group(0), _context(work, m.start(), m.end())))
    return flags


def load_allowlist(path: Path = ALLOWLIST) -> dict[str, list[str]]:
    """Return the reviewed allow-list: notebook stem (or ``"*"``) -> phrases."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for entry in data.get("allow", []):
        if not entry.get("reason"):
            raise ValueError(f"{path}: entry {entry!r} has no reason")
        out.setdefault(entry["notebook"], []).append(entry["text"])
    return out


def scan_notebook(path: str | Path, allowlist: dict[str, list[str]] | None = None) -> list[Flag]:
    """Return the flags for every Markdown cell of the notebook at ``path``."""
    path = Path(path)
    allow = load_allowlist() if allowlist is None else allowlist
    phrases = [*allow.get("*", []), *allow.get(path.stem, [])]
    nb = json.loads(path.read_text(encoding="utf-8"))
    flags: list[Flag] = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        src = cell["source"]
        flags += scan_markdown("".join(src) if isinstance(src, list) else src, phrases, i)
    return flags


#: Reading speed for lesson prose (words a minute) for a learner reading carefully.
WORDS_PER_MINUTE = 120
#: Minutes per code cell (read it, run it, look at the output).
MINUTES_PER_CODE_CELL = 1.0
#: Minutes per exercise and per quiz question.
MINUTES_PER_EXERCISE = 6.0
MINUTES_PER_QUIZ_QUESTION = 1.5


def estimated_minutes(nb: dict) -> int:
    """Estimate a learner's time for a notebook from its length.

    Words of learner-facing Markdown (trainer notes excluded) at
    :data:`WORDS_PER_MINUTE`, one minute per code cell a learner sees (not the
    hidden solution and answer-key cells), :data:`MINUTES_PER_EXERCISE` per
    exercise (a cell that calls ``check`` outside the quiz) and
    :data:`MINUTES_PER_QUIZ_QUESTION` per quiz question; rounded to 5 minutes.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "word " * 1200}]}
    >>> estimated_minutes(nb)
    10
    """
    words, code, exercises, quiz = 0, 0, 0, 0
    for cell in nb["cells"]:
        src = cell["source"]
        text = "".join(src) if isinstance(src, list) else src
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"trainer", "solution", "answer-key"}:
            continue
        if cell["cell_type"] == "markdown":
            words += len(text.split())
        elif cell["cell_type"] == "code":
            code += 1
            if re.search(r"(?m)^\s*(?:_\s*=\s*)?check(?:_choice)?\(", text):
                if "quiz" in tags or re.search(r"key=\"\d+\.q", text):
                    quiz += 1
                else:
                    exercises += 1
    minutes = (
        words / WORDS_PER_MINUTE
        + code * MINUTES_PER_CODE_CELL
        + exercises * MINUTES_PER_EXERCISE
        + quiz * MINUTES_PER_QUIZ_QUESTION
    )
    return max(5, int(5 * round(minutes / 5)))


def stated_minutes(nb: dict) -> int | None:
    """Return the N of "Time: about N minutes" in the notebook's first cell, if any."""
    src = nb["cells"][0]["source"] if nb["cells"] else ""
    text = "".join(src) if isinstance(src, list) else src
    m = re.search(r"Time:\**\s*about\s+(\d+)\s+minutes", text)
    return int(m.group(1)) if m else None


def main(argv: list[str] | None = None) -> int:
    """List the flags of the given notebooks (default: every notebook)."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--time":
        for p in [Path(a) for a in args[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb")):
            nb = json.loads(p.read_text(encoding="utf-8"))
            print(f"{p.name}: estimated {estimated_minutes(nb)} min, stated {stated_minutes(nb)}")
        return 0
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0
    for p in paths:
        flags = scan_notebook(p)
        total += len(flags)
        for f in flags:
            print(f"{p.name}: {f}")
    print(f"{total} flag(s) in {len(paths)} notebook(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
