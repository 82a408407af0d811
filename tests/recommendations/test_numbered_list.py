"""The numbered-list reader (recommendations.numbered_list) on lists pasted as people paste them:
each numbering style, bullets, Word's tab after the number, wrapped lines, curly quotes and dashes,
lettered points, headings before the list, blank lines, and Windows and Word line breaks.

Pure text, no database: Hypothesis writes many lists, and the reader must give back the same
recommendations, numbered as they were, whatever the shape.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from recommendations.numbered_list import MAX_RECOMMENDATIONS, Pasted, split_numbered_list

# How committees and Word number a list; each takes the number and gives the line's start.
STYLES = {
    "dot": "{n}. ",
    "bracket": "{n}) ",
    "both brackets": "({n}) ",
    "square": "[{n}] ",
    "colon": "{n}: ",
    "en dash": "{n} – ",
    "R": "R{n} ",
    "R dot": "R{n}. ",
    "Rec": "Rec {n}: ",
    "Recommendation": "Recommendation {n}: ",
    "Recommendation dash": "Recommendation {n} – ",
    "Word's tab": "{n}.\t",
    "Word's bare tab": "{n}\t",
    "indented": "   {n}. ",
}
BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\u2029"])

# Words of recommendations as published: curly quotes, dashes, accents, figures inside a line,
# but never a number where a line could start (a wrapped line starting "2." is a new
# recommendation on paper too).
WORDS = st.sampled_from(
    [
        "the",
        "Committee",
        "recommends",
        "that",
        "“co-production”",
        "‘voice’",
        "families’",
        "–",
        "—",
        "SEND",
        "EHCP",
        "café",
        "naïve",
        "£1.5m",
        "20-week",
        "(including",
        "exceptions)",
        "is",
        "explicitly",
        "set",
        "out;",
        "and",
        "Key",
        "Performance",
        "Indicators",
        "🙂",
    ]
)


def sentence(words: list[str]) -> str:
    # A recommendation starts with a word: a dash straight after the number is read as the
    # separator people put there ("Recommendation 1 – That...").
    return " ".join(["That", *words] if words[0] in "–—" else words)


@st.composite
def pasted_lists(draw: st.DrawFn) -> tuple[str, list[Pasted]]:
    """A list as pasted, and the recommendations it holds."""
    count = draw(st.integers(1, 12))
    style = draw(st.sampled_from(sorted(STYLES)))
    first = draw(st.integers(1, 40))
    numbers = [str(first + i) for i in range(count)]
    texts = [sentence(draw(st.lists(WORDS, min_size=1, max_size=40))) for _ in numbers]
    width = draw(st.integers(20, 90))
    break_ = draw(BREAKS)
    blank_between = draw(st.booleans())
    heading = draw(st.sampled_from(["", "The Committee recommends that:", "Recommendations", "RECOMMENDATIONS:"]))
    lines: list[str] = [heading] if heading else []
    for number, text in zip(numbers, texts, strict=True):
        # Wrapped at a width, as a PDF or an email wraps it; the wrapped lines sometimes indented.
        wrapped = wrap(text, width)
        indent = draw(st.sampled_from(["", "  ", "\t", "\u00a0"]))
        lines.append(STYLES[style].format(n=number) + wrapped[0])
        lines += [indent + line for line in wrapped[1:]]
        if blank_between:
            lines.append("")
    trailing = draw(st.sampled_from(["", " ", "\n", "\n\n  "]))
    expected = [Pasted(number=n, text=t) for n, t in zip(numbers, texts, strict=True)]
    return break_.join(lines) + trailing, expected


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@given(pasted_lists())
@example(
    (
        "The Committee recommends that:\n1.\tFor leadership to be “explicitly” set out –\n   and communicated.\n"
        "2.\tTo ensure good transparency.",
        [
            Pasted("1", "For leadership to be “explicitly” set out – and communicated."),
            Pasted("2", "To ensure good transparency."),
        ],
    )
)
def test_every_shape_of_numbered_list_gives_back_its_recommendations(case: tuple[str, list[Pasted]]) -> None:
    pasted, expected = case
    found = split_numbered_list(pasted)
    assert found.problems == []
    assert found.recommendations == expected
    assert found.preamble in ("", "The Committee recommends that:", "Recommendations", "RECOMMENDATIONS:")


@given(
    texts=st.lists(st.lists(WORDS, min_size=1, max_size=30).map(sentence), min_size=1, max_size=10),
    bullet=st.sampled_from(["•", "●", "▪", "-", "–", "*", "·", "o\t", "•\t"]),
    break_=BREAKS,
)
def test_a_bulleted_list_is_numbered_in_order(texts: list[str], bullet: str, break_: str) -> None:
    pasted = break_.join(f"{bullet} {text}" if not bullet.endswith("\t") else f"{bullet}{text}" for text in texts)
    found = split_numbered_list(pasted)
    assert found.problems == []
    assert found.recommendations == [Pasted(str(n), text) for n, text in enumerate(texts, start=1)]


@given(st.lists(st.lists(WORDS, min_size=1, max_size=30).map(sentence), min_size=1, max_size=10))
def test_paragraphs_with_no_numbers_are_one_recommendation_each(texts: list[str]) -> None:
    pasted = "\n\n".join(" \n".join(wrap(text, 30)) for text in texts)
    found = split_numbered_list(pasted)
    assert found.recommendations == [Pasted(str(n), text) for n, text in enumerate(texts, start=1)]


@given(st.text(max_size=400))
def test_anything_pasted_is_read_without_failing(pasted: str) -> None:
    """Whatever is pasted, the reader answers: recommendations with text and a number that fits
    the column, never a control character, or a problem to show."""
    found = split_numbered_list(pasted)
    for recommendation in found.recommendations:
        assert recommendation.text.strip() == recommendation.text != ""
        assert 1 <= len(recommendation.number) <= 20
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", recommendation.text)


def test_lettered_points_stay_inside_their_recommendation_each_on_its_line() -> None:
    found = split_numbered_list(
        "1. That the Cabinet:\n  a) agrees to lead the response; and\n  b) updates HOSC for 12 months.\n"
        "2. That the partnership publishes its KPIs.\n  • monthly\n  • with targets"
    )
    assert found.recommendations == [
        Pasted("1", "That the Cabinet:\na) agrees to lead the response; and\nb) updates HOSC for 12 months."),
        Pasted("2", "That the partnership publishes its KPIs.\n• monthly\n• with targets"),
    ]


def test_figures_and_years_at_the_start_of_a_wrapped_line_carry_it_on() -> None:
    found = split_numbered_list(
        "1. Plans issued within\n20 weeks rose from 4.9% in\n2023. The committee asks for\n1.5 more posts."
    )
    assert [r.number for r in found.recommendations] == ["1"]
    assert found.recommendations[0].text == (
        "Plans issued within 20 weeks rose from 4.9% in 2023. The committee asks for 1.5 more posts."
    )


def test_numbers_as_published_are_kept_and_a_repeated_number_is_a_problem() -> None:
    found = split_numbered_list("1a. First\n1b. Second\nR3 Third")
    assert [r.number for r in found.recommendations] == ["1a", "1b", "3"]
    repeated = split_numbered_list("1. First\n2. Second\n2. Second again\n3.")
    assert repeated.problems == ["There are two recommendations numbered 2.", "Recommendation 3 has no text."]


def test_invisible_and_control_characters_from_a_paste_are_dropped() -> None:
    found = split_numbered_list("\ufeff\u200b1. First\x00 one\n2.\u00a0Second\u00a0one\x07")
    assert found.recommendations == [Pasted("1", "First one"), Pasted("2", "Second one")]


def test_too_many_recommendations_is_a_problem() -> None:
    found = split_numbered_list("\n".join(f"{n}. Recommendation" for n in range(1, MAX_RECOMMENDATIONS + 2)))
    assert any("more than 100" in problem for problem in found.problems)


def test_nothing_pasted_is_nothing_found() -> None:
    assert split_numbered_list("   \n\n ").recommendations == []
    assert split_numbered_list("").recommendations == []
