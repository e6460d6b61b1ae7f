"""A click group whose commands are imported when they are first looked up.

Click's documented pattern for lazily loading subcommands ("Complex
Applications"): the group knows each command as "module:attribute" and
imports the module only in `get_command`. `compoundwatch crawl` imports the
crawl command's module and no other; `compoundwatch --help` imports every
command module to read its short help, which is why those modules import
nothing heavy at their top (tests/test_cli_startup.py holds them to it).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click


def import_object(spec: str) -> Any:
    """The object named by "package.module:attribute", its module imported now."""
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def import_command(spec: str) -> click.Command:
    """The click command named by "package.module:attribute"."""
    command = import_object(spec)
    if not isinstance(command, click.Command):
        raise TypeError(f"{spec} is a {type(command).__name__}, not a click command")
    return command


class LazyGroup(click.Group):
    """A group whose `lazy` commands ({name: "module:attribute"}) load on demand."""

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            # Loaded once, then an ordinary command of the group.
            self.add_command(import_command(self.lazy[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)
