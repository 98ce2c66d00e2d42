"""Vega-Lite chart specifications (built with Altair) shared by the web pages and the
country brief.

Each function takes a library DataFrame and returns a plain Vega-Lite dict:
the browser renders it with the locally served vega-embed, the report renders
it to PNG with vl-convert. Maps reference the world-atlas TopoJSON by the
app's own URL, never a remote one.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from nonaligned.index import CLASSES, Thresholds
from nonaligned.output import records
from nonaligned.web.assets import TOPOLOGY_PATH

# Okabe-Ito colours (colour-blind safe), each with at least 3:1 contrast on white (so not
# their orange, sky blue or yellow), and a grey: six colours that stay apart (CIE76 delta-E
# above 10) under protanopia and deuteranopia. tests/web/test_web_api.py computes both properties.
BLUE, VERMILLION, GREEN, PURPLE, BLACK, GREY = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#000000",
    "#767676",
)
OKABE_ITO = [BLUE, VERMILLION, GREEN, PURPLE, BLACK, GREY]
POLE_COLOURS = {"USA": BLUE, "EU": GREEN, "CHN": VERMILLION, "RUS": PURPLE}
CLASS_COLOURS = dict(zip(CLASSES, [BLUE, VERMILLION, PURPLE, GREEN, GREY, BLACK], strict=True))
CLASS_NAMES = {
    "aligned_west": "aligned with the West",
    "aligned_china": "aligned with China",
    "aligned_russia": "aligned with Russia",
    "actively_nonaligned": "actively nonaligned",
    "passively_neutral": "passively neutral",
    "split": "split (votes vs. trade)",  # one way in the Assembly, the other in trade
}
VOTE_COLOURS = {"yes": GREEN, "no": VERMILLION, "abstain": BLUE, "absent": GREY}
NO_DATA = "#f0f0f0"  # outside the data: no UN member that year
NOT_SHOWN = "#c4c4c4"  # a member without a value to show (too few votes, no class)
MIN_VOTES = Thresholds().min_votes  # fewer votes than this: the point is not plotted
MIN_ROLL_CALLS = Thresholds().min_roll_calls  # fewer roll calls in a year: provisional
WIDTH, HEIGHT = 560, 220
MAP_WIDTH, MAP_HEIGHT = 760, 400
PLOTTED = f"datum.n_votes >= {MIN_VOTES} ? datum.agreement : null"
PROVISIONAL_NOTE = f"diamonds: provisional years (fewer than {MIN_ROLL_CALLS} roll calls)"


def _spec(
    chart: alt.TopLevelMixin, table: pd.DataFrame | None = None, source: str = ""
) -> dict[str, Any]:
    """The Vega-Lite dict, legend below the plot (so it stays on a phone's screen), and in
    ``usermeta`` the rows the chart draws and their source: the page's table alternative
    and CSV download are exactly these rows, at full precision."""
    spec = chart.to_dict()
    spec.setdefault("config", {})["legend"] = {"orient": "bottom", "columns": 2}
    if table is not None:
        spec["usermeta"] = {
            "columns": [str(c) for c in table.columns],
            "rows": records(table),
            "source": source,
        }
    return spec


def class_name(code: object) -> object:
    """The human-readable name of an index class (missing stays missing)."""
    return CLASS_NAMES.get(code, code) if isinstance(code, str) else None


def _yearly(frame: pd.DataFrame, series: str) -> pd.DataFrame:
    """``frame`` with a row (values missing) for every year without data inside each
    ``series``' span, so that lines break across gaps instead of bridging them."""
    parts = []
    for key, rows in frame.groupby(series, sort=False):
        years = pd.RangeIndex(int(rows.year.min()), int(rows.year.max()) + 1, name="year")
        full = rows.set_index("year").reindex(years).reset_index()
        parts.append(full.assign(**{series: key}))
    return pd.concat(parts, ignore_index=True) if parts else frame


def _provisional_shape() -> alt.Shape:
    """Provisional years as diamonds, said in the source line (:data:`PROVISIONAL_NOTE`):
    a second legend would not fit a phone."""
    return alt.Shape(
        "provisional:N",
        scale=alt.Scale(domain=[False, True], range=["circle", "diamond"]),
        legend=None,
    )


def _x_year() -> alt.X:
    return alt.X("year:Q", axis=alt.Axis(format="d"), scale=alt.Scale(zero=False), title="year")


def map_id(iso_numeric: pd.Series) -> pd.Series:
    """world-atlas geometry ids: the ISO numeric code zero-padded to three digits."""
    return iso_numeric.astype("Int64").map(lambda n: None if pd.isna(n) else f"{int(n):03d}")


def with_map_ids(frame: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with ``iso3``) plus the map ``id`` of each country."""
    ids = countries.set_index("iso3").iso_numeric
    return frame.assign(id=map_id(frame.iso3.map(ids)))


def pole_agreement_by_country(
    dyads: pd.DataFrame, countries: pd.DataFrame, pole: str
) -> pd.DataFrame:
    """From one year's :func:`nonaligned.alignment.dyads`, each state's agreement with
    ``pole``: ``iso3, name, id, agreement, n_votes``."""
    left = dyads[dyads.iso3_a == pole].rename(columns={"iso3_b": "iso3"})
    right = dyads[dyads.iso3_b == pole].rename(columns={"iso3_a": "iso3"})
    both = pd.concat([left, right], ignore_index=True)[["iso3", "agreement", "n_votes"]]
    named = both.merge(countries[["iso3", "name"]], on="iso3", how="left")
    return with_map_ids(named, countries).sort_values("iso3").reset_index(drop=True)


def _agreement_lines(
    rows: pd.DataFrame,
    series: str,
    colours: dict[str, str],
    title: str,
    provisional: frozenset[int],
    source: str,
) -> dict[str, Any]:
    """Agreement per year, one line per ``series`` value (columns ``year, <series>,
    agreement, n_votes``). Honest marks: years without votes break the line; a year
    resting on fewer than :data:`MIN_VOTES` votes is not plotted (its row stays in the
    table); provisional years (a partial session) are drawn as hollow diamonds."""
    table = rows.assign(provisional=rows.year.isin(provisional))
    data = _yearly(table, series)
    colour = alt.Color(
        f"{series}:N",
        scale=alt.Scale(domain=list(colours), range=list(colours.values())),
        title=series,
    )
    base = (
        alt.Chart(data)
        .transform_calculate(plotted=PLOTTED)
        .encode(
            x=_x_year(),
            y=alt.Y("plotted:Q", scale=alt.Scale(domain=[0, 1]), title="agreement"),
            color=colour,
        )
    )
    points = base.mark_point(size=24, filled=True).encode(
        shape=_provisional_shape(),
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            f"{series}:N",
            alt.Tooltip("agreement:Q", format=".3f"),
            alt.Tooltip("n_votes:Q", title="votes"),
            alt.Tooltip("provisional:N"),
        ],
    )
    chart = alt.layer(base.mark_line(), points).properties(width=WIDTH, height=HEIGHT, title=title)
    return _spec(chart, table, f"{source}; {PROVISIONAL_NOTE}")


VOTES_SOURCE = "UN General Assembly roll calls (unvotes, Voeten, UN DGACM); Voeten's agreement"


def agreement(table: pd.DataFrame, provisional: frozenset[int] = frozenset()) -> dict[str, Any]:
    """Agreement with each pole per year, from :func:`nonaligned.alignment.alignment`."""
    rows = table[["year", "pole", "agreement", "n_votes"]]
    return _agreement_lines(
        rows,
        "pole",
        POLE_COLOURS,
        "UN General Assembly agreement with each pole",
        provisional,
        _covering(VOTES_SOURCE, rows),
    )


def _covering(source: str, rows: pd.DataFrame) -> str:
    """A chart's source line: the sources and the years its rows cover."""
    if rows.empty:
        return f"{source}; no data"
    return f"{source}; {int(rows.year.min())}-{int(rows.year.max())}"


def country_colours(codes: list[str]) -> dict[str, str]:
    """One colour per country, by its place in the list asked for: the same in every chart
    of a comparison (at most six countries, the Okabe-Ito colours)."""
    return dict(zip(codes, OKABE_ITO, strict=False))


def comparison(
    tables: dict[str, pd.DataFrame], partner: str, provisional: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """Agreement with one partner per year, one line per country.

    ``tables`` maps each country to its :func:`nonaligned.alignment.alignment`
    rows of the pole ``partner``, or :func:`nonaligned.alignment.pair` rows
    with ``partner`` (either has ``year, agreement, n_votes``).
    """
    rows = pd.concat(
        [t[["year", "agreement", "n_votes"]].assign(country=code) for code, t in tables.items()],
        ignore_index=True,
    )[["country", "year", "agreement", "n_votes"]]
    return _agreement_lines(
        rows,
        "country",
        country_colours(list(tables)),
        f"Agreement with {partner}",
        provisional,
        _covering(VOTES_SOURCE, rows),
    )


def trade_shares(table: pd.DataFrame) -> dict[str, Any]:
    """Share of goods trade with each pole per year, from :func:`nonaligned.exposure.trade`."""
    rows = table[table.partner != "WLD"][["year", "partner", "share", "total_usd"]]
    chart = (
        alt.Chart(_yearly(rows, "partner"))
        .mark_line(point=alt.OverlayMarkDef(size=16, filled=True))
        .encode(
            x=_x_year(),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title="share of goods trade"),
            color=alt.Color(
                "partner:N",
                scale=alt.Scale(domain=list(POLE_COLOURS), range=list(POLE_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                "partner:N",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Goods trade with each pole (IMF DOTS)")
    )
    return _spec(chart, rows, _covering("IMF Direction of Trade Statistics", rows))


def _choropleth(
    values: pd.DataFrame,
    color: alt.Color,
    tooltip: list[alt.Tooltip | str],
    title: str,
    source: str,
    shown: str = "true",
) -> dict:
    """A world map of ``values`` (keyed by the map ``id``); states where ``shown`` (a Vega
    expression) is false are drawn grey, with their tooltip, but not coloured."""
    outlines = alt.topo_feature(TOPOLOGY_PATH, "countries")
    fields = [c for c in values.columns if c != "id"]
    base = alt.Chart(outlines).mark_geoshape(fill=NO_DATA, stroke="white", strokeWidth=0.4)
    looked_up = (
        alt.Chart(outlines)
        .transform_lookup(lookup="id", from_=alt.LookupData(values, "id", fields))
        .transform_filter("isValid(datum.iso3)")
    )
    shaded = (
        looked_up.transform_filter(shown)
        .mark_geoshape(stroke="white", strokeWidth=0.4, cursor="pointer")
        .encode(color=color, tooltip=tooltip)
    )
    greyed = (
        looked_up.transform_filter(f"!({shown})")
        .mark_geoshape(fill=NOT_SHOWN, stroke="white", strokeWidth=0.4, cursor="pointer")
        .encode(tooltip=tooltip)
    )
    chart = (
        alt.layer(base, shaded, greyed)
        .project("equalEarth")
        .properties(width=MAP_WIDTH, height=MAP_HEIGHT, title=title)
    )
    table = values.drop(columns="id")
    return _spec(chart, table, source)


def world_map(values: pd.DataFrame, title: str) -> dict[str, Any]:
    """Choropleth of ``agreement`` (0-1) from :func:`pole_agreement_by_country`; states with
    fewer than :data:`MIN_VOTES` votes that year are grey, not coloured."""
    known = values.dropna(subset=["id"])[["id", "iso3", "name", "agreement", "n_votes"]]
    color = alt.Color(
        "agreement:Q", scale=alt.Scale(domain=[0, 1], scheme="viridis"), title="agreement"
    )
    tooltip = ["name:N", alt.Tooltip("agreement:Q", format=".3f"), alt.Tooltip("n_votes:Q")]
    return _choropleth(
        known,
        color,
        tooltip,
        f"{title} (grey: fewer than {MIN_VOTES} votes)",
        VOTES_SOURCE,
        shown=f"datum.n_votes >= {MIN_VOTES}",
    )


_INDEX_SOURCE = (
    "Active-nonalignment index (docs/methodology.md): UN votes, IMF DOTS trade, memberships"
)


def _index_rows(values: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    rows = values.dropna(subset=["id"])[fields]
    return rows.assign(**{"class": rows["class"].map(class_name)})


def _class_colour() -> alt.Color:
    return alt.Color(
        "class:N",
        scale=alt.Scale(
            domain=[CLASS_NAMES[c] for c in CLASS_COLOURS], range=list(CLASS_COLOURS.values())
        ),
        title="class",
    )


def class_map(values: pd.DataFrame, title: str) -> dict[str, Any]:
    """Choropleth of the index class, from :func:`nonaligned.index.country_index` rows
    (grey: no class, e.g. too few votes or a provisional year)."""
    known = _index_rows(
        values, ["id", "iso3", "name", "class", "lean", "balance", "activity", "n_votes"]
    )
    tooltip = [
        "name:N",
        "class:N",
        alt.Tooltip("lean:Q", format=".2f"),
        alt.Tooltip("balance:Q", format=".2f"),
        alt.Tooltip("activity:Q", format=".2f"),
    ]
    return _choropleth(
        known, _class_colour(), tooltip, title, _INDEX_SOURCE, shown="isValid(datum['class'])"
    )


def lean_map(values: pd.DataFrame, title: str) -> dict[str, Any]:
    """Choropleth of the index lean (-1 other pole, +1 West)."""
    known = _index_rows(values, ["id", "iso3", "name", "lean", "class", "n_votes"])
    color = alt.Color(
        "lean:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue"), title="lean (+1 West)"
    )
    tooltip = ["name:N", alt.Tooltip("lean:Q", format=".2f"), "class:N"]
    return _choropleth(known, color, tooltip, title, _INDEX_SOURCE, shown="isValid(datum.lean)")


def index_profile(table: pd.DataFrame) -> dict[str, Any]:
    """Lean by year on each axis, points coloured by class, from
    :func:`nonaligned.index.country_profile` (gaps break the line; provisional
    years, which have no class, are hollow)."""
    rows = table[["year", "axis", "lean", "balance", "activity", "class", "provisional"]]
    rows = rows.assign(**{"class": rows["class"].map(class_name)})
    base = alt.Chart().encode(
        x=_x_year(), y=alt.Y("lean:Q", scale=alt.Scale(domain=[-1, 1]), title="lean (+1 West)")
    )
    line = base.mark_line(color="#767676", strokeWidth=1)
    points = base.mark_point(filled=True, size=30).encode(
        color=_class_colour(),
        shape=_provisional_shape(),
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            "axis:N",
            "class:N",
            alt.Tooltip("lean:Q", format=".2f"),
            alt.Tooltip("balance:Q", format=".2f"),
            alt.Tooltip("activity:Q", format=".2f"),
            "provisional:N",
        ],
    )
    chart = (
        alt.layer(line, points, data=_yearly(rows, "axis"))
        .properties(width=WIDTH, height=140)
        .facet(row=alt.Row("axis:N", title=None))
        .properties(title="Active-nonalignment index: lean and class by year")
    )
    return _spec(chart, rows, f"{_covering(_INDEX_SOURCE, rows)}; {PROVISIONAL_NOTE}")


def vote_map(votes: pd.DataFrame, symbol: str) -> dict[str, Any]:
    """Choropleth of yes/no/abstain/absent on one roll call."""
    known = votes.dropna(subset=["id"])[["id", "iso3", "country", "vote"]]
    color = alt.Color(
        "vote:N",
        scale=alt.Scale(domain=list(VOTE_COLOURS), range=list(VOTE_COLOURS.values())),
        title="vote",
    )
    return _choropleth(known, color, ["country:N", "vote:N"], f"Votes on {symbol}", VOTES_SOURCE)


def debt_service(schedules: pd.DataFrame) -> dict[str, Any]:
    """Debt service of each loan per payment date, from
    :func:`nonaligned.strategy.evaluate.schedules`."""
    rows = schedules[["offer_id", "year", "debt_service_usd"]]
    chart = (
        alt.Chart(rows)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("year:Q", title="years from signature"),
            y=alt.Y("debt_service_usd:Q", title="debt service per payment (US$)"),
            color=alt.Color(
                "offer_id:N",
                scale=alt.Scale(range=OKABE_ITO),
                title="offer",
            ),
            tooltip=[
                "offer_id:N",
                alt.Tooltip("year:Q", format=".2f"),
                alt.Tooltip("debt_service_usd:Q", format=",.0f"),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Debt service of each loan")
    )
    return _spec(chart, rows, "The offers document as entered; nonaligned.strategy")


_IDEAL_SOURCE = (
    "Dynamic ideal points fitted on UN General Assembly roll calls (docs/methodology.md)"
)


def ideal_point(table: pd.DataFrame) -> dict[str, Any]:
    """Ideal point by year with a 95% band (±1.96 bootstrap standard errors), from
    :func:`nonaligned.alignment.ideal_points` rows of one country."""
    rows = table[["year", "ideal_point", "se", "n_votes"]]
    base = alt.Chart(_yearly(rows.assign(series=""), "series")).encode(x=_x_year())
    band = (
        base.transform_calculate(
            low="datum.ideal_point - 1.96 * datum.se", high="datum.ideal_point + 1.96 * datum.se"
        )
        .mark_area(opacity=0.25, color="#555555")
        .encode(y=alt.Y("low:Q", title="ideal point (West high)"), y2="high:Q")
    )
    line = base.mark_line(color="#222222", point=alt.OverlayMarkDef(size=10)).encode(
        y="ideal_point:Q",
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("ideal_point:Q", format=".2f"),
            alt.Tooltip("se:Q", format=".2f"),
            "n_votes:Q",
        ],
    )
    chart = alt.layer(band, line).properties(
        width=WIDTH, height=HEIGHT, title="Dynamic ideal point with its 95% band"
    )
    return _spec(chart, rows, _covering(_IDEAL_SOURCE, rows))


def ideal_points_compared(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Several countries' ideal points on one chart (as Voeten's app), colours as in
    :func:`country_colours`."""
    rows = pd.concat(
        [t[["year", "ideal_point", "se", "n_votes"]].assign(country=c) for c, t in tables.items()],
        ignore_index=True,
    )[["country", "year", "ideal_point", "se", "n_votes"]]
    colours = country_colours(list(tables))
    chart = (
        alt.Chart(_yearly(rows, "country"))
        .mark_line(point=alt.OverlayMarkDef(size=12, filled=True))
        .encode(
            x=_x_year(),
            y=alt.Y("ideal_point:Q", title="ideal point (West high)"),
            color=alt.Color(
                "country:N",
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            tooltip=[
                "country:N",
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("ideal_point:Q", format=".2f"),
                alt.Tooltip("se:Q", format=".2f"),
                "n_votes:Q",
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Dynamic ideal points")
    )
    return _spec(chart, rows, _covering(_IDEAL_SOURCE, rows))


def us_trips(trips: pd.DataFrame, note: str) -> dict[str, Any]:
    """A timeline of US Presidents' and Secretaries' trips to one country, from
    :func:`nonaligned.engagement.us_trips`; ``note`` says the evidence is one-sided."""
    rows = trips[["year", "role", "traveller", "start_date", "end_date", "locale"]]
    chart = (
        alt.Chart(rows)
        .mark_tick(thickness=3, size=22)
        .encode(
            x=_x_year(),
            y=alt.Y("role:N", title=None, sort=["president", "secretary"]),
            color=alt.Color(
                "role:N",
                scale=alt.Scale(domain=["president", "secretary"], range=OKABE_ITO[:2]),
                legend=None,
            ),
            tooltip=["traveller:N", "start_date:T", "locale:N"],
        )
        .properties(width=WIDTH, height=90, title="US high-level visits (one-sided evidence)")
    )
    source = f"Office of the Historian, US Department of State. {note}"
    return _spec(chart, rows, _covering(source, rows))
