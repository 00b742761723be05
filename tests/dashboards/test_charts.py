"""Server-rendered SVG charts: safe under a strict CSP, escaped, accessible, calm on odd input."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from dashboards.charts import Series, bar_chart, line_chart, stacked_columns

XSS = "<script>alert(1)</script>"
QUOTES = '"quotes" & ampersands'
WEEKS = [f"W{i}" for i in range(1, 13)]


def parse(html: str) -> ET.Element:
    """Parse the figure as XML; wrapping tolerates anything around it."""
    # The input is our own renderer's output in a test, not untrusted data.
    return ET.fromstring(f"<root>{html}</root>")  # noqa: S314


def line(**kwargs) -> str:
    defaults = {
        "title": "Hours logged",
        "labels": WEEKS,
        "series": [
            Series("Sam", [1, 2, None, 4, 5, 6, 7, None, None, 3, 2, 1]),
            Series("Group", [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
        ],
    }
    return str(line_chart(**(defaults | kwargs)))


def bars(**kwargs) -> str:
    defaults = {"title": "Patterns noticed", "labels": ["A", "B", "C"], "values": [3, None, 5]}
    return str(bar_chart(**(defaults | kwargs)))


def stacked(**kwargs) -> str:
    defaults = {
        "title": "Sessions per week",
        "labels": ["W1", "W2", "W3"],
        "series": [Series("Individual", [1, 2, None]), Series("Group", [0, 1, 3])],
    }
    return str(stacked_columns(**(defaults | kwargs)))


def hostile(render) -> str:
    """Render with user-controlled text everywhere it can go."""
    if render is line:
        return line(
            title=XSS,
            labels=[XSS, QUOTES],
            series=[Series(XSS, [1, 2]), Series(QUOTES, [2, 1])],
            y_label=QUOTES,
        )
    if render is bars:
        return bars(title=QUOTES, labels=[XSS, QUOTES], values=[1, 2], value_suffix=XSS)
    return stacked(
        title=XSS, labels=[XSS, QUOTES], series=[Series(XSS, [1, 2]), Series(QUOTES, [2, 1])]
    )


ALL = [line, bars, stacked]


@pytest.mark.parametrize("render", ALL)
def test_output_is_a_well_formed_figure_with_accessible_svg(render):
    html = render()
    root = parse(html)
    figure = root.find("figure")
    assert figure is not None and figure.get("class") == "chart"
    svg = figure.find("svg")
    assert svg is not None and svg.get("role") == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")


def test_returns_safe_strings():
    series = [Series("s", [1])]
    assert isinstance(line_chart(title="t", labels=["a"], series=series), SafeString)
    assert isinstance(bar_chart(title="t", labels=["a"], values=[1]), SafeString)
    assert isinstance(stacked_columns(title="t", labels=["a"], series=series), SafeString)
    assert isinstance(bar_chart(title="t", labels=[], values=[]), SafeString)


@pytest.mark.parametrize("render", ALL)
def test_user_text_is_escaped(render):
    html = hostile(render)
    assert XSS not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert QUOTES not in html
    assert "&quot;quotes&quot; &amp; ampersands" in html
    # Still parses, and the text round-trips as text.
    root = parse(html)
    assert XSS in "".join(root.itertext()) or QUOTES in "".join(root.itertext())


@pytest.mark.parametrize("render", ALL)
def test_nothing_a_strict_csp_would_block(render):
    for html in (render(), hostile(render)):
        assert "<script" not in html.lower()
        assert "style=" not in html.lower()
        assert "href" not in html.lower()
        assert "url(" not in html.lower()
        assert "@font-face" not in html.lower()
        assert not re.search(r"\son[a-z]+\s*=", html)
        for element in parse(html).iter():
            assert not [name for name in element.attrib if name.lower().startswith("on")]
            assert "style" not in element.attrib


@pytest.mark.parametrize("render", ALL)
def test_ids_are_unique_across_charts(render):
    ids = []
    for _ in range(2):
        ids += [el.get("id") for el in parse(render()).iter() if el.get("id")]
    assert ids
    assert len(ids) == len(set(ids))


def test_ids_are_unique_across_chart_kinds_on_one_page():
    page = line() + bars() + stacked() + line()
    ids = [el.get("id") for el in parse(page).iter() if el.get("id")]
    assert len(ids) == 8
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "html",
    [
        line(labels=[], series=[]),
        line(series=[]),
        line(series=[Series("Sam", [None] * 12)]),
        bars(labels=[], values=[]),
        bars(values=[None, None, None]),
        stacked(labels=[], series=[]),
        stacked(series=[Series("a", [None, None, None])]),
    ],
)
def test_empty_data_says_so_instead_of_drawing(html):
    assert "No data yet" in html
    assert "<svg" not in html
    root = parse(html)
    assert root.find("figure").get("class") == "chart"


def test_line_chart_has_one_circle_per_known_point_and_gaps_for_none():
    html = line()
    assert html.count("<circle") == 9 + 12
    # Sam's line is broken into three runs: W1-W2, W4-W7, W10-W12; the group's is one run.
    assert html.count("<polyline") == 4


def test_isolated_point_is_a_circle_without_a_line():
    html = line(labels=["a", "b", "c"], series=[Series("Sam", [None, 3, None])])
    assert html.count("<circle") == 1
    assert "<polyline" not in html


def test_line_chart_desc_summarises():
    desc = parse(line()).find("figure/svg/desc").text
    assert desc.startswith("Line chart of 2 series over 12 points")


def test_line_chart_grid_has_three_to_five_lines_from_zero():
    for values in ([0.3], [1], [4], [7], [9.5], [12], [100], [1234]):
        root = parse(line(labels=["a"], series=[Series("s", values)]))
        grid = root.find(".//g[@class='chart-grid']")
        labels = [t.text for t in grid.iter("text")]
        assert 3 <= len(labels) <= 5, (values, labels)
        assert labels[0] == "0"


def test_line_chart_respects_y_max():
    root = parse(line(y_max=10, labels=["a", "b"], series=[Series("s", [2, 3])]))
    grid = root.find(".//g[@class='chart-grid']")
    labels = [t.text for t in grid.iter("text")]
    assert labels[0] == "0" and labels[-1] == "10"


def test_x_labels_are_thinned():
    labels = [f"Week {i}" for i in range(52)]
    root = parse(line(labels=labels, series=[Series("s", list(range(52)))]))
    x_labels = root.find(".//g[@class='chart-x-labels']")
    assert 1 < len(list(x_labels.iter("text"))) <= 8


def test_legend_present_for_two_or_more_series_only():
    assert 'class="chart-legend"' in line()
    assert 'class="chart-legend"' in stacked()
    assert 'class="chart-legend"' not in line(series=[Series("Sam", [1] * 12)])
    assert 'class="chart-legend"' not in stacked(series=[Series("a", [1, 2, 3])])
    legend = parse(line()).find(".//g[@class='chart-legend']")
    assert {"Sam", "Group"} <= set(legend.itertext())


def test_bar_chart_none_is_a_dash_and_has_no_bar():
    html = bars()
    assert "\u2014" in html
    assert html.count("<rect") == 2
    assert "Bar chart of 3 values" in html


def test_bar_chart_prints_values_with_suffix():
    texts = list(parse(bars(value_suffix=" h")).itertext())
    assert "3 h" in texts and "5 h" in texts


def without_ids(html: str) -> str:
    """Drop the random ids, whose hex could contain any digit sequence."""
    return re.sub(r"chart-[0-9a-f]{32}-(title|desc)", "", html)


def test_negative_values_clamp_at_zero():
    html = bars(labels=["a", "b"], values=[-5, 2])
    assert "-5" not in without_ids(html)
    texts = list(parse(html).itertext())
    assert "0" in texts
    assert html.count("<rect") == 1

    html = line(labels=["a", "b"], series=[Series("s", [-3, 2])])
    assert "-3" not in without_ids(html)
    root = parse(html)
    ys = [float(c.get("cy")) for c in root.iter("circle")]
    baseline = max(
        float(el.get("y1")) for el in root.find(".//g[@class='chart-grid']").iter("line")
    )
    assert ys[0] == baseline

    html = stacked(labels=["a"], series=[Series("s", [-3]), Series("t", [1])])
    assert "-3" not in without_ids(html)
    assert html.count("<rect") == 3  # two legend swatches and one segment


def test_numbers_are_compact():
    html = line(labels=["a", "b", "c"], series=[Series("s", [1 / 3, 2 / 3, 3.14159])])
    numbers = re.findall(r"\d+\.\d+", without_ids(html))
    assert numbers
    assert all(len(n.split(".")[1]) == 1 for n in numbers)


def test_all_zero_values_do_not_divide_by_zero():
    assert "<svg" in bars(values=[0, 0, 0])
    assert "<svg" in line(labels=["a", "b"], series=[Series("s", [0, 0])])
    assert "<svg" in stacked(labels=["a"], series=[Series("s", [0])])


def test_series_shorter_or_longer_than_labels():
    html = line(labels=["a", "b", "c"], series=[Series("s", [1]), Series("t", [1, 2, 3, 4])])
    assert html.count("<circle") == 4


def test_stacked_columns_stack_and_print_totals():
    root = parse(stacked())
    svg = root.find("figure/svg")
    assert svg.find("desc").text.startswith("Stacked column chart of 2 series over 3 columns")
    segments = [r for r in svg.iter("rect") if r.find("title") is not None]
    assert len(segments) == 4  # zeros and None draw nothing
    totals = [
        t.text for g in svg.iter("g") if g.get("class") == "chart-column" for t in g.iter("text")
    ]
    assert totals == ["1", "3", "3"]


def test_no_judgement_colours():
    html = line() + bars() + stacked()
    for colour in ("red", "green", "#f00", "#ff0000", "#0f0", "#00ff00"):
        assert f'"{colour}"' not in html.lower()
