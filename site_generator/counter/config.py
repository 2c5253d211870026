"""The endpoint's settings, from command-line options, COUNTER_* environment variables and site.yaml.

Precedence: command line, then environment, then site.yaml's ``counter:`` block.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import visitor
from .app import Settings
from .paths import PageSet, normalise_base_path
from .periods import DEFAULT_ZONE
from .salt import default_path


@dataclass
class Options:
    site: Path = Path(".")
    db: Path = Path("counter.sqlite3")
    redis: str = ""
    prefix: str = "counter:"
    pages: Path | None = None
    base_path: str = ""
    url: str = ""
    proxies: tuple = ()
    origins: tuple = ()
    rate: float = 2.0
    burst: float = 30.0
    per_address: int = 10
    salt_file: Path | None = None           # default: salt.default_path (a memory file system)
    cleanup: float = 60.0
    max_body: int = 1024
    synchronous: str = "NORMAL"
    online_cache: float = 10.0
    timezone: str = ""


class ConfigError(ValueError):
    pass


def read_site_yaml(site: Path) -> dict:
    config_file = Path(site) / "site.yaml"
    if not config_file.is_file():
        return {}
    import yaml
    try:
        data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{config_file}: {error}") from None
    return data if isinstance(data, dict) else {}


ENV = {  # variable -> (field, converter)
    "COUNTER_SITE": ("site", Path), "COUNTER_DB": ("db", Path), "COUNTER_REDIS": ("redis", str),
    "COUNTER_REDIS_PREFIX": ("prefix", str), "COUNTER_PAGES": ("pages", Path),
    "COUNTER_BASE_PATH": ("base_path", str), "COUNTER_URL": ("url", str),
    "COUNTER_PROXIES": ("proxies", lambda v: tuple(v.replace(",", " ").split())),
    "COUNTER_ORIGINS": ("origins", lambda v: tuple(v.replace(",", " ").split())),
    "COUNTER_RATE": ("rate", float), "COUNTER_BURST": ("burst", float), "COUNTER_MAX_BODY": ("max_body", int),
    "COUNTER_SYNC": ("synchronous", str), "COUNTER_ONLINE_CACHE": ("online_cache", float),
    "COUNTER_PER_ADDRESS": ("per_address", int), "COUNTER_SALT_FILE": ("salt_file", Path),
    "COUNTER_CLEANUP": ("cleanup", float),
}


def options_from_env(env, base: Options | None = None) -> Options:
    values = {}
    for name, (attr, convert) in ENV.items():
        if env.get(name):
            try:
                values[attr] = convert(env[name])
            except ValueError:
                raise ConfigError(f"{name}={env[name]!r}: not a valid value") from None
    return replace(base or Options(), **values)


def to_env(options: Options) -> dict:
    """The inverse of options_from_env (for child processes)."""
    out = {}
    for name, (attr, _) in ENV.items():
        value = getattr(options, attr)
        if value in (None, "", ()):
            continue
        out[name] = " ".join(value) if isinstance(value, tuple) else str(value)
    return out


def settings(options: Options) -> Settings:
    site_yaml = read_site_yaml(options.site)
    counter = site_yaml.get("counter") or {}
    url = options.url or counter.get("url") or "/api/"
    origins = set(o.rstrip("/").lower() for o in (*options.origins, *(counter.get("origins") or ())))
    if site_yaml.get("base_url"):
        parts = urlsplit(str(site_yaml["base_url"]))
        origins.add(f"{parts.scheme}://{parts.netloc}".lower())
    try:
        proxies = visitor.parse_networks(options.proxies or counter.get("proxies") or ())
    except ValueError as error:
        raise ConfigError(f"--proxy: {error}") from None
    zone_name = options.timezone or site_yaml.get("timezone") or DEFAULT_ZONE
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {zone_name!r}") from None
    pages_dir = Path(options.pages) if options.pages else Path(options.site) / "public"
    if not (pages_dir / "index.html").is_file() and not any(pages_dir.glob("*/index.html")):
        raise ConfigError(f"{pages_dir}: no built pages here — build the site first or give --pages DIR")
    pages = PageSet(pages_dir, normalise_base_path(options.base_path) if options.base_path else None)
    redis_url = options.redis or counter.get("redis") or ""
    db, prefix, synchronous = Path(options.db), options.prefix, options.synchronous
    for name, value in (("--rate", options.rate), ("--burst", options.burst), ("--cleanup", options.cleanup)):
        if not 0 <= value < float("inf"):
            raise ConfigError(f"{name}: must be a number >= 0, not {value}")
    if not 1 <= options.per_address <= 1000:
        raise ConfigError(f"--per-address: must be from 1 to 1000, not {options.per_address}")
    salt_file = options.salt_file or default_path(f"{redis_url}|{prefix}" if redis_url else str(db.resolve()))

    def open_store():
        from .store import open_store as open_
        store = open_(db=db, redis_url=redis_url, prefix=prefix, synchronous=synchronous)
        if hasattr(store, "online_cache"):
            store.online_cache = options.online_cache
        return store

    return Settings(pages=pages, open_store=open_store, mount=urlsplit(url).path or "/", proxies=proxies,
                    origins=frozenset(origins), zone=zone, max_body=options.max_body, rate=options.rate,
                    burst=max(1.0, options.burst), per_address=int(options.per_address), salt_file=salt_file,
                    cleanup_every=options.cleanup)


def settings_from_env(env=os.environ) -> Settings:
    return settings(options_from_env(env))
