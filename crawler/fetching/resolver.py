"""The name resolver the downloader connects with, checking every address.

`SafetyMiddleware` resolves a request's host before it is sent, but Twisted
resolves the host again to connect: a DNS server that answers a public
address first and 127.0.0.1 second (DNS rebinding) would have the request
delivered inside. Installed as Scrapy's `TWISTED_DNS_RESOLVER`, this resolver
wraps the reactor's own and drops every address the config may not reach, so
the address checked is the address connected to. A host left with no address
fails to resolve; `refusal_for(host)` says why, for the source's error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer, provider

from store.urls import address_refusal

# host -> why its addresses were dropped, for this process's crawl pass.
_REFUSED: dict[str, str] = {}
_REFUSED_KEPT = 1000


def refusal_for(host: str | None) -> str | None:
    """Why the resolver dropped the addresses of `host` in this process, if it did."""
    return _REFUSED.get(host or "")


def _remember(host: str, reason: str) -> None:
    if len(_REFUSED) >= _REFUSED_KEPT:
        _REFUSED.pop(next(iter(_REFUSED)))
    _REFUSED[host] = reason


@provider(IResolutionReceiver)
class _CheckingReceiver:
    """Passes on the addresses the config allows; remembers the first refusal."""

    def __init__(self, receiver: IResolutionReceiver, host: str, allow_private: bool) -> None:
        self.receiver = receiver
        self.host = host
        self.allow_private = allow_private
        self.passed = 0
        self.refused: str | None = None

    def resolutionBegan(self, resolution: IHostResolution) -> None:  # noqa: N802 - Twisted API
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:  # noqa: N802 - Twisted API
        reason = address_refusal(getattr(address, "host", ""), self.allow_private)
        if reason is not None:
            self.refused = self.refused or reason
            return
        self.passed += 1
        self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:  # noqa: N802 - Twisted API
        if self.refused is not None and not self.passed:
            _remember(self.host, f"{self.host} resolves to {self.refused} "
                                 "(checked when connecting)")
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class SafeResolver:
    """An IHostnameResolver around the reactor's own that drops refused addresses."""

    def __init__(self, reactor: Any, allow_private: bool) -> None:
        self.reactor = reactor
        self.original_resolver: IHostnameResolver = reactor.nameResolver
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> SafeResolver:
        return cls(reactor, crawler.settings.getbool("SAFETY_ALLOW_PRIVATE_ADDRESSES"))

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(  # noqa: N802 - Twisted API
        self, resolutionReceiver: IResolutionReceiver, hostName: str,  # noqa: N803
        portNumber: int = 0, addressTypes: Sequence[type[IAddress]] | None = None,  # noqa: N803
        transportSemantics: str = "TCP",  # noqa: N803
    ) -> IHostResolution:
        checking = _CheckingReceiver(resolutionReceiver, hostName, self.allow_private)
        return self.original_resolver.resolveHostName(
            checking, hostName, portNumber, addressTypes, transportSemantics)
