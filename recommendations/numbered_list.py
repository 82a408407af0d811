"""A scrutiny report's recommendations, pasted as a numbered list, split into its recommendations.

People paste from Word, a PDF or an email, so the list comes as they publish it: "1." or "1)" or
"(1)" or "R1" or "Recommendation 1:" before each, or bullets; the number followed by a tab where
Word's own numbering was copied; curly quotes, en dashes, non-breaking spaces; and each
recommendation wrapped over several lines, a wrapped line carrying on the one before. Lettered
points ("a)", "(ii)") and bullets under a numbered recommendation are part of it, each on its line.

A line that starts with no number carries on the recommendation before it (joined with a space:
a dash at the start of a wrapped line is part of the sentence). Lines before the first
number (a heading such as "The Committee recommends that:") are not a recommendation: they are
returned as `preamble`, for the person to see what was left out. A list with no numbers at all is
one recommendation a paragraph (a blank line between each), numbered in order.

Pure text in, text out: no database, so Hypothesis can try it on many shapes of list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_RECOMMENDATIONS = 100
MAX_TEXT = 10_000  # one recommendation, as the model keeps it
MAX_NUMBER = 20  # Recommendation.number's length

# Characters that come with pasted text and mean nothing: zero-width spaces and joiners' cousins,
# the byte-order mark, soft hyphens. (The zero-width joiner itself holds emoji together: kept.)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\ufeff\u00ad\u2060"), None)
# Everything Word and PDFs use for a space, and the line and paragraph separators.
_SPACES = re.compile(r"[^\S\n]+")
_BULLETS = "•●◦▪▫■□‣∙·○◆◇➢➤►▶✓✔*"
_DASHES = "-–—−"
# "1." "1)" "(1)" "[1]" "1:" "1 –" "1a." "R1" "R 1" "Rec 1" "Recommendation 1" "Recommendation 1." ...
_NUMBERED = re.compile(
    r"""^\s*
    (?:
        (?:recommendation|rec\.?)\s*(?P<word>\d{1,3}[a-z]?)\b\s*[.:)\]]?(?:\s*["""
    + _DASHES
    + r"""])?
      | r\s?(?P<r>\d{1,3}[a-z]?)\b\s*[.:)\]]?(?:\s*["""
    + _DASHES
    + r"""])?
      | [(\[](?P<bracketed>\d{1,3}[a-z]?)[)\]]
      | (?P<plain>\d{1,3}[a-z]?)(?:[.:)\]]|\s["""
    + _DASHES
    + r"""])
      | (?P<tabbed>\d{1,3}[a-z]?)(?=\t)
    )
    (?:\s+|$)""",
    re.IGNORECASE | re.VERBOSE,
)
# A bullet: a bullet's glyph, Word's "o" and tab, or a dash and a space (a dash and a tab, as Word
# writes a dashed list, in a numbered list too).
_BULLETED = re.compile(r"^\s*(?P<glyph>[" + re.escape(_BULLETS) + r"]|o(?=\t)|[" + _DASHES + r"](?=\s))\s*")
_POINT_BULLET = re.compile(r"^\s*(?:[" + re.escape(_BULLETS) + r"]|[" + _DASHES + r"o](?=\t))")
# A point within a recommendation: "a)", "(b)", "i.", "(iv)".
_SUB_POINT = re.compile(r"^\s*\(?(?:[a-h]|i{1,3}|iv|v|vi{1,3}|ix|x)[.)]\s", re.IGNORECASE)


@dataclass(frozen=True)
class Pasted:
    """One recommendation read from the list: its number as published and its text."""

    number: str
    text: str


@dataclass
class PastedList:
    """What the paste held: the recommendations in order, what came before the first, and problems."""

    recommendations: list[Pasted] = field(default_factory=list)
    preamble: str = ""
    problems: list[str] = field(default_factory=list)


def _clean(line: str) -> str:
    # Control characters (a NUL from a broken paste) are never text. A tab stays until the line is
    # read: after a number, it is how Word's own numbering comes through.
    return "".join(ch for ch in line.translate(_INVISIBLE) if ch == "\t" or unicodedata.category(ch) != "Cc")


def _number(match: re.Match[str]) -> str:
    found = next(value for value in match.groupdict().values() if value)
    return found.lower()


def _joined(lines: list[str]) -> str:
    """The lines of one recommendation as one text: wrapped lines joined with a space, a point
    ("a)", a bullet) on a line of its own."""
    text = ""
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if not text:
            text = line
        elif _SUB_POINT.match(raw) or _POINT_BULLET.match(raw):
            text += "\n" + line
        else:
            text += " " + line
    return text


def split_numbered_list(pasted: str) -> PastedList:
    """The recommendations of a pasted list, in order, with their numbers as published."""
    # splitlines knows every line break Word and PDFs write (\r\n, \r, \u2028, \u2029, \x0b...).
    lines = [_clean(line) for line in (pasted or "").splitlines()]
    numbered = any(_NUMBERED.match(line) for line in lines)
    result = PastedList()
    items: list[tuple[str, list[str]]] = []
    preamble: list[str] = []
    if numbered:
        for line in lines:
            match = _NUMBERED.match(line)
            if match:
                items.append((_number(match), [line[match.end() :]]))
            elif items:
                items[-1][1].append(line)
            else:
                preamble.append(line)
    else:
        # A bulleted list starts with a bullet, and each of its items with the same one: a wrapped
        # line that happens to start with a dash carries on the line before.
        first = next((_BULLETED.match(line) for line in lines if line.strip()), None)
        glyph = first.group("glyph") if first else None
        bulleted = glyph is not None
        for line in lines:
            bullet = _BULLETED.match(line) if bulleted else None
            if bullet and bullet.group("glyph") == glyph:
                items.append((str(len(items) + 1), [line[bullet.end() :]]))
            elif not bulleted and not line.strip():
                if items and items[-1][1]:
                    items.append(("", []))
            elif items:
                items[-1][1].append(line)
            elif bulleted:
                preamble.append(line)
            else:
                items.append(("", [line]))
        items = [(str(n), body) for n, (_, body) in enumerate((item for item in items if item[1]), start=1)]
    result.preamble = _joined(preamble)
    seen: dict[str, int] = {}
    for number, body in items:
        text = _joined(body)
        if not text:
            result.problems.append(f"Recommendation {number} has no text.")
            continue
        if len(text) > MAX_TEXT:
            result.problems.append(f"Recommendation {number} is longer than {MAX_TEXT:,} characters.")
        if number in seen:
            result.problems.append(f"There are two recommendations numbered {number}.")
        seen[number] = 1
        result.recommendations.append(Pasted(number=number[:MAX_NUMBER], text=text))
    if len(result.recommendations) > MAX_RECOMMENDATIONS:
        result.problems.append(f"The list has more than {MAX_RECOMMENDATIONS} recommendations: enter it in parts.")
    return result
