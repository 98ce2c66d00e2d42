"""Compare our agreement scores with the agreement columns of the BSV file.

``IdealpointestimatesAll_Jun2024.csv`` (Bailey, Strezhnev and Voeten, June
2024 release, session-based) carries ``USAgree``, ``RUSSAgree``,
``ChinaAgree``, ``BrazilAgree``, ``IndiaAgree`` and ``IsraelAgree``: each
state's agreement with that power per session. The codebook describes them
as Lijphart's index (identical votes 1, one side abstaining 0.5, opposite
votes 0), i.e. Voeten's 1 - |v1 - v2| / 2, which is what
:func:`nonaligned.measures.poles.pole_alignment` computes. To explain any
systematic difference this script also scores a second reading, the share of
roll calls on which both cast the identical choice (no half credit), from
the same votes. Prints ``name=value`` lines per power and reading: matched
state-sessions, mean difference (ours - BSV), mean absolute difference,
share within 0.01 and 0.05, correlation, and the mean difference by era.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import VOETEN, load, load_memberships

from nonaligned.measures.poles import pole_alignment
from nonaligned.measures.votes import coded_votes

BSV_COLUMNS = {
    "USA": "USAgree",
    "RUS": "RUSSAgree",
    "CHN": "ChinaAgree",
    "BRA": "BrazilAgree",
    "IND": "IndiaAgree",
    "ISR": "IsraelAgree",
}
ERAS = ((1, 25), (26, 45), (46, 60), (61, 78))  # sessions


def identical_share(votes: pd.DataFrame, roll_calls: pd.DataFrame, pole: str) -> pd.DataFrame:
    """Per state and session: share of common roll calls with the pole's identical choice."""
    coded = coded_votes(votes, roll_calls, by="session")
    theirs = coded[coded["iso3"] == pole][["roll_call_id", "code"]]
    both = coded.merge(theirs, on="roll_call_id", suffixes=("", "_pole"))
    both["same"] = both["code"] == both["code_pole"]
    share = both.groupby(["iso3", "period"])["same"].mean().rename("agreement")
    return share.reset_index().rename(columns={"period": "session"})


def report(name: str, mine: pd.DataFrame, bsv: pd.DataFrame, column: str) -> None:
    theirs = bsv[["iso3c", "session", column]].rename(columns={"iso3c": "iso3"}).dropna()
    merged = mine.merge(theirs, on=["iso3", "session"])
    merged = merged[merged["iso3"] != name.split("_")[1]]  # a power agrees with itself
    diff = merged["agreement"] - merged[column]
    print(f"{name}_n={len(merged)}")
    print(f"{name}_mean_diff={diff.mean():.4f}")
    print(f"{name}_mean_abs_diff={diff.abs().mean():.4f}")
    print(f"{name}_share_abs_diff_lt_0.01={(diff.abs() < 0.01).mean():.4f}")
    print(f"{name}_share_abs_diff_lt_0.05={(diff.abs() < 0.05).mean():.4f}")
    print(f"{name}_r={merged['agreement'].corr(merged[column]):.4f}")
    era = pd.cut(merged["session"], [lo - 1 for lo, _ in ERAS] + [ERAS[-1][1]])
    for interval, value in diff.groupby(era, observed=True).mean().items():
        print(f"{name}_mean_diff_sessions_{interval.left + 1}_{interval.right}={value:.4f}")


def main() -> None:
    votes, roll_calls, source = load()
    print(f"source={source}")
    bsv = pd.read_csv(VOETEN / "IdealpointestimatesAll_Jun2024.csv")
    poles = tuple(p for p in BSV_COLUMNS if p in set(votes["iso3"]))
    ours = pole_alignment(votes, roll_calls, load_memberships(), by="session", poles=poles)
    for pole in poles:
        mine = ours[ours["pole"] == pole][["iso3", "session", "agreement"]]
        report(f"voeten_{pole}", mine, bsv, BSV_COLUMNS[pole])
        report(
            f"identical_{pole}", identical_share(votes, roll_calls, pole), bsv, BSV_COLUMNS[pole]
        )
    # BSV's file ends at session 78; ours covers every session in the store
    print(f"bsv_last_session={int(np.nanmax(bsv['session']))}")


if __name__ == "__main__":
    main()
