"""Write docs/validation.md: the index's classes against published classifications.

Run on a built store (``NONALIGNED_DB`` or the default path)::

    python benchmarks/validation_table.py            # writes docs/validation.md
    python benchmarks/validation_table.py -          # prints it instead

Every number in the generated tables about *our* classification is computed
here from the store. The published figures are typed below, each with its
source, as reference data for the comparison; they are not used by the
library or its tests. The A/RES/ES-11/1 votes are read from the store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from nonaligned import alignment
from nonaligned.index import CLASSES, country_index
from nonaligned.index.axes import AXES
from nonaligned.index.ideal import ideal_point_lean
from nonaligned.index.sensitivity import sensitivity
from nonaligned.measures.poles import eu_members
from nonaligned.store import connect

OUT = Path(__file__).resolve().parents[1] / "docs" / "validation.md"

# Economist Intelligence Unit, counts of countries by stance on Russia's war.
# 2022: EIU global forecasting team, "Russia can count on support from many
# developing countries" (eiu.com, March 2022); The Economist, "Who are
# Russia's supporters?", Graphic detail, 4 April 2022 (131 against Russia).
# 2023: EIU analysis of March 2023 as charted by Statista (A. Fleck, "Where
# countries stand on Russia", May 2023): Russia-leaning 29 -> 35, West-leaning
# or condemning 131 -> 122, neutral 32 -> 35. "Russia-leaning" includes the
# EIU's "supportive of Russia"; "West-leaning" includes "condemning Russia".
EIU = {
    2022: {"West-leaning": 131, "neutral": 32, "Russia-leaning": 29},
    2023: {"West-leaning": 122, "neutral": 35, "Russia-leaning": 35},
}
EIU_SOURCE = (
    "EIU, *Russia can count on support from many developing countries* (March 2022) and "
    "The Economist, *Who are Russia's supporters?* (4 April 2022) for 2022; the EIU's "
    "March 2023 update as charted by Statista (A. Fleck, *Where countries stand on "
    "Russia*, May 2023) for 2023"
)
THREE_WAY = {
    "aligned_west": "West-leaning",
    "aligned_russia": "Russia-leaning",
    "aligned_china": "neutral",
    "actively_nonaligned": "neutral",
    "passively_neutral": "neutral",
    "split": "neutral",
}
VOTE_STANCE = {"yes": "West-leaning", "no": "Russia-leaning", "abstain": "neutral"}
COMPARED_YEARS = (2020, 2021, 2022, 2023)
ES11_FIGURES = (
    "year",
    "n",
    "agreement",
    "kappa",
    "yes_vs_lean_west_agreement",
    "yes_vs_lean_west_kappa",
)


def table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A GitHub markdown table (no extra dependency)."""
    cells = frame.astype(object).where(frame.notna(), "")
    rows = [
        [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row]
        for row in cells.itertuples(index=False)
    ]
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    return "\n".join([header, rule, *("| " + " | ".join(r) + " |" for r in rows)])


def class_counts(index: pd.DataFrame) -> pd.DataFrame:
    counts = (
        index.dropna(subset=["class"])
        .groupby(["year", "axis"])["class"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=list(CLASSES), fill_value=0)
    )
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index()


def _stances(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Three-way stances of classified rows: by class, and by the sign of the combined lean."""
    classified = frame.dropna(subset=["class"])
    sign = np.sign(classified["lean"]).map({1.0: "West-leaning", -1.0: "Russia-leaning"})
    return classified["class"].map(THREE_WAY), sign.fillna("neutral")


def eiu_table(index: pd.DataFrame, agreement: pd.DataFrame) -> pd.DataFrame:
    """EIU counts beside ours: classes and lean signs, default and agreement-only readings."""
    rows = []
    for year, published in EIU.items():
        counts = {}
        for reading, frame in (("", index), (" (agreement only)", agreement)):
            ours = frame[(frame.year == year) & (frame.axis == "west-russia")]
            by_class, by_sign = _stances(ours)
            counts[f"index classes{reading}"] = by_class.value_counts()
            counts[f"index lean sign{reading}"] = by_sign.value_counts()
        for stance, count in published.items():
            rows.append(
                {
                    "year": year,
                    "stance": stance,
                    "EIU countries": count,
                    **{name: int(c.get(stance, 0)) for name, c in counts.items()},
                }
            )
    return pd.DataFrame(rows)


def readings_table(index: pd.DataFrame, agreement: pd.DataFrame, year: int) -> pd.DataFrame:
    """Class counts of ``year`` with both readings of the votes, and how far they diverge."""
    rows = []
    for reading, frame in (("default", index), ("agreement only", agreement)):
        ours = frame[frame.year == year].dropna(subset=["class"])
        for axis, group in ours.groupby("axis"):
            counts = group["class"].value_counts()
            rows.append(
                {
                    "axis": axis,
                    "reading": reading,
                    **{name: int(counts.get(name, 0)) for name in CLASSES},
                }
            )
    return pd.DataFrame(rows)


def ideal_diagnostics(con, index: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per axis: correlation of the agreement reading with the ideal-point reading, and the
    share of states each puts at a pole (|lean| = 1).

    The position-between-poles formula assumes states lie between the poles;
    a reading that puts many at exactly +/-1 (clipped) says they lie beyond one.
    The ideal-point reading is computed on both axes here, although the index
    uses it on West-China only (``Axis.ideal_point_reading``): this table is
    the evidence for that rule.
    """
    theta = alignment.ideal_points(con, None, n_boot=0)
    theta = theta[theta.year == year].set_index("iso3")["ideal_point"]
    members = eu_members(con.execute("SELECT * FROM memberships").df(), np.array([year]))
    eu = set(members["iso3"])
    ours = index[index.year == year]
    rows = []
    for axis, group in ours.groupby("axis"):
        ideal = ideal_point_lean(theta, eu, AXES[axis].other).rename("lean_ideal_point")
        both = group.set_index("iso3")[["lean_vote_agreement"]].join(ideal).dropna()
        rows.append(
            {
                "axis": axis,
                "ideal points used": AXES[axis].ideal_point_reading,
                "states": len(both),
                "correlation": both.corr().iloc[0, 1],
                "agreement reading at -1 or +1": float(
                    np.mean(both["lean_vote_agreement"].abs() >= 1)
                ),
                "ideal-point reading at -1 or +1": float(
                    np.mean(both["lean_ideal_point"].abs() >= 1)
                ),
                "ideal-point reading < -1/3": int((both["lean_ideal_point"] < -1 / 3).sum()),
                "agreement reading < -1/3": int((both["lean_vote_agreement"] < -1 / 3).sum()),
            }
        )
    return pd.DataFrame(rows)


def es11_votes(con) -> pd.DataFrame:
    return con.execute(
        """SELECT v.iso3, v.vote FROM votes v JOIN roll_calls r USING (roll_call_id)
           WHERE r.symbol = 'A/RES/ES-11/1'"""
    ).df()


def agreement_kappa(a: pd.Series, b: pd.Series) -> tuple[float, float]:
    """Share of equal labels and Cohen's kappa (chance-corrected) of two label series."""
    agree = float(np.mean(a.to_numpy() == b.to_numpy()))
    pa, pb = a.value_counts(normalize=True), b.value_counts(normalize=True)
    expected = sum(pa.get(s, 0) * pb.get(s, 0) for s in set(pa.index) | set(pb.index))
    return agree, (agree - expected) / (1 - expected) if expected < 1 else np.nan


def es11_comparison(index: pd.DataFrame, votes: pd.DataFrame, year: int) -> dict:
    """The index's West–Russia classes (and lean signs) of ``year`` against the ES-11/1 vote."""
    ours = index[(index.year == year) & (index.axis == "west-russia")].dropna(subset=["class"])
    both = votes.merge(ours[["iso3", "class", "lean"]], on="iso3")
    cast = both[both.vote.isin(VOTE_STANCE)].copy()
    cast["vote_stance"] = cast.vote.map(VOTE_STANCE)
    cast["index_stance"] = cast["class"].map(THREE_WAY)
    crosstab = pd.crosstab(cast["class"], cast["vote"]).reindex(
        columns=["yes", "abstain", "no"], fill_value=0
    )
    agree, kappa = agreement_kappa(cast.vote_stance, cast.index_stance)
    sign_agree, sign_kappa = agreement_kappa(cast.vote == "yes", cast["lean"] > 0)
    disagree = cast[cast.vote_stance != cast.index_stance]
    return {
        "year": year,
        "n": len(cast),
        "agreement": agree,
        "kappa": kappa,
        "yes_vs_lean_west_agreement": sign_agree,
        "yes_vs_lean_west_kappa": sign_kappa,
        "crosstab": crosstab.reset_index(),
        "disagreements": disagree.groupby(["vote", "class"])["iso3"]
        .apply(lambda s: ", ".join(sorted(s)))
        .reset_index()
        .rename(columns={"iso3": "countries"}),
    }


def pole_positions(con, year: int) -> pd.DataFrame:
    """Ideal points of the poles and the median state in ``year`` (the fit the index uses),
    with the number of states further from the US on the line than each."""
    theta = alignment.ideal_points(con, None, n_boot=0)
    theta = theta[theta.year == year].set_index("iso3")["ideal_point"]
    members = eu_members(con.execute("SELECT * FROM memberships").df(), np.array([year]))
    eu = theta.reindex(members["iso3"]).dropna()
    values = {
        "USA": theta.get("USA"),
        "EU (mean of members)": eu.mean(),
        "median UN member": theta.median(),
        "RUS": theta.get("RUS"),
        "CHN": theta.get("CHN"),
    }
    gap = (theta - values["USA"]).abs()
    return pd.DataFrame(
        [
            {
                "voter": name,
                "ideal_point": value,
                "states further from the US": int((gap > abs(value - values["USA"])).sum()),
            }
            for name, value in values.items()
        ]
    )


def discussion(
    first: dict,
    counts: pd.DataFrame,
    eiu: pd.DataFrame,
    readings: pd.DataFrame,
    diagnostics: pd.DataFrame,
    summary: pd.DataFrame,
    facts: dict[str, int],
) -> list[str]:
    """The disagreements in words, with the numbers of this run."""
    crosstab = first["crosstab"].set_index("class")
    listed = first["disagreements"].set_index(["vote", "class"])["countries"]

    def names(vote: str, label: str) -> str:
        return listed.get((vote, label), "none")

    def eiu_cell(year: int, stance: str, column: str) -> int:
        row = eiu[(eiu.year == year) & (eiu.stance == stance)]
        return int(row[column].item())

    def reading(axis: str, name: str, label: str) -> int:
        row = readings[(readings.axis == axis) & (readings.reading == name)]
        return int(row[label].item())

    def clipped(axis: str, column: str) -> str:
        share = diagnostics.set_index("axis").loc[axis, f"{column} reading at -1 or +1"]
        return f"{100 * share:.0f} percent"

    def es11(name: str, year: int, column: str) -> str:
        row = summary[(summary.reading == name) & (summary["index year"] == year)]
        return f"{row[column].item():.2f}"

    yes = crosstab["yes"]
    china = counts[counts.axis == "west-china"].set_index("year")["aligned_china"]
    both, agree_only = "default", "agreement only"
    return [
        "### Discussion",
        "",
        "* **EIU 'leaning' is broader than our 'aligned'.** The EIU sorts every "
        "country into one of three stances on one war, so any tilt counts as "
        "leaning; the index calls a state aligned only when its lean passes a third "
        "of the way between the poles, and balanced otherwise. A fairer comparison "
        "with the EIU's leaning is the *sign* of our combined lean (does the state "
        "lean West at all?). It is still far from the EIU: in 2022, "
        f"{eiu_cell(2022, 'West-leaning', 'index lean sign')} states lean West and "
        f"{eiu_cell(2022, 'Russia-leaning', 'index lean sign')} lean to Russia "
        f"({eiu_cell(2022, 'West-leaning', 'index lean sign (agreement only)')} and "
        f"{eiu_cell(2022, 'Russia-leaning', 'index lean sign (agreement only)')} "
        "with vote agreement only), against the EIU's "
        f"{eiu_cell(2022, 'West-leaning', 'EIU countries')} and "
        f"{eiu_cell(2022, 'Russia-leaning', 'EIU countries')}.",
        "* **The index reads the whole General Assembly agenda, the EIU one "
        "war.** The emergency session on Ukraine (ES-11) gave "
        f"{facts['es11_2022']} of the {facts['roll_calls_2022']} roll calls of 2022; "
        "the rest of the agenda (development, decolonisation, the Middle East, "
        "disarmament, human rights in named countries) is where the General "
        "Assembly's main division between the US-led West and the G77 runs. A state "
        "that condemned the invasion but votes with the G77 on the rest of the "
        "agenda stands nearer Russia than the West in the index (by vote agreement "
        "alone, "
        f"{eiu_cell(2022, 'Russia-leaning', 'index lean sign (agreement only)')} "
        "states lean to Russia in 2022). "
        "The two measure different things; the index is not a forecast of the "
        "EIU's stance, and thresholds were not tuned to it.",
        "* **Why ideal points read the West–China axis only.** On the one "
        "dimension of the ideal-point model (the US-led liberal order against its "
        "critics) Russia sits close to the middle of the General Assembly, on the "
        "Western side of the median member (table above), so most states lie "
        "*beyond* Russia as seen from the West. The position-between-poles formula "
        "assumes states lie between the poles: in 2020 the ideal-point reading would "
        f"put {clipped('west-russia', 'ideal-point')} of states at a pole on "
        f"West–Russia, against {clipped('west-russia', 'agreement')} for vote "
        f"agreement (West–China: {clipped('west-china', 'ideal-point')} and "
        f"{clipped('west-china', 'agreement')}). A one-dimensional model cannot "
        "place three poles and the states between them, so West–Russia reads vote "
        "agreement alone and its classes equal the agreement-only ones. On the "
        "West–China axis, where China lies near the far end of the dimension, the "
        "ideal points move states towards China "
        f"({reading('west-china', both, 'aligned_china')} aligned with China against "
        f"{reading('west-china', agree_only, 'aligned_china')} with agreement only). "
        f"In 2020, {facts['split_votes_russia_trade_west']} of the "
        f"{facts['split_2020']} West–Russia split states lean to Russia in votes and "
        "to the West in trade. `--no-ideal-points` gives the agreement-only reading; "
        "the sensitivity tables below show both.",
        "* **Class probabilities leave out the ideal points' own uncertainty.** "
        "The ideal-point reading is held fixed across the roll-call bootstrap "
        "(docs/methodology.md): on West–China half of the diplomatic lean does not "
        "vary across "
        "replicates, so the class probabilities understate the uncertainty of the "
        "diplomatic lean.",
        f"* **Yes-voters the index calls balanced.** Of the {int(yes.sum())} states "
        f"that voted yes on ES-11/1 and have a {first['year']} class, "
        f"{int(yes.get('aligned_west', 0))} are aligned with the West, "
        f"{int(yes.get('actively_nonaligned', 0))} actively nonaligned, "
        f"{int(yes.get('passively_neutral', 0))} passively neutral, "
        f"{int(yes.get('split', 0))} split and "
        f"{int(yes.get('aligned_russia', 0))} aligned with Russia. A yes on one "
        "resolution about a war of conquest is not alignment: many Global South "
        "states voted yes while keeping their distance from the West on the rest of "
        "the agenda.",
        "* **States the index aligns with Russia abstained.** "
        f"{names('abstain', 'aligned_russia')} are aligned with Russia in the index "
        "and abstained rather than voted no. Abstention was the cheap option for "
        "Russia's partners, so the vote understates Russia-leaning states; the EIU "
        "also counts China as Russia-leaning.",
        f"* **Split states.** {names('yes', 'split')} voted yes and are split in "
        "the index: their votes lean one way and their trade (beyond what the "
        "poles' size predicts) the other. The trade tie is reported rather than "
        "hidden.",
        "* **The 2021 break.** Trade ends in 2020: from 2021 the classes rest on "
        "votes and memberships only (`basis` = `votes+memberships`), and the count "
        f"aligned with China jumps from {int(china.get(2020, 0))} (2020) to "
        f"{int(china.get(2021, 0))} (2021), because in General Assembly votes most "
        "of the G77 stands nearer China than the West while their trade says "
        "otherwise. Classes after 2020 should be read as diplomatic classes, not as "
        "the full index.",
    ]


def render(con) -> str:
    index = country_index(con, n_boot=200)
    agreement = pd.concat(
        country_index(con, year=year, n_boot=0, ideal_points=False) for year in COMPARED_YEARS
    )
    votes = es11_votes(con)
    counts = class_counts(index[index.year.isin([2017, 2020, 2021, 2022, 2023])])
    probability = index[(index.year == 2020)].groupby("axis")["class_probability"].describe()
    eiu = eiu_table(index, agreement)
    readings = readings_table(index, agreement, 2020)
    diagnostics = ideal_diagnostics(con, index, 2020)
    es11 = [es11_comparison(index, votes, year) for year in (2020, 2021, 2022)]
    es11_agreement = [es11_comparison(agreement, votes, year) for year in (2020, 2021, 2022)]
    summary = pd.DataFrame(
        [
            {"reading": reading, **{k: v for k, v in e.items() if k in ES11_FIGURES}}
            for reading, entries in (("both", es11), ("agreement only", es11_agreement))
            for e in entries
        ]
    ).rename(columns={"year": "index year", "n": "states compared"})
    vote_counts = votes.vote.value_counts()
    (n_2022,) = con.execute("SELECT count(*) FROM roll_calls WHERE year = 2022").fetchone()
    parts = [
        "# Validation of the active-nonalignment index",
        "",
        "*Generated by `python benchmarks/validation_table.py` from the store and "
        "`nonaligned.index` (default thresholds, diplomatic lean from vote agreement, "
        "with ideal points on West–China, 200 bootstrap replicates, seed 0). "
        "Do not edit by hand; rerun after changing the method.*",
        "",
        "Published classifications are few and coarse, and none measures exactly "
        "what the index measures (the EIU judges a stance on one war; the index "
        "measures positions between two poles over a year). Agreement is therefore "
        "evidence of face validity, and the disagreements are listed so that a reader "
        "can judge them. docs/methodology.md explains every component.",
        "",
        "## Our classes",
        "",
        "Countries per class, axis and year. Trade ends in 2020, so from 2021 on the "
        "classes rest on votes and memberships only and activity on vote participation "
        "only (most balanced states then count as active).",
        "",
        table(counts),
        "",
        "Class probability of the assigned class in 2020 (bootstrap over roll calls and "
        "over the reporters behind the trade expectation):",
        "",
        table(probability.reset_index()),
        "",
        "## Two readings of the votes",
        "",
        "On West–China the diplomatic lean is the mean of the position between the "
        "poles from vote agreement and from the dynamic ideal points; West–Russia "
        "reads vote agreement only (docs/methodology.md, and the clipping below). Class "
        "counts in 2020 by default and with agreement only "
        "(`--no-ideal-points`):",
        "",
        table(readings),
        "",
        "How the two readings relate in 2020: their correlation across states, the "
        "share of states each puts at a pole (|lean| = 1: beyond the pole, clipped), "
        "and the states past a third of the way to the other pole:",
        "",
        table(diagnostics),
        "",
        "The ideal points behind them in 2020, and how many states lie further from "
        "the US on the line than each:",
        "",
        table(pole_positions(con, 2020)),
        "",
        "## Economist Intelligence Unit: West-leaning, neutral, Russia-leaning",
        "",
        f"Published counts: {EIU_SOURCE}. The EIU weighs sanctions, UN votes, official "
        "statements and economic, political and historical ties, judged by analysts. "
        "The index's West–Russia axis is mapped as: aligned with the West → "
        "West-leaning; aligned with Russia → Russia-leaning; every other class "
        "(actively nonaligned, passively neutral, split) → neutral (`index classes`). "
        "Because the EIU's 'leaning' takes in any tilt, the sign of our combined "
        "lean is shown beside it (`index lean sign`: lean > 0 West-leaning, < 0 "
        "Russia-leaning, none neutral), each also with agreement only.",
        "",
        table(eiu),
        "",
        "## Country by country: the vote on A/RES/ES-11/1 (2 March 2022)",
        "",
        "The one published country-level classification the store holds: each "
        "state's vote on the resolution deploring Russia's invasion of Ukraine "
        f"(in the store: {vote_counts.get('yes', 0)} yes, {vote_counts.get('no', 0)} no, "
        f"{vote_counts.get('abstain', 0)} abstentions, {vote_counts.get('absent', 0)} "
        "absent). Yes is read as West-leaning, no as Russia-leaning, abstention as "
        "neutral; absent states are left out. The index's West–Russia class of 2020 "
        "(the last year with trade) and 2021 (before the invasion) *predict* the "
        f"vote; 2022 includes it among its {n_2022} roll calls, so that row is not "
        "independent. Agreement is the share of states whose stance matches; "
        "kappa corrects it for chance (Cohen). The `yes_vs_lean_west` columns "
        "compare a yes vote with a combined lean above 0 (any tilt West), "
        "two categories, so they do not depend on the lean threshold.",
        "",
        table(summary),
        "",
    ]
    for entry in es11:
        parts += [
            f"### Index {entry['year']} (West–Russia) against the ES-11/1 vote",
            "",
            table(entry["crosstab"]),
            "",
            "Disagreements (vote, our class: countries):",
            "",
            table(entry["disagreements"]),
            "",
        ]
    split = index[(index.year == 2020) & (index.axis == "west-russia")]
    split = split[split["class"] == "split"]
    (n_es11,) = con.execute(
        "SELECT count(*) FROM roll_calls WHERE year = 2022 AND symbol LIKE 'A/RES/ES-11/%'"
    ).fetchone()
    facts = {
        "es11_2022": n_es11,
        "roll_calls_2022": n_2022,
        "split_2020": len(split),
        "split_votes_russia_trade_west": int(
            ((split.lean_diplomatic < 0) & (split.lean_economic > 0)).sum()
        ),
    }
    parts += [*discussion(es11[0], counts, eiu, readings, diagnostics, summary, facts), ""]
    parts += [
        "## IMF three-bloc split (Gopinath, Gourinchas, Presbitero and Topalova 2024)",
        "",
        "Gopinath et al. (2024, IMF Working Paper 24/76, *Changing Global Linkages: "
        "A New Cold War?*) group economies into a US-leaning bloc, a China-leaning "
        "bloc and nonaligned countries from their foreign-policy alignment in UNGA "
        "voting. Their country list could not be read in this environment (no "
        "network access beyond package registries), so no country-level agreement "
        "is computed. For a side-by-side reading, the index's West–China counts "
        "map onto their three blocs as aligned with the West / aligned with China / "
        "all other classes:",
        "",
        table(
            counts[counts.axis == "west-china"].assign(
                us_leaning=lambda f: f["aligned_west"],
                china_leaning=lambda f: f["aligned_china"],
                nonaligned=lambda f: f["actively_nonaligned"] + f["passively_neutral"] + f["split"],
            )[["year", "us_leaning", "china_leaning", "nonaligned", "total"]]
        ),
        "",
        "## Sensitivity",
        "",
        "Each row changes one choice against the baseline; `same_class_share` is "
        "the share of countries that keep their baseline class (`nonaligned "
        "sensitivity --year Y --axis A`). 2017 is the last year with the "
        "important-vote flag; 2020 the last with trade (no issue codes: the Middle "
        "East subset keeps every roll call of the year, and differs from the "
        "baseline only through the ideal points, fitted on the whole record with "
        "the earlier years' Middle East votes left out; the important subset is "
        "empty).",
        "",
    ]
    for year in (2017, 2020):
        for axis in ("west-china", "west-russia"):
            report = sensitivity(con, year, axis).drop(columns=["year", "axis"])
            parts += [f"### {year}, {axis}", "", table(report), ""]
    return "\n".join(parts)


def main() -> None:
    text = render(connect(None))
    if sys.argv[1:] == ["-"]:
        print(text)
    else:
        OUT.write_text(text + "\n", encoding="utf-8")
        print(f"wrote={OUT}")


if __name__ == "__main__":
    main()
