"""The two axes of the index and the classes a country-year can fall into.

The West is the United States *and* the European Union (the EU's position is
its members' plurality vote; its trade is the sum over its member states in
that year). Why both: on UN votes the US often stands almost alone (with
Israel on Middle East resolutions), so the US by itself would put nearly
every state far from "the West"; the EU is the West's moderate voice and its
largest trading bloc. In votes a country's distance to the West is its
distance to the *nearer* of the two (voting with the EU is voting with the
West); in trade the two are summed (one market). That is the bloc the
published classifications mean (EIU 2023; Gopinath et al. 2024). China and
Russia each form their own axis with the West because the brief and the
published classifications treat them separately.

The ideal-point reading of the votes is used on the West–China axis only.
The position-between-poles formula assumes states lie between the two poles;
on the one-dimensional ideal-point line China sits near the anti-Western end,
but Russia sits near the middle of the Assembly (in 2020 on the Western side
of the median member), so on West–Russia most states would lie beyond Russia
and be clipped to -1 (72 percent of states in 2020, against 2 percent with
vote agreement; docs/methodology.md). A line cannot place three poles; vote
agreement, which measures closeness to each pole directly, reads that axis.
"""

from __future__ import annotations

from dataclasses import dataclass

WEST: tuple[str, ...] = ("USA", "EU")


@dataclass(frozen=True)
class Axis:
    """One axis: the West against ``other`` (a pole code such as ``CHN``)."""

    name: str
    other: str
    other_class: str
    ideal_point_reading: bool
    """Whether the ideal-point lean enters this axis's diplomatic lean (see above)."""

    @property
    def west(self) -> tuple[str, ...]:
        return WEST


AXES: dict[str, Axis] = {
    "west-china": Axis("west-china", "CHN", "aligned_china", ideal_point_reading=True),
    "west-russia": Axis("west-russia", "RUS", "aligned_russia", ideal_point_reading=False),
}

CLASSES: tuple[str, ...] = (
    "aligned_west",
    "aligned_china",
    "aligned_russia",
    "actively_nonaligned",
    "passively_neutral",
    "split",
)
"""Every class label; the probability columns ``p_<class>`` follow this order."""
