"""Who is asking: client IP (proxy-aware), bot/prefetch/headless detection, and the daily keys.

The visitor key is a keyed BLAKE2b hash of the IP (IPv6 cut to its /64) and the
User-Agent; the address key, of the IP alone (for the per-address limits). Both are
keyed with the day's secret (salt.DailySalt), which is never stored beside them and
is gone after the day. Neither the IP nor the User-Agent is ever stored.
"""
from __future__ import annotations

import hashlib
import ipaddress
import re
from typing import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

BOT_WORDS = (
    "bot", "crawl", "spider", "slurp", "archiver", "curl/", "wget", "python-", "python/", "aiohttp",
    "go-http-client", "java/", "okhttp", "apache-httpclient", "libwww", "httpclient", "scrapy", "axios/",
    "node-fetch", "undici", "headless", "phantomjs", "lighthouse", "puppeteer", "playwright", "selenium",
    "webdriver", "facebookexternalhit", "embedly", "preview", "monitor", "uptime", "check_http", "://",
)


BOT_PATTERN = re.compile("|".join(re.escape(word) for word in BOT_WORDS))


def parse_ip(text: str | None) -> IPAddress | None:
    if not text:
        return None
    text = text.strip()
    if text.startswith("[") and "]" in text:           # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:                           # "203.0.113.5:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def parse_networks(items: Iterable[str]) -> tuple[Network, ...]:
    """"127.0.0.1", "10.0.0.0/8", "::1" -> networks; raises ValueError naming a bad entry."""
    networks = []
    for item in items:
        for part in str(item).replace(",", " ").split():
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"not an IP address or network: {part!r}") from None
    return tuple(networks)


def _trusted(address: IPAddress, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(environ: dict, proxies: tuple[Network, ...]) -> IPAddress | None:
    """REMOTE_ADDR, or the nearest untrusted address in X-Forwarded-For when the peer is a trusted proxy."""
    address = parse_ip(environ.get("REMOTE_ADDR"))
    if address is None or not proxies or not _trusted(address, proxies):
        return address
    chain = environ.get("HTTP_X_FORWARDED_FOR", "")
    for item in reversed([part for part in chain.split(",") if part.strip()]):
        hop = parse_ip(item)
        if hop is None:
            break                                        # garbage from further away: keep what we trust
        address = hop
        if not _trusted(hop, proxies):
            break
    return address


def ip_bytes(address: IPAddress | None) -> bytes:
    """IPv4 as is, IPv6 cut to its /64 (one household or phone usually holds a whole /64)."""
    if address is None:
        return b""
    if isinstance(address, ipaddress.IPv6Address):
        return address.packed[:8]
    return address.packed


def visitor_key(salt: bytes, address: IPAddress | None, user_agent: str) -> bytes:
    return keys(salt, address, user_agent)[0]


def keys(salt: bytes, address: IPAddress | None, user_agent: str) -> tuple[bytes, bytes]:
    """(the visitor's key, its address's key). The visitor's key hashes the address's key, which only
    the day's secret makes: neither can be computed without it."""
    of_address = address_key(salt, address)
    return (hashlib.blake2b(of_address + user_agent.encode("utf-8", "replace"), digest_size=16,
                            person=b"visitor").digest(), of_address)


def address_key(salt: bytes, address: IPAddress | None) -> bytes:
    """The address (IPv4, IPv6 /64) alone, for the rate limit and the per-address cap."""
    return hashlib.blake2b(ip_bytes(address), key=salt, digest_size=12, person=b"address").digest()


def not_counted_reason(environ: dict, client_flag: bool = False) -> str | None:
    """"bot", "prefetch" or "headless" when this request must not count, else None."""
    for header in ("HTTP_PURPOSE", "HTTP_SEC_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ"):
        value = environ.get(header, "").lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return "prefetch"
    agent = environ.get("HTTP_USER_AGENT", "").strip().lower()
    if not agent or len(agent) < 8:
        return "bot"
    if "headless" in agent or "phantomjs" in agent or client_flag:
        return "headless"
    if BOT_PATTERN.search(agent):
        return "bot"
    return None
