"""The short reads of a page of statements: the ids of their allies, targets and links, each
query compiled once per process (:mod:`nato_tracker.compiled`); the allies' and targets' names,
codes and order come from :mod:`spending.names` (official data, kept per process)."""

from __future__ import annotations

from collections import defaultdict

from articles.models import SpeakerRole, Statement, StatementLink
from articles.roles import ROLES_KEPT
from nato_tracker.compiled import IdsQuery
from nato_tracker.data_version import kept_many
from spending.names import NAMES_KEPT, AllyName, OfficialNames, TargetName

#: The short reads of a list of statements, compiled once (``nato_tracker.compiled``): the ids
#: of their allies and targets (names, codes and order from ``spending.names``) and their links.
ALLY_IDS = IdsQuery(
    lambda ids: Statement.members.through.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "memberstate_id"
    )
)
TARGET_IDS = IdsQuery(
    lambda ids: Statement.targets.through.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "target_id"
    )
)
LINK_ROWS = IdsQuery(
    lambda ids: (
        StatementLink.objects.filter(statement_id__in=ids)
        .order_by("statement_id", "created_at", "pk")
        .values_list("statement_id", "id", "figure_id", "target_id", "note")
    )
)


def allies_and_targets(
    ids: list[int], names: OfficialNames
) -> tuple[dict[int, list[AllyName]], dict[int, list[TargetName]]]:
    """The allies (in name order) and targets (in display order) of the statements ``ids``:
    two queries for them all."""
    ally_ids: dict[int, list[int]] = defaultdict(list)
    for statement_id, member_id in ALLY_IDS.rows(ids):
        ally_ids[statement_id].append(member_id)
    target_ids: dict[int, list[int]] = defaultdict(list)
    for statement_id, target_id in TARGET_IDS.rows(ids):
        target_ids[statement_id].append(target_id)
    return (
        {i: names.allies_in_order(members) for i, members in ally_ids.items()},
        {i: names.targets_in_order(targets) for i, targets in target_ids.items()},
    )


def names_and_roles(
    version: str | None = None,
) -> tuple[OfficialNames, dict[int, list[SpeakerRole]]]:
    """The official names (:func:`spending.names.official_names`) and the speakers' roles
    (:func:`articles.roles.roles_by_speaker`), their data versions read in one cache round
    trip, or none when the caller gives the ``version`` of all the data it has read."""
    parts = {key: (build, scope) for key, build, scope in (NAMES_KEPT, ROLES_KEPT)}
    found = kept_many(parts, version)
    return found[NAMES_KEPT[0]], found[ROLES_KEPT[0]]
