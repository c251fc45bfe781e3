from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from fieldroute.model import Problem
from fieldroute.model.plan import Plan
from fieldroute.output import render_html_map, write_html_map


class _Collector(HTMLParser):
    """Collects tags and every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href", "xlink:href", "srcset", "action"}:
                self.links.append(value or "")


def _page(plan: Plan, problem: Problem, tmp_path: Path) -> str:
    path = tmp_path / "plan.html"
    write_html_map(plan, problem, path)
    return path.read_text(encoding="utf-8")


def test_self_contained(plan: Plan, problem: Problem, tmp_path: Path) -> None:
    page = _page(plan, problem, tmp_path)
    assert "http://" not in page and "https://" not in page
    assert "url(" not in page and "@import" not in page
    parser = _Collector()
    parser.feed(page)
    assert parser.links == []
    assert "script" not in parser.tags and "link" not in parser.tags


def test_has_map_legend_and_every_id(
    plan: Plan, problem: Problem, tmp_path: Path
) -> None:
    page = _page(plan, problem, tmp_path)
    assert "<svg" in page and "viewBox=" in page
    assert "Legend" in page
    for tech in problem.technicians:
        assert tech.id in page
    for job in problem.jobs:
        assert job.id in page


def test_stop_times_and_reasons(plan: Plan, problem: Problem) -> None:
    page = render_html_map(plan, problem)
    titles = re.findall(r"<title>(.*?)</title>", page, flags=re.S)
    for route in plan.routes:
        for stop in route.stops:
            start = stop.start.strftime("%H:%M")
            assert any(stop.job_id in t and start in t for t in titles)
    for item in plan.unassigned:
        assert escape(item.reason) in page


def test_escapes_text(plan: Plan, problem: Problem) -> None:
    page = render_html_map(plan, problem)
    assert "<check>" not in page and "<east>" not in page and "<lead>" not in page
    assert "Boiler &lt;check&gt; &amp; co" in page
    assert "Aino &lt;lead&gt;" in page


def test_one_colour_per_technician(plan: Plan, problem: Problem) -> None:
    page = render_html_map(plan, problem)
    colours = re.findall(r'<polyline points="[^"]*" stroke="(#[0-9a-f]{6})"', page)
    assert len(colours) == len(plan.routes)
    assert len(set(colours)) == len(colours)


def test_responsive(plan: Plan, problem: Problem) -> None:
    page = render_html_map(plan, problem)
    assert 'name="viewport"' in page
    assert "max-width: 100%" in page


def test_empty_plan_still_renders(plan: Plan, problem: Problem) -> None:
    empty = plan.model_copy(update={"routes": [], "unassigned": []})
    page = render_html_map(empty, problem)
    assert "<svg" in page and "not used" in page


def test_route_of_unknown_technician(plan: Plan, problem: Problem) -> None:
    # A plan read back from disk may name someone the problem no longer has.
    ghost = plan.routes[0].model_copy(update={"technician_id": "<ghost>"})
    page = render_html_map(plan.model_copy(update={"routes": [ghost]}), problem)
    assert "&lt;ghost&gt;" in page and "<ghost>" not in page
