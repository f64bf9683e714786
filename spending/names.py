"""Allies' and targets' names, codes and order by id, kept in each process under the official
data version (``nato_tracker.data_version.kept``): lists of statements read the ids of their
allies and targets (no join, a query compiled once) and take the rest from here. Official
data only: editors' writes leave it; a reference-data load or an admin change rebuilds it."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from nato_tracker.data_version import kept

from .models import MemberState, Target


@dataclass(frozen=True)
class AllyName:
    id: int
    iso3: str
    slug: str
    name: str


@dataclass(frozen=True)
class TargetName:
    id: int
    code: str
    name: str
    label: str  # Target.label: "2% of GDP"


@dataclass(frozen=True)
class OfficialNames:
    """THE order allies and targets are listed in is these dicts' (the database's: allies by
    name, then id; targets by display order, threshold, id): a page's lists
    (:meth:`allies_in_order`) and a whole list's cells
    (``nato_tracker.api.renderers.ordered_list_cells``) alike, never sorted again in Python
    (whose order of names is not the database's collation)."""

    allies: dict[int, AllyName]  # by id, in name order
    targets: dict[int, TargetName]  # by id, in display order

    def allies_in_order(self, ids) -> list[AllyName]:
        """The allies ``ids`` in name order (as listed everywhere)."""
        return [self.allies[i] for i in sorted(ids, key=self._ranks[0].__getitem__)]

    def targets_in_order(self, ids) -> list[TargetName]:
        """The targets ``ids`` in display order (as listed everywhere)."""
        return [self.targets[i] for i in sorted(ids, key=self._ranks[1].__getitem__)]

    @functools.cached_property
    def _ranks(self) -> tuple[dict[int, int], dict[int, int]]:
        """Each ally's and target's place in the listed order, by id."""
        return (
            {pk: n for n, pk in enumerate(self.allies)},
            {pk: n for n, pk in enumerate(self.targets)},
        )


def official_names() -> OfficialNames:
    return kept(*NAMES_KEPT)


def _build() -> OfficialNames:
    allies = MemberState.objects.order_by("name", "pk").only("iso3", "slug", "name")
    targets = Target.objects.order_by("display_order", "threshold", "pk")
    return OfficialNames(
        allies={a.pk: AllyName(a.pk, a.iso3, a.slug, a.name) for a in allies},
        targets={t.pk: TargetName(t.pk, t.code, t.name, t.label) for t in targets},
    )


#: ``(key, build, scope)`` of the official names for ``nato_tracker.data_version.kept``.
NAMES_KEPT = ("official-names", _build, "official")
