"""Write docs/validation.md: the index's classes against what the field already knows.

Run on a built store (``NONALIGNED_DB`` or the default path)::

    python benchmarks/validation_table.py            # writes docs/validation.md
    python benchmarks/validation_table.py -          # prints it instead

Every number about *our* classification is computed here from the store.
The reference material is typed below, each item with its source: the EIU's
published counts, and the lists of well-known cases the classes must get
right (US treaty allies in the Pacific, the "swing states" of the
hedging literature, Russia's closest partners). They are reference data for
the comparison, not used by the library or its tests. The A/RES/ES-11/1
votes are read from the store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import nonaligned
from nonaligned import query
from nonaligned.index import CLASSES, country_index
from nonaligned.index.api import compute, fitted_ideal_points
from nonaligned.index.economic import expected_shares
from nonaligned.index.institutional import GROUPINGS
from nonaligned.index.sensitivity import MEMBERSHIP_VARIANTS, sensitivity
from nonaligned.index.store_inputs import load
from nonaligned.measures.trade import IMPORTER_FACTOR

OUT = Path(__file__).resolve().parents[1] / "docs" / "validation.md"

# Economist Intelligence Unit, counts of countries by stance on Russia's war.
# 2022: EIU global forecasting team, "Russia can count on support from many
# developing countries" (eiu.com, March 2022); The Economist, "Who are
# Russia's supporters?", Graphic detail, 4 April 2022 (131 against Russia).
# 2023: EIU analysis of March 2023 as charted by Statista (A. Fleck, "Where
# countries stand on Russia", May 2023): Russia-leaning 29 -> 35, West-leaning
# or condemning 131 -> 122, neutral 32 -> 35.
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
    "actively_nonaligned": "neutral",
    "passively_neutral": "neutral",
    "split": "neutral",
}
# Well-known cases (expert consensus the index must reproduce):
# * US treaty allies of the Pacific: the US-Japan and US-Korea treaties, ANZUS
#   (memberships/SOURCES.md of the data mirror);
# * "swing states" that hedge between the powers: Spektor, "In Defense of the
#   Fence Sitters", Foreign Affairs 102(3), 2023; Heine, Fortin and Ominami (2023);
# * Russia's closest partners (issue #13's list): Russia itself, Belarus (Union
#   State), North Korea (treaties with China, 1961, and Russia, 2024), Syria
#   (voted no on A/RES/ES-11/1) and Nicaragua (Ortega's government).
PACIFIC_ALLIES = ("JPN", "KOR", "AUS", "NZL")
SWING_STATES = ("IND", "BRA", "ZAF", "IDN", "SAU", "ARE")
RUSSIA_PARTNERS = ("RUS", "BLR", "PRK", "NIC", "SYR")
ALLY_YEARS = range(2000, 2025)
SWING_YEARS = (2022, 2024)
SHOWN_YEARS = (2000, 2010, 2017, 2020, 2021, 2022, 2023, 2024, 2025)
MAX_EDGE_JUMP = 15  # the bound on the change in aligned-with-China at the data edge


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
    """Countries per class, year and axis (classified rows only)."""
    counts = (
        index.dropna(subset=["class"])
        .groupby(["year", "axis"])["class"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=list(CLASSES), fill_value=0)
    )
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index()


def auc(scores: pd.Series, positive: pd.Series) -> float:
    """Area under the ROC curve: the chance that a positive outscores a negative (ties 1/2)."""
    pos, neg = scores[positive].to_numpy(), scores[~positive].to_numpy()
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def es11_votes(store) -> pd.DataFrame:
    return query.resolution_votes(store, "A/RES/ES-11/1")[["iso3", "vote"]]


def _classes(index: pd.DataFrame, axis: str) -> pd.Series:
    return index[index.axis == axis].set_index(["iso3", "year"])["class"]


def expert_checks(index: pd.DataFrame, votes: pd.DataFrame, last_trade: int) -> pd.DataFrame:
    """One row per check the issue sets, with what holds and the exceptions."""
    china, russia = _classes(index, "west-china"), _classes(index, "west-russia")
    rows = []

    def check(name: str, exceptions: list[str], tested: int) -> None:
        rows.append(
            {
                "check": name,
                "cases": tested,
                "holds": not exceptions,
                "exceptions": ", ".join(exceptions) or "none",
            }
        )

    pairs = [(c, y) for c in PACIFIC_ALLIES for y in ALLY_YEARS]
    check(
        "West–China: JPN, KOR, AUS, NZL aligned with the West, every year 2000–2024",
        [f"{c} {y} ({china.get((c, y))})" for c, y in pairs if china.get((c, y)) != "aligned_west"],
        len(pairs),
    )
    pairs = [(c, y) for c in SWING_STATES for y in SWING_YEARS]
    check(
        "West–China: IND, BRA, ZAF, IDN, SAU, ARE aligned with neither pole, 2022 and 2024",
        [
            f"{c} {y} ({china.get((c, y))})"
            for c, y in pairs
            if china.get((c, y)) in ("aligned_west", "aligned_china")
        ],
        len(pairs),
    )
    check(
        "West–China: RUS, BLR, PRK, NIC, SYR aligned with China, 2022",
        [
            f"{c} ({china.get((c, 2022))})"
            for c in RUSSIA_PARTNERS
            if china.get((c, 2022)) != "aligned_china"
        ],
        len(RUSSIA_PARTNERS),
    )
    no = sorted(votes.loc[votes.vote == "no", "iso3"])
    check(
        "West–Russia: the states that voted no on ES-11/1 aligned with Russia, 2022",
        [f"{c} ({russia.get((c, 2022))})" for c in no if russia.get((c, 2022)) != "aligned_russia"],
        len(no),
    )
    at_edge = [
        int((china.xs(year, level="year") == "aligned_china").sum())
        for year in (last_trade, last_trade + 1)
    ]
    jump = abs(at_edge[1] - at_edge[0])
    check(
        f"West–China: aligned with China changes by at most {MAX_EDGE_JUMP} from "
        f"{last_trade} (last trade year) to {last_trade + 1}: {at_edge[0]} → {at_edge[1]}",
        [f"changed by {jump}"] if jump > MAX_EDGE_JUMP else [],
        2,
    )
    return pd.DataFrame(rows)


def es11_separation(index: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """AUC of the West–Russia leans of 2021 (the year before) for a yes on ES-11/1."""
    year = index[(index.year == 2021) & (index.axis == "west-russia")]
    cast = votes[votes.vote.isin(["yes", "no", "abstain"])].merge(year, on="iso3")
    rows = []
    for column in ("lean", "lean_diplomatic", "lean_vote_agreement", "lean_position"):
        usable = cast.dropna(subset=[column])
        rows.append(
            {
                "2021 lean": column,
                "states": len(usable),
                "AUC (yes vs no or abstain)": auc(usable[column], usable.vote == "yes"),
            }
        )
    return pd.DataFrame(rows)


def es11_crosstab(index: pd.DataFrame, votes: pd.DataFrame, year: int) -> pd.DataFrame:
    ours = index[(index.year == year) & (index.axis == "west-russia")].dropna(subset=["class"])
    both = votes[votes.vote.isin(["yes", "abstain", "no"])].merge(ours, on="iso3")
    return (
        pd.crosstab(both["class"], both["vote"])
        .reindex(columns=["yes", "abstain", "no"], fill_value=0)
        .reset_index()
    )


def eiu_table(index: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year, published in EIU.items():
        ours = index[(index.year == year) & (index.axis == "west-russia")].dropna(subset=["class"])
        by_class = ours["class"].map(THREE_WAY).value_counts()
        by_sign = np.sign(ours["lean"]).map({1.0: "West-leaning", -1.0: "Russia-leaning"})
        by_sign = by_sign.fillna("neutral").value_counts()
        for stance, count in published.items():
            rows.append(
                {
                    "year": year,
                    "stance": stance,
                    "EIU countries": count,
                    "index classes": int(by_class.get(stance, 0)),
                    "index lean sign": int(by_sign.get(stance, 0)),
                }
            )
    return pd.DataFrame(rows)


def west_divided(index: pd.DataFrame) -> pd.DataFrame:
    years = index[index.year >= 2015].drop_duplicates("year").sort_values("year")
    return years[["year", "n_roll_calls", "usa_eu_agreement", "west_divided", "provisional"]]


def china_expectation(store, year: int) -> pd.DataFrame:
    """China's expected trade share with and without Hong Kong and Macao as reporters."""
    inputs = load(store, [year], IMPORTER_FACTOR)
    trade = inputs.trade[inputs.trade.year == year]
    members = inputs.side_members(year)
    rng = np.random.default_rng(0)
    rows = []
    for label, left_out in (("without HKG, MAC (default)", None), ("with HKG, MAC", frozenset())):
        options = {} if left_out is None else {"left_out": left_out}
        shares = expected_shares(trade, members, 0, rng, **options)
        rows.append({"reporters": label, "China's expected share": shares["CHN"][0]})
    return pd.DataFrame(rows)


def variant_classes(store, year: int, axis: str, countries: tuple[str, ...]) -> pd.DataFrame:
    """Classes of ``countries`` under each membership variant of the sensitivity report."""
    inputs = load(store, [year], IMPORTER_FACTOR)
    ideal = fitted_ideal_points(store, None)
    columns = {}
    for name, groupings in {"default": GROUPINGS, **MEMBERSHIP_VARIANTS}.items():
        frame = compute(inputs, n_boot=0, groupings=groupings, ideal_points=ideal)
        frame = frame[frame.axis == axis].set_index("iso3")
        columns[name] = frame["class"].reindex(list(countries))
    return pd.DataFrame(columns).rename_axis("iso3").reset_index()


def render(store) -> str:
    index = country_index(store, n_boot=0)
    boot = country_index(store, year=2022, n_boot=200)
    votes = es11_votes(store)
    last_trade = query.latest(store, "trade_flows", "year")
    counts = class_counts(index[index.year.isin(SHOWN_YEARS)])
    checks = expert_checks(index, votes, int(last_trade))
    separation = es11_separation(index, votes)
    eiu = eiu_table(index)
    crosstab = es11_crosstab(index, votes, 2022)
    probability = boot.groupby("axis")["class_probability"].describe().reset_index()
    known = (*PACIFIC_ALLIES, *SWING_STATES, *RUSSIA_PARTNERS)
    close_calls = (
        boot[(boot.axis == "west-china") & boot.iso3.isin(known)]
        .set_index("iso3")
        .loc[list(known), ["class", "class_probability", "lean", "lean_diplomatic"]]
        .reset_index()
    )
    variants = variant_classes(store, 2022, "west-china", known)
    close = close_calls.set_index("iso3")
    rio = variants.set_index("iso3")["Rio Treaty as a Western treaty"]
    brazil = index[(index.iso3 == "BRA") & (index.axis == "west-china")].set_index("year")
    yes_classes = crosstab.set_index("class")["yes"]
    eiu_cell = eiu.set_index(["year", "stance"])
    vote_counts = votes.vote.value_counts()
    provisional = sorted(index.loc[index.provisional, "year"].unique().tolist())
    parts = [
        "# Validation of the active-nonalignment index",
        "",
        "*Generated by `python benchmarks/validation_table.py` from the store and "
        "`nonaligned.index` (default `Thresholds`, diplomatic lean from vote agreement "
        "and ideal points, read from the median member). Do not edit by hand; rerun "
        "after changing the method.*",
        "",
        "Published classifications are few and coarse, and none measures exactly what "
        "the index measures. This page sets the index against what the field knows: "
        "well-known allies, hedgers and partners of Russia; the vote on A/RES/ES-11/1; "
        "the EIU's counts. Disagreements are listed with their reasons. "
        "docs/methodology.md explains every component.",
        "",
        "## Checks against well-known cases",
        "",
        table(checks),
        "",
        "## Our classes",
        "",
        f"Countries per class, axis and year. Trade ends in {last_trade}: later years "
        f"carry the {last_trade} economic component forward (`economic_year`). Years "
        f"with fewer roll calls than `Thresholds.min_roll_calls` are provisional and "
        f"not classed ({', '.join(map(str, provisional)) or 'none'} in this store).",
        "",
        table(counts),
        "",
        "Probability of the assigned class in 2022 (200 bootstrap replicates over roll "
        "calls and over the reporters behind the trade expectations):",
        "",
        table(probability),
        "",
        "## The vote on A/RES/ES-11/1 (2 March 2022)",
        "",
        f"In the store: {vote_counts.get('yes', 0)} yes, {vote_counts.get('no', 0)} no, "
        f"{vote_counts.get('abstain', 0)} abstentions. How well the West–Russia leans of "
        "2021, the year *before* the vote, separate the states that voted yes from "
        "those that voted no or abstained (AUC: 1 perfect, 0.5 chance). `lean` is the "
        "index's political lean (votes and commitments), `lean_position` the "
        "position between the poles without the Assembly baseline:",
        "",
        table(separation),
        "",
        "The 2022 West–Russia classes against the vote (2022 includes the vote "
        "among its roll calls):",
        "",
        table(crosstab),
        "",
        f"A yes vote alone does not make a state aligned with the West: of the "
        f"{int(yes_classes.sum())} yes voters classed in 2022, "
        f"{int(yes_classes.get('aligned_west', 0))} are aligned with the West, "
        f"{int(yes_classes.get('actively_nonaligned', 0))} actively nonaligned, "
        f"{int(yes_classes.get('passively_neutral', 0))} passively neutral and "
        f"{int(yes_classes.get('aligned_russia', 0))} aligned with Russia. Many Global "
        "South states condemned a war of conquest while voting with the G77 on the rest "
        "of the agenda.",
        "",
        "## Economist Intelligence Unit: West-leaning, neutral, Russia-leaning",
        "",
        f"Published counts: {EIU_SOURCE}. Our West–Russia classes map as aligned with "
        "the West → West-leaning, aligned with Russia → Russia-leaning, every other "
        "class → neutral (`index classes`); `index lean sign` counts any tilt of the "
        "political lean.",
        "",
        table(eiu),
        "",
        "Why the counts differ:",
        "",
        f"* **West-leaning: EIU {eiu_cell.loc[(2022, 'West-leaning'), 'EIU countries']}, "
        f"index {eiu_cell.loc[(2022, 'West-leaning'), 'index classes']} (2022).** The EIU "
        "judges one stance, on one war, and counts every state that condemned the "
        "invasion. The index reads the whole agenda of the year and the state's "
        "commitments, and calls a state aligned only when it stands a third of the "
        "segment between the poles beyond the median member. Condemning the invasion "
        "while voting with the G77 on the rest of the agenda is, in the index, balanced.",
        f"* **Neutral: EIU {eiu_cell.loc[(2022, 'neutral'), 'EIU countries']}, index "
        f"{eiu_cell.loc[(2022, 'neutral'), 'index classes']}.** The mirror of the above: "
        "the index's balanced classes hold the yes voters that the EIU counts as "
        "West-leaning.",
        f"* **Russia-leaning: EIU {eiu_cell.loc[(2022, 'Russia-leaning'), 'EIU countries']}, "
        f"index {eiu_cell.loc[(2022, 'Russia-leaning'), 'index classes']}.** The closest "
        "of the three: both count Russia's treaty partners and the states that vote "
        "with it; the EIU also counts China, which the West–Russia axis classes too, "
        "and states whose sympathy shows outside the Assembly (media, military ties).",
        "",
        "## When the West splits",
        "",
        "Agreement of the US with the EU (plurality of its members) per year, and the "
        "years flagged `west_divided` (they disagree more than they agree). In such "
        "years `lean_usa` and `lean_eu` (West–China or West–Russia with one Western "
        "pole only) tell apart a state that votes with Washington from one that votes "
        "with Brussels:",
        "",
        table(west_divided(index)),
        "",
        "## Hong Kong and Macao in the trade expectation",
        "",
        f"China's expected share of the rest of the world's trade in {last_trade}, with "
        "and without the two Chinese territories as reporters (their entrepôt trade "
        "with the mainland is China's own trade, methodology.md):",
        "",
        table(china_expectation(store, int(last_trade)), digits=4),
        "",
        "## Close calls",
        "",
        "The well-known cases of 2022 on West–China with their class probability "
        "(200 bootstrap replicates) and political lean; a probability well below 1 "
        "means the state sits near a threshold:",
        "",
        table(close_calls),
        "",
        "And their classes in 2022 under each membership variant of the sensitivity "
        "report (the same variants as below):",
        "",
        table(variants),
        "",
        f"* **Brazil 2022** stands at political lean {brazil.loc[2022, 'lean']:.2f}, next "
        f"to the threshold: its votes in Bolsonaro's last year stood "
        f"{brazil.loc[2022, 'lean_diplomatic']:.2f} towards the West from the median "
        "member, and its commitments (the 2019 MNNA designation against G77 and BRICS) "
        f"lean {brazil.loc[2022, 'lean_institutional']:.2f}. Under Lula the votes "
        f"returned to the median ({brazil.loc[2023, 'lean_diplomatic']:.2f} in 2023, "
        f"{brazil.loc[2024, 'lean_diplomatic']:.2f} in 2024). Its class in 2022 is "
        f"{close.loc['BRA', 'class']} with probability "
        f"{close.loc['BRA', 'class_probability']:.2f}; counting the Rio Treaty as a "
        "Western treaty instead of context would make it "
        f"{rio.loc['BRA']} (methodology.md says why the index reads it as context).",
        "* **Year-to-year counts of aligned with China move** (see the table of classes): "
        "the baseline is the median member of each year, and many G77 states sit close "
        "to a third of the unit from it, so small moves of the median move them across "
        "the threshold. Class probabilities show which states are near it.",
        "",
        "## IMF three-bloc split (Gopinath, Gourinchas, Presbitero and Topalova 2024)",
        "",
        "Gopinath et al. (2024, IMF Working Paper 24/76) group economies into a "
        "US-leaning bloc, a China-leaning bloc and nonaligned countries from their UNGA "
        "voting. Their country list could not be read in this environment, so no "
        "country-level agreement is computed; the West–China counts above map onto "
        "their blocs as aligned with the West / aligned with China / all other classes.",
        "",
        "## Sensitivity",
        "",
        "Each row changes one choice against the baseline; `same_class_share` is the "
        "share of countries that keep their baseline class (`nonaligned sensitivity "
        "--year Y --axis A`). 2017 is the last year with the important-vote flag.",
        "",
    ]
    for year in (2017, 2022):
        for axis in ("west-china", "west-russia"):
            report = sensitivity(store, year, axis).drop(columns=["year", "axis"])
            parts += [f"### {year}, {axis}", "", table(report), ""]
    return "\n".join(parts)


def main() -> None:
    text = render(nonaligned.open())
    if sys.argv[1:] == ["-"]:
        print(text)
    else:
        OUT.write_text(text + "\n", encoding="utf-8")
        print(f"wrote={OUT}")


if __name__ == "__main__":
    main()
