"""Rule-based extraction of statements, figures and claims from NATO spending articles.

Pure Python (standard library and ``regex``); nothing here imports Django or reads
files on import. Entry point: :func:`extract_article`.
"""

from .gazetteer import Gazetteer, load_gazetteer_from_csv
from .pipeline import extract_article
from .serialize import to_dry_run_dict
from .targets import AllianceTarget, TargetLevels
from .types import (
    AggregateClaim,
    Extraction,
    KnownSpeaker,
    ReferenceYear,
    ReportedFigure,
    SpeakerMention,
    Statement,
    TargetList,
)

__all__ = [
    "AggregateClaim",
    "AllianceTarget",
    "Extraction",
    "Gazetteer",
    "KnownSpeaker",
    "ReferenceYear",
    "ReportedFigure",
    "SpeakerMention",
    "Statement",
    "TargetLevels",
    "TargetList",
    "extract_article",
    "load_gazetteer_from_csv",
    "to_dry_run_dict",
]
