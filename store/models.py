"""Typed SQLAlchemy 2.0 models for the whole pipeline.

The tables follow the pipeline: sources and their fetch state (crawler),
articles and revisions (extraction), seed documents, claims, entities,
figure observations and raids (analysis), alerts and deliveries (outbox).
Every datetime is timezone-aware (stored as UTC).
"""

from __future__ import annotations

from store.crawl_models import (
    Article,
    ArticleCapture,
    ArticleRevision,
    FetchState,
    Lease,
    RemovedSource,
    Source,
)
from store.model_base import NAMING_CONVENTION, Base, ClaimValue
from store.story_models import (
    Alert,
    AlertFeedback,
    Claim,
    Delivery,
    Entity,
    EntityAlias,
    FigureObservation,
    Raid,
    RaidReport,
    SeedDocument,
)

__all__ = [
    "NAMING_CONVENTION", "Base", "ClaimValue",
    "Article", "ArticleCapture", "ArticleRevision", "FetchState", "Lease", "RemovedSource",
    "Source",
    "Alert", "AlertFeedback", "Claim", "Delivery", "Entity", "EntityAlias",
    "FigureObservation", "Raid", "RaidReport", "SeedDocument",
]
