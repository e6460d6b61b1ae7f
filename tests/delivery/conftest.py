"""Fixtures for the delivery suite: a loopback SMTP server and a config for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from store.config import Config, config_from_dict
from tests.delivery.smtpd import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def make_config(tmp_path: Any) -> Callable[..., Config]:
    """A config whose email goes to the loopback server on `port`."""

    def build(port: int, **sections: dict[str, Any]) -> Config:
        data: dict[str, Any] = {
            "email": {"host": "127.0.0.1", "port": port, "sender": "watch@example.org",
                      "recipients": ["desk@example.org"], "timeout_seconds": 5.0,
                      "backoff_seconds": 60.0},
            "digest": {"at": "07:00", "timezone": "Asia/Phnom_Penh"},
        }
        for name, values in sections.items():
            data.setdefault(name, {}).update(values)
        return config_from_dict(data, tmp_path)

    return build
