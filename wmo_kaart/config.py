"""Settings: defaults, then the environment, then explicit overrides (tests)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

BASEMAPS = {
    "pdok-standaard": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
    "pdok-grijs": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png",
    "pdok-pastel": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/pastel/EPSG:3857/{z}/{x}/{y}.png",
}

# name -> (environment variable, help). docs/configuration.md must list every one (tested).
SETTINGS_HELP = {
    "data_path": ("WMO_KAART_DATA", "GeoJSON file with the provider locations (default data/providers.geojson)."),
    "store_url": ("WMO_KAART_STORE", "Where the data lives: empty for the GeoJSON file store (WMO_KAART_DATA, default), or postgresql://… for the PostGIS store (WMO_KAART_DATA then seeds an empty database)."),
    "catalog_path": ("WMO_KAART_CATALOG", "JSON file that adds or overrides care types and target groups."),
    "basemap": ("WMO_KAART_BASEMAP", "Background map: empty (off), pdok-standaard, pdok-grijs, pdok-pastel or an https tile URL with {z}/{x}/{y}. Our server fetches the tiles and serves them from /tiles/; browsers never contact the tile source."),
    "basemap_attribution": ("WMO_KAART_BASEMAP_ATTRIBUTION", "Credit line for a tile URL of your own (the PDOK maps credit Kadaster themselves)."),
    "tile_cache_mb": ("WMO_KAART_TILE_CACHE_MB", "Largest size of the background-map tile cache on disk, in MB (default 200; under the instance folder)."),
    "tile_timeout": ("WMO_KAART_TILE_TIMEOUT", "Seconds to wait for the tile source before serving a cached copy (default 5)."),
    "boundaries_path": ("WMO_KAART_BOUNDARIES", "GeoJSON with municipality outlines (WGS84) drawn as lines, e.g. downloaded from PDOK (default: the bundled CBS 2025 outlines)."),
    "instance_path": ("WMO_KAART_INSTANCE", "Folder for the SQLite database and the generated secret key (default instance/)."),
    "database_url": ("DATABASE_URL", "SQLAlchemy URL of the accounts database (default SQLite under the instance folder)."),
    "secret_key": ("SECRET_KEY", "Key that signs sessions; generated once under the instance folder when absent."),
    "cookie_secure": ("WMO_KAART_COOKIE_SECURE", "1 (default) sends cookies only over https; 0 for plain http on a private network."),
    "bw_stale_days": ("WMO_KAART_BW_STALE_DAYS", "Sheltered-housing figures older than this many days are flagged as stale (default 90)."),
    "session_idle_minutes": ("WMO_KAART_SESSION_IDLE_MINUTES", "Log out after this many minutes without activity (default 30)."),
    "session_max_hours": ("WMO_KAART_SESSION_MAX_HOURS", "Log out this many hours after login regardless of activity (default 10)."),
    "versions_path": ("WMO_KAART_VERSIONS", "Folder with the published versions and their history (default instance/versions)."),
    "publish_mode": ("WMO_KAART_PUBLISH_MODE", "File mode (octal) of published data and versions, readable by the group that runs the server (default 644)."),
    "staging_hours": ("WMO_KAART_STAGING_HOURS", "Hours a checked import waits for publishing before it expires (default 24)."),
    "max_shrink": ("WMO_KAART_MAX_SHRINK", "Largest share of locations an import may remove without an explicit 'allow shrink' (default 0.10)."),
    "demand_path": ("WMO_KAART_DEMAND", "GeoJSON with residents per area for coverage (default: the bundled CBS postcode areas 2021; `wmo-kaart population` writes neighbourhoods)."),
    "public_url": ("WMO_KAART_PUBLIC_URL", "The public address of this site (https://kaart.example.nl); used for every absolute URL we generate (embed snippet, OpenAPI servers) instead of the request's Host header."),
    "trusted_proxies": ("WMO_KAART_TRUSTED_PROXIES", "Addresses or networks of the reverse proxies in front of the app (`127.0.0.1`, `10.0.0.0/8`), by spaces or commas: only requests from them may set the client address and scheme with X-Forwarded-For and X-Forwarded-Proto (default: none; a count is refused)."),
    "hsts_seconds": ("WMO_KAART_HSTS_SECONDS", "Send Strict-Transport-Security with this max-age (default 0: off; set it when the site is served over https only)."),
    "rate_api": ("WMO_KAART_RATE_API", "Requests per client address to the API without login or key (default '120 per minute')."),
    "rate_callbacks": ("WMO_KAART_RATE_CALLBACKS", "Map updates per client address without login, per kind: the Dash callbacks, the map's layers by address, the embed's pages and its layer (default '600 per minute')."),
    "rate_reports": ("WMO_KAART_RATE_REPORTS", "Error reports ('Meld een fout') per client address (default '5 per hour')."),
    "redis_url": ("REDIS_URL", "Redis for rate limits shared between workers and hosts (default: per worker, in memory)."),
    "max_upload_mb": ("WMO_KAART_MAX_UPLOAD_MB", "Largest spreadsheet the admin screens accept, in MB (default 10)."),
    "pdok_geocoder": ("WMO_KAART_PDOK", "1 switches on the PDOK Locatieserver as first geocoder (called from our server); default off: the offline gazetteer only."),
    "pdok_url": ("WMO_KAART_PDOK_URL", "URL of the Locatieserver free endpoint (default https://api.pdok.nl/bzk/locatieserver/search/v3_1/free)."),
    "geocoder_timeout": ("WMO_KAART_GEOCODER_TIMEOUT", "Seconds to wait for the Locatieserver before falling back to the gazetteer (default 3)."),
    "wmo_desk": ("WMO_KAART_WMO_DESK", "Who to ask about Wmo support, printed on every handout: one text ('Wmo-loket gemeente Oss, 0412-629629, wmo@oss.nl'), or one per municipality: 'GM0828 = Wmo-loket Oss, 0412-629629 | Goirle = Wmo-loket Goirle, 013-5310610 | * = the Wmo desk of your municipality' (the handout picks the desk of the searched place's municipality)."),
    "organisation": ("WMO_KAART_ORGANISATION", "The organisation that publishes this map (the accessibility statement names it; default: the municipalities of the region)."),
    "contact_email": ("WMO_KAART_CONTACT_EMAIL", "E-mail address for questions and accessibility problems (the accessibility statement shows it)."),
    "data_licence": ("WMO_KAART_DATA_LICENCE", "Licence of the open dataset, as a URI (default CC0 1.0: http://creativecommons.org/publicdomain/zero/1.0/deed.nl); /data and /data.json state it."),
    "response_days": ("WMO_KAART_RESPONSE_DAYS", "Working days within which the organisation answers an accessibility question (default 5)."),
    "show_ended_contracts": ("WMO_KAART_SHOW_ENDED_CONTRACTS", "1 shows locations whose contract has ended on the public map, the embed and the public API too; default 0: only professional roles see them, flagged."),
    "usage_days": ("WMO_KAART_USAGE_DAYS", "Days the usage figures are kept per day; older days are added into their month (default 400). Counts only, never personal data (docs/usage.md)."),
    "usage_flush_seconds": ("WMO_KAART_USAGE_FLUSH_SECONDS", "Seconds a worker adds up usage counts in memory before writing them to the store (default 10; 0 writes every count at once)."),
    "embed_allowed_origins": ("EMBED_ALLOWED_ORIGINS", "Space-separated origins that may frame /embed, e.g. 'https://www.oss.nl https://www.tilburg.nl' (default: only this site)."),
}


@dataclass(frozen=True)
class Settings:
    """Everything the app is configured with."""

    data_path: Path = PROJECT_ROOT / "data" / "providers.geojson"
    catalog_path: str | None = None
    store_url: str = ""
    basemap: str = ""
    basemap_attribution: str = ""
    tile_cache_mb: float = 200.0
    tile_timeout: float = 5.0
    boundaries_path: str | None = None
    instance_path: Path = PROJECT_ROOT / "instance"
    database_url: str | None = None
    secret_key: str | None = None
    cookie_secure: bool = True
    bw_stale_days: int = 90
    session_idle_minutes: int = 30
    session_max_hours: int = 10
    versions_path: Path | None = None
    max_upload_mb: int = 10
    demand_path: str | None = None
    public_url: str = ""
    rate_api: str = "120 per minute"
    rate_callbacks: str = "600 per minute"
    rate_reports: str = "5 per hour"
    redis_url: str = ""
    trusted_proxies: str = ""
    hsts_seconds: int = 0
    publish_mode: str = "644"
    staging_hours: float = 24.0
    max_shrink: float = 0.10
    pdok_geocoder: bool = False
    pdok_url: str = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
    geocoder_timeout: float = 3.0
    embed_allowed_origins: str = ""
    usage_days: int = 400
    usage_flush_seconds: float = 10.0
    show_ended_contracts: bool = False
    organisation: str = ""
    wmo_desk: str = ""
    contact_email: str = ""
    data_licence: str = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
    response_days: int = 5
    extra: dict = field(default_factory=dict)

    @property
    def frame_ancestors_embed(self) -> str:
        """Return the CSP frame-ancestors value for /embed."""
        return " ".join(["'self'", *self.embed_origins])

    @property
    def embed_origins(self) -> tuple[str, ...]:
        """Return the valid origins of EMBED_ALLOWED_ORIGINS (the sites that may frame /embed)."""
        return tuple(o for o in self.embed_allowed_origins.split() if re.match(r"^https?://[A-Za-z0-9.:-]+$", o))

    @property
    def basemap_url(self) -> str | None:
        """Return the tile URL template of the configured background map, if any."""
        if not self.basemap:
            return None
        url = BASEMAPS.get(self.basemap, self.basemap)
        local = re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/", url)  # a tile server on this machine
        if not (url.startswith("https://") or local) or not all(k in url for k in ("{z}", "{x}", "{y}")):
            raise ValueError(f"WMO_KAART_BASEMAP: onbekende achtergrondkaart {self.basemap!r}")
        return url

    @property
    def versions_dir(self) -> Path:
        return self.versions_path or self.instance_path / "versions"

    @property
    def public_base(self) -> str | None:
        """Return the configured public address without a trailing slash; refuse anything but http(s)://host."""
        if not self.public_url:
            return None
        url = self.public_url.rstrip("/")
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", url):
            raise ValueError(f"WMO_KAART_PUBLIC_URL: ongeldig adres {self.public_url!r} (bijvoorbeeld https://kaart.example.nl)")
        return url

    @property
    def staging_dir(self) -> Path:
        return self.instance_path / "staging"

    @property
    def file_mode(self) -> int:
        """Return the mode of published files; refuse anything that is not an octal mode the owner can write."""
        mode = int(self.publish_mode, 8) if re.fullmatch(r"[0-7]{3}", self.publish_mode) else -1
        if mode < 0 or not mode & 0o600 == 0o600 or mode & 0o002:
            raise ValueError(f"WMO_KAART_PUBLISH_MODE: ongeldige bestandsmodus {self.publish_mode!r} (bijvoorbeeld 644 of 640)")
        return mode

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance_path / 'wmo-kaart.sqlite'}"


def open_store(settings: Settings, catalog=None):
    """Return the store configured by `settings` (today the file store)."""
    from .core.catalog import load_catalog

    catalog = catalog or load_catalog(settings.catalog_path)
    if settings.store_url:
        from .core.pgstore import PostgisStore

        if not settings.store_url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            raise ValueError("WMO_KAART_STORE: alleen postgresql://… (of leeg voor het GeoJSON-bestand)")
        return PostgisStore(settings.store_url, catalog, seed=settings.data_path, staging_hours=settings.staging_hours)
    from .core.filestore import FileStore

    return FileStore(settings.data_path, settings.versions_dir, catalog, staging_dir=settings.staging_dir,
                     publish_mode=settings.file_mode, staging_hours=settings.staging_hours)


def _typed(name: str, raw: str):
    kind = Settings.__dataclass_fields__[name].type
    if "bool" in kind:
        return raw.strip().lower() not in ("0", "false", "no", "nee", "off")
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if "Path" in kind:
        return Path(raw)
    return raw


def from_env(environ=os.environ, **overrides) -> Settings:
    """Return settings from the defaults, the environment and `overrides`, in that order."""
    values = {}
    for name, (var, _help) in SETTINGS_HELP.items():
        if environ.get(var) not in (None, ""):
            try:
                values[name] = _typed(name, environ[var])
            except ValueError as exc:
                raise ValueError(f"{var}: ongeldige waarde {environ[var]!r}") from exc
    return replace(Settings(), **{**values, **overrides})
