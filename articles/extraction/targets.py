"""The alliance's spending targets as the extraction knows them: data passed in, not a list here.

The levels come from the ``Target`` table (``articles.ingestion.build_gazetteer``) or, outside
Django, from ``spending/data/targets.csv`` (``gazetteer.load_gazetteer_from_csv``), through the
:class:`~articles.extraction.gazetteer.Gazetteer`. Two rules are derived from them:

- **components**: two agreed targets decided the same year split the larger one, and their
  difference is a level of its own (The Hague 2025: 5% = 3.5% core + 1.5% defence-related);
- **the target in force**: an article that says "the target" without a level, published after
  exactly one agreed level had been decided, means that level (before 2025, only 2%).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AllianceTarget:
    """One alliance-wide target in % of GDP: its level, the year it was decided, agreed or
    only proposed."""

    level: float
    decided_year: int | None = None
    agreed: bool = True


@dataclass(frozen=True)
class TargetLevels:
    """The %-of-GDP levels an article may name as alliance targets."""

    targets: tuple[AllianceTarget, ...] = ()
    levels: frozenset[float] = field(default=frozenset(), init=False)
    #: the derived levels that are no target of their own (1.5%: the part of 5% besides 3.5%)
    components: frozenset[float] = field(default=frozenset(), init=False)

    def __post_init__(self) -> None:
        stated = {round(t.level, 2) for t in self.targets}
        agreed = [t for t in self.targets if t.agreed and t.decided_year is not None]
        components = {
            round(high.level - low.level, 2)
            for high in agreed
            for low in agreed
            if low.decided_year == high.decided_year and low.level < high.level
        }
        object.__setattr__(self, "levels", frozenset(stated | components))
        object.__setattr__(self, "components", frozenset(components - stated))

    def is_target(self, value: float) -> bool:
        """Whether a percentage is one of the alliance's target levels (or a component)."""
        return round(value, 2) in self.levels

    def is_component(self, value: float) -> bool:
        """Whether a percentage is only the part of one target besides another (1.5% of the
        Hague 5%, besides its 3.5% core): a target only where the text names what that part
        is for ("1.5% on defence-related spending")."""
        return round(value, 2) in self.components

    def in_force(self, year: int | None) -> float | None:
        """The one agreed level decided before ``year``; None when none or several were."""
        if year is None:
            return None
        levels = {
            t.level
            for t in self.targets
            if t.agreed and t.decided_year is not None and t.decided_year < year
        }
        return levels.pop() if len(levels) == 1 else None


NO_TARGETS = TargetLevels()
