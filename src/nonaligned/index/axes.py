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

    @property
    def west(self) -> tuple[str, ...]:
        return WEST


AXES: dict[str, Axis] = {
    "west-china": Axis("west-china", "CHN", "aligned_china"),
    "west-russia": Axis("west-russia", "RUS", "aligned_russia"),
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
