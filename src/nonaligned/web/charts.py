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

from nonaligned.web.assets import TOPOLOGY_PATH

POLE_COLOURS = {"USA": "#1f77b4", "EU": "#9467bd", "CHN": "#d62728", "RUS": "#2ca02c"}
CLASS_COLOURS = {
    "aligned_west": "#1f77b4",
    "aligned_china": "#d62728",
    "aligned_russia": "#2ca02c",
    "actively_nonaligned": "#ff7f0e",
    "passively_neutral": "#bcbd22",
    "split": "#8c564b",
}
VOTE_COLOURS = {"yes": "#1a9850", "no": "#d73027", "abstain": "#fdae61", "absent": "#bdbdbd"}
WIDTH, HEIGHT = 560, 220
MAP_WIDTH, MAP_HEIGHT = 760, 400


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.to_dict()


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


def agreement(table: pd.DataFrame) -> dict[str, Any]:
    """Agreement with each pole per year, from :func:`nonaligned.alignment.alignment`."""
    chart = (
        alt.Chart(table[["year", "pole", "agreement", "n_votes"]])
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("year:Q", axis=alt.Axis(format="d"), title="year"),
            y=alt.Y("agreement:Q", scale=alt.Scale(domain=[0, 1]), title="agreement"),
            color=alt.Color(
                "pole:N",
                scale=alt.Scale(domain=list(POLE_COLOURS), range=list(POLE_COLOURS.values())),
            ),
            tooltip=["year:Q", "pole:N", alt.Tooltip("agreement:Q", format=".3f"), "n_votes:Q"],
        )
        .properties(
            width=WIDTH, height=HEIGHT, title="UN General Assembly agreement with each pole"
        )
    )
    return _spec(chart)


def trade_shares(table: pd.DataFrame) -> dict[str, Any]:
    """Share of goods trade with each pole per year, from :func:`nonaligned.exposure.trade`."""
    poles = table[table.partner != "WLD"][["year", "partner", "share", "total_usd"]]
    chart = (
        alt.Chart(poles)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("year:Q", axis=alt.Axis(format="d"), title="year"),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title="share of goods trade"),
            color=alt.Color(
                "partner:N",
                scale=alt.Scale(domain=list(POLE_COLOURS), range=list(POLE_COLOURS.values())),
            ),
            tooltip=["year:Q", "partner:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Goods trade with each pole (IMF DOTS)")
    )
    return _spec(chart)


def _choropleth(values: pd.DataFrame, fields: list[str], color: alt.Color, title: str) -> dict:
    outlines = alt.topo_feature(TOPOLOGY_PATH, "countries")
    base = alt.Chart(outlines).mark_geoshape(fill="#eeeeee", stroke="white", strokeWidth=0.4)
    shaded = (
        alt.Chart(outlines)
        .mark_geoshape(stroke="white", strokeWidth=0.4, cursor="pointer")
        .transform_lookup(lookup="id", from_=alt.LookupData(values, "id", fields))
        .transform_filter("isValid(datum.iso3)")
        .encode(color=color, tooltip=[f"{f}:N" for f in fields if f != "id"])
    )
    chart = (
        alt.layer(base, shaded)
        .project("equalEarth")
        .properties(width=MAP_WIDTH, height=MAP_HEIGHT, title=title)
    )
    return _spec(chart)


def world_map(values: pd.DataFrame, title: str) -> dict[str, Any]:
    """Choropleth of ``agreement`` (0-1) from :func:`pole_agreement_by_country`."""
    known = values.dropna(subset=["id"])[["id", "iso3", "name", "agreement", "n_votes"]]
    color = alt.Color(
        "agreement:Q", scale=alt.Scale(domain=[0, 1], scheme="viridis"), title="agreement"
    )
    return _choropleth(known, ["id", "iso3", "name", "agreement", "n_votes"], color, title)


def class_map(values: pd.DataFrame, title: str) -> dict[str, Any]:
    """Choropleth of the index class, from :func:`nonaligned.index.country_index` rows."""
    fields = ["id", "iso3", "name", "class", "lean", "balance", "activity"]
    known = values.dropna(subset=["id"])[fields]
    color = alt.Color(
        "class:N",
        scale=alt.Scale(domain=list(CLASS_COLOURS), range=list(CLASS_COLOURS.values())),
        title="class",
    )
    return _choropleth(known, fields, color, title)


def lean_map(values: pd.DataFrame, title: str) -> dict[str, Any]:
    """Choropleth of the index lean (-1 other pole, +1 West)."""
    fields = ["id", "iso3", "name", "lean", "class"]
    known = values.dropna(subset=["id"])[fields]
    color = alt.Color(
        "lean:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue"), title="lean (+1 West)"
    )
    return _choropleth(known, fields, color, title)


def index_profile(table: pd.DataFrame) -> dict[str, Any]:
    """Lean by year on each axis, points coloured by class, from
    :func:`nonaligned.index.country_profile`."""
    rows = table[["year", "axis", "lean", "balance", "activity", "class"]]
    base = alt.Chart().encode(
        x=alt.X("year:Q", axis=alt.Axis(format="d"), title="year"),
        y=alt.Y("lean:Q", scale=alt.Scale(domain=[-1, 1]), title="lean (+1 West)"),
    )
    line = base.mark_line(color="#999999", strokeWidth=1)
    points = base.mark_point(filled=True, size=30).encode(
        color=alt.Color(
            "class:N",
            scale=alt.Scale(domain=list(CLASS_COLOURS), range=list(CLASS_COLOURS.values())),
        ),
        tooltip=[
            "year:Q",
            "axis:N",
            "class:N",
            alt.Tooltip("lean:Q", format=".2f"),
            alt.Tooltip("balance:Q", format=".2f"),
            alt.Tooltip("activity:Q", format=".2f"),
        ],
    )
    chart = (
        alt.layer(line, points, data=rows)
        .properties(width=WIDTH, height=140)
        .facet(row=alt.Row("axis:N", title=None))
        .properties(title="Active-nonalignment index: lean and class by year")
    )
    return _spec(chart)


def vote_map(votes: pd.DataFrame, symbol: str) -> dict[str, Any]:
    """Choropleth of yes/no/abstain/absent on one roll call."""
    known = votes.dropna(subset=["id"])[["id", "iso3", "country", "vote"]]
    color = alt.Color(
        "vote:N",
        scale=alt.Scale(domain=list(VOTE_COLOURS), range=list(VOTE_COLOURS.values())),
        title="vote",
    )
    return _choropleth(known, ["id", "iso3", "country", "vote"], color, f"Votes on {symbol}")


def comparison(tables: dict[str, pd.DataFrame], pole: str) -> dict[str, Any]:
    """Agreement with one pole per year, one line per country (alignment frames by ISO3)."""
    rows = pd.concat(
        [t[t.pole == pole][["iso3", "year", "agreement", "n_votes"]] for t in tables.values()],
        ignore_index=True,
    )
    chart = (
        alt.Chart(rows)
        .mark_line()
        .encode(
            x=alt.X("year:Q", axis=alt.Axis(format="d"), title="year"),
            y=alt.Y("agreement:Q", scale=alt.Scale(domain=[0, 1]), title=f"agreement with {pole}"),
            color=alt.Color("iso3:N", title="country"),
            tooltip=["iso3:N", "year:Q", alt.Tooltip("agreement:Q", format=".3f"), "n_votes:Q"],
        )
        .properties(width=WIDTH, height=HEIGHT, title=f"Agreement with {pole}")
    )
    return _spec(chart)


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
            color=alt.Color("offer_id:N", title="offer"),
            tooltip=["offer_id:N", "year:Q", alt.Tooltip("debt_service_usd:Q", format=",.0f")],
        )
        .properties(width=WIDTH, height=HEIGHT, title="Debt service of each loan")
    )
    return _spec(chart)


def ideal_point(table: pd.DataFrame) -> dict[str, Any]:
    """Ideal point by year with a 95% band (±1.96 bootstrap standard errors), from
    :func:`nonaligned.alignment.ideal_points` rows of one country."""
    rows = table[["year", "ideal_point", "se", "n_votes"]]
    base = alt.Chart(rows).encode(x=alt.X("year:Q", axis=alt.Axis(format="d"), title="year"))
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
            "year:Q",
            alt.Tooltip("ideal_point:Q", format=".2f"),
            alt.Tooltip("se:Q", format=".2f"),
            "n_votes:Q",
        ],
    )
    return _spec(
        alt.layer(band, line).properties(
            width=WIDTH, height=HEIGHT, title="Dynamic ideal point with its 95% band"
        )
    )
