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
    province: Path | None = None            # the folder of sites.json: one counter for every commune in it
    site_key: str = ""                      # with province: the commune (export, import-baseline)


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
    "COUNTER_CLEANUP": ("cleanup", float), "COUNTER_PROVINCE": ("province", Path),
    "COUNTER_SITE_KEY": ("site_key", str),
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


def settings(options: Options, site_yaml: dict | None = None, open_store=None, salts=None) -> Settings:
    """The endpoint's settings; ``site_yaml`` instead of reading the site's (a commune of sites.json),
    ``open_store`` instead of opening ``options``' store, ``salts`` instead of the key file's own key."""
    site_yaml = read_site_yaml(options.site) if site_yaml is None else site_yaml
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

    def opened(store):
        if hasattr(store, "online_cache"):
            store.online_cache = options.online_cache
        return store

    def open_own_store():
        from .store import open_store as open_
        return opened(open_(db=db, redis_url=redis_url, prefix=prefix, synchronous=synchronous))

    return Settings(pages=pages, open_store=(lambda: opened(open_store())) if open_store else open_own_store,
                    mount=urlsplit(url).path or "/", proxies=proxies,
                    origins=frozenset(origins), zone=zone, max_body=options.max_body, rate=options.rate,
                    burst=max(1.0, options.burst), per_address=int(options.per_address), salt_file=salt_file,
                    cleanup_every=options.cleanup, salts=salts)


PROVINCE_DB = Path("counter-db")            # --db's default with --province: a folder, one file per commune


def province_db(options: Options) -> Path:
    return PROVINCE_DB if Path(options.db) == Path("counter.sqlite3") else Path(options.db)


def commune_options(options: Options, commune) -> Options:
    """A commune's options as a single site's: its pages and base path, its file or Redis prefix.

    SQLite: one database file per commune in the folder --db (``<folder>/<key>.sqlite3``): each file is a
    single site's database, exactly (same schema, migrations, backups, export, health), a damaged or locked
    file touches one commune only, and a commune can be moved out to a counter of its own with its file.
    Redis: the prefix ``<prefix><key>:`` (``counter:xa-ham-tan:``) before the single site's key names."""
    return replace(options, pages=commune.pages, base_path=commune.base_path, timezone="",
                   db=province_db(options) / f"{commune.key}.sqlite3", prefix=f"{options.prefix}{commune.key}:",
                   province=None, site_key="")


class SharedRedis:
    """One redis.Redis (one connection pool) per process for every commune's store."""

    def __init__(self, url: str):
        self.url, self._client, self._pid = url, None, None

    def get(self):
        if self._client is None or self._pid != os.getpid():
            from .store_redis import connect
            self._client, self._pid = connect(self.url), os.getpid()
        return self._client


def load_province(options: Options):
    from .province import ProvinceError, load
    try:
        return load(options.province)
    except ProvinceError as error:
        raise ConfigError(str(error)) from None


def province_settings(options: Options):
    """(the Province, {key: Settings}) for --province: every commune's settings, sharing one key file
    (each commune's key derived from it: salt.SiteSalt), one Redis client, no cleanup thread of their own
    (province.ProvinceApp runs one for all)."""
    from .salt import DailySalt, SiteSalt
    from .store_redis import RedisStore
    province = load_province(options)
    folder = province_db(options)
    if not options.redis and folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: với --province, --db là một thư mục (mỗi xã, phường một tệp), không phải tệp")
    if not options.redis:
        folder.mkdir(mode=0o700, exist_ok=True)
    identity = f"{options.redis}|{options.prefix}|province" if options.redis else str(folder.resolve())
    shared = DailySalt(options.salt_file or default_path(identity))
    client = SharedRedis(options.redis) if options.redis else None
    found = {}
    for commune in province.communes:
        own = replace(commune_options(options, commune), cleanup=0)

        def open_store(prefix=own.prefix):
            return RedisStore(options.redis, prefix=prefix, client=client.get())

        try:
            found[commune.key] = settings(own, site_yaml={"base_url": commune.base_url, "timezone": commune.timezone},
                                          open_store=open_store if client else None,
                                          salts=SiteSalt(shared, commune.key))
        except ConfigError as error:
            raise ConfigError(f"{commune.key}: {error}") from None
    return province, found


def province_app(options: Options):
    from .app import make_app
    from .province import ProvinceApp
    province, found = province_settings(options)
    return ProvinceApp(province, {key: make_app(s) for key, s in found.items()}, cleanup_every=options.cleanup)


def settings_from_env(env=os.environ) -> Settings:
    return settings(options_from_env(env))


def app_from_env(env=os.environ):
    """The WSGI app the COUNTER_* variables describe: a province's (COUNTER_PROVINCE) or a single site's."""
    from .app import make_app
    options = options_from_env(env)
    if options.province:
        return province_app(options)
    return make_app(settings(options))
