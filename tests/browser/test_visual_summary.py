"""The visual summary as a reader sees it in Chromium: readable without zooming on a desktop (1280 px) and a
tablet (810 px, an iPad in portrait), in both palettes and in print; its links lead to the rules below."""

from __future__ import annotations

import pytest

import engine

PATHWAYS = [pathway["id"] for pathway in engine.pathways()]
WIDTHS = (1280, 810)

# How the chart is shown: its scale (rendered width / its own width), whether the page scrolls sideways, the
# smallest text's size as rendered, and the contrast of its text and of its links against the page's background.
MEASURE = """() => {
  const svg = document.querySelector('.pathway-chart__svg');
  const luminance = colour => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => c / 255)
      .map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
  const background = getComputedStyle(document.body).backgroundColor;
  const texts = [...svg.querySelectorAll('text')];
  const plain = texts.find(text => !text.closest('a'));
  const linked = texts.find(text => text.closest('a'));
  return {
    scale: svg.getBoundingClientRect().width / Number(svg.getAttribute('width')),
    sideways: document.documentElement.scrollWidth > window.innerWidth,
    smallest: Math.min(...texts.map(text => text.getBoundingClientRect().height)),
    textContrast: contrast(getComputedStyle(plain).fill, background),
    linkContrast: contrast(getComputedStyle(linked).fill, background),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_chart_is_shown_at_its_own_size_and_reads_in_both_palettes(browser, site_server, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 1000}, color_scheme=scheme,
                                  service_workers="block")
    try:
        page = context.new_page()
        for pathway_id in PATHWAYS:
            page.goto(site_server.url + f"decision-tables/{pathway_id}/")
            shown = page.evaluate(MEASURE)
            where = f"{pathway_id} at {width} px, {scheme}"
            # Not scaled down by more than 5 %: its 14 px text stays at least 13 px, as the tables' text below.
            assert shown["scale"] >= 0.95, (where, shown)
            assert shown["smallest"] >= 13, (where, shown)
            assert not shown["sideways"], (where, shown)
            assert shown["textContrast"] >= 4.5 and shown["linkContrast"] >= 4.5, (where, shown)
    finally:
        context.close()


def test_the_chart_prints_in_black_and_its_links_lead_to_the_rules(browser, site_server):
    context = browser.new_context(viewport={"width": 810, "height": 1000}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(site_server.url + f"decision-tables/{PATHWAYS[-1]}/")
        page.emulate_media(media="print")
        fills = page.evaluate("() => [...document.querySelectorAll('.pathway-chart__svg text')]"
                              ".map(text => getComputedStyle(text).fill)")
        assert fills and set(fills) == {"rgb(0, 0, 0)"}
        page.emulate_media(media="screen")
        link = page.locator(".pathway-chart__svg a").first
        target = link.get_attribute("xlink:href")
        link.click()
        page.wait_for_function("hash => location.hash === hash", arg=target)
        assert page.locator(target).count() == 1
    finally:
        context.close()
