"""The public pages' charts are drawn once per set of figures."""

import uuid

from app import charts


def test_the_same_figures_are_drawn_once_and_new_figures_anew(monkeypatch):
    drawn = []

    def counting_figure(labels, values, title):
        drawn.append(values)
        return real_figure(labels, values, title)

    real_figure = charts._figure
    monkeypatch.setattr(charts, "_figure", counting_figure)
    title = f"Phones per village {uuid.uuid4().hex[:8]}"  # no earlier test has drawn this chart

    first = charts.bar_chart_svg(["Hallen", "Kusfors"], [12, 7], title)
    again = charts.bar_chart_svg(["Hallen", "Kusfors"], [12, 7], title)
    assert again == first and len(drawn) == 1

    changed = charts.bar_chart_svg(["Hallen", "Kusfors"], [13, 7], title)
    assert len(drawn) == 2 and changed != first and "Hallen: 13" in changed
    renamed = charts.bar_chart_svg(["Hallen", "Norsjö"], [13, 7], title)
    assert len(drawn) == 3 and "Norsjö: 7" in renamed
