"""The declarative base every table shares: its naming convention (so Alembic's
constraint names are stable) and the column types the tables repeat."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import (
    Integer,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, mapped_column

from store.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow)]
opt_timestamp = Annotated[dt.datetime | None, mapped_column(UTCDateTime(), nullable=True)]
url_str = Annotated[str, mapped_column(String(2048))]
# A claim value: a number, a [low, high] list, or a text such as "Tier 3".
ClaimValue = Any


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}
