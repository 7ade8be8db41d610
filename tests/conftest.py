"""Fixtures that compose: settings, app, client, a valid feature, a live server and a browser."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import tempfile
import threading

import pytest

from wmo_kaart.config import PROJECT_ROOT, from_env

DEMO = PROJECT_ROOT / "data" / "providers.geojson"

# Time is an input: every test runs on this day, whatever the wall clock says (`core.clock` reads it;
# it reaches the servers tests start too). The demo data's own day is in November 2026 as well, so
# its dates stand as written; tests of other days set WMO_KAART_TODAY themselves.
TODAY = dt.date(2026, 11, 28)
SIX_MONTHS_ON = "2027-05-28"  # "within six months" of TODAY: six calendar months later, by hand
os.environ["WMO_KAART_TODAY"] = TODAY.isoformat()
# Usage counts are written at once, so a test (and a server it starts) reads what it just did.
os.environ.setdefault("WMO_KAART_USAGE_FLUSH_SECONDS", "0")
SHARED_GEO = PROJECT_ROOT.parent / "shared" / "geo"


@pytest.fixture
def settings(tmp_path):
    """Return settings on the demo data with a fresh instance folder."""
    # Rate limits are tested on their own (test_hardening); the other tests make many requests on purpose.
    return from_env({}, instance_path=tmp_path / "instance", data_path=DEMO, cookie_secure=False,
                    rate_api="100000 per minute", rate_callbacks="100000 per minute")


@pytest.fixture
def app(settings):
    from wmo_kaart.web import create_app

    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


VALID_FEATURE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [5.5180, 51.7650]},
    "properties": {
        "id": "T-1", "provider_id": "P-1", "provider_name": "Testaanbieder (demo)", "name": "Testlocatie",
        "street": "Kerkstraat", "house_number": "1a", "postcode": "5341 AB", "city": "Oss",
        "municipality_code": "GM0828", "care_types": ["07", "15"], "target_groups": ["ouderen"],
        "specialisms": [], "website": "https://www.test.example/", "phone": "0412-123456",
        "email": "info@test.example", "wheelchair_accessible": True,
        "contact_name": "Anne Test", "contact_email": "anne@test.example", "contact_phone": "06-12345678",
        "contract_id": "BNOO-2025-001", "contract_end": "2027-12-31",
        "bw_capacity": 10, "bw_occupancy": 8, "bw_updated": "2026-10-01",
    },
}


@pytest.fixture
def feature():
    """Return a fresh, valid feature to break in a test."""
    return copy.deepcopy(VALID_FEATURE)


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def write_geojson(tmp_path):
    """Write a FeatureCollection of `features` to a temporary file and return its path."""
    def write(features, name="providers.geojson"):
        path = tmp_path / name
        path.write_text(json.dumps(collection(*features)), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def boundaries():
    """Return CBS municipality outlines (2025) from ../shared/geo, or skip without them."""
    path = SHARED_GEO / "regions_2025.geojson"
    if not path.exists():
        pytest.skip("../shared/geo is not available")
    return json.loads(path.read_text(encoding="utf-8"))


# --- real browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    return None


class LiveServer:
    """Serve a Flask app on a free local port in a background thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_driver():
    """Return a headless Debian Chromium; fail (not skip) under CI when it cannot run."""
    yield from chromium()


def chromium(*extra: str, page_load: str = "normal"):
    """Yield a headless Debian Chromium started with `extra` flags, and close it afterwards. `page_load`:
    Selenium's page load strategy ("none": `get` returns at once, before the page's scripts have run)."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("WMO_KAART_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="wmo-kaart-chromium-")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,900",
                f"--user-data-dir={profile}", *extra):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.page_load_strategy = page_load
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(browser_driver):
    """Return the browser with cookies and logs of earlier tests cleared."""
    browser_driver.get("about:blank")
    browser_driver.delete_all_cookies()
    browser_driver.get_log("performance")
    return browser_driver


@pytest.fixture(scope="session")
def artifacts():
    """Return the folder where browser tests leave screenshots."""
    path = PROJECT_ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


# --- accounts -----------------------------------------------------------------------------

PASSWORD = "correct-horse-battery-staple"
PRO_ROLES = ("wmo_consulent", "contractmanager", "bestuurder")
BW_ROLES = ("bw_consulent", "beleidsadviseur", "beheerder")


@pytest.fixture
def db(app):
    return app.extensions["wmo_kaart_db"]


@pytest.fixture
def make_user(db):
    """Create an account with `role` and return its name."""
    from auth import users

    def make(role: str, name: str | None = None, password: str = PASSWORD) -> str:
        name = name or f"user-{role}"
        users.add_user(db, name, role, password, actor="test")
        return name
    return make


def csrf_from(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class AuthActions:
    """Log in and out through the real forms, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def login(self, name: str, password: str = PASSWORD, next: str | None = None, address: str = "127.0.0.1"):
        token = csrf_from(self.client.get("/login").get_data(as_text=True))
        data = {"username": name, "password": password, "csrf_token": token}
        if next is not None:
            data["next"] = next
        return self.client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})

    def csrf_header(self) -> dict:
        cookie = self.client.get_cookie("_csrf_token")
        return {"X-CSRFToken": cookie.value} if cookie else {}

    def logout(self):
        return self.client.post("/logout", headers=self.csrf_header(),
                                data={"csrf_token": self.csrf_header().get("X-CSRFToken", "")})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture(scope="session")
def postgres_url():
    """Return the URL of a fresh PostgreSQL database, or skip when PostgreSQL is not running."""
    from bench._postgres import LOCAL, create_database

    try:
        url, drop = create_database(os.environ.get("WMO_KAART_TEST_POSTGRES", LOCAL), "wmo_kaart_test")
    except Exception as exc:  # noqa: BLE001 - any connection problem means: no PostgreSQL here
        if os.environ.get("WMO_KAART_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    yield url
    drop()


def public_rows(frame):
    """Return the demo rows the public sees: every location whose contract has not ended before today
    (written here independently of `access.contract_ended`)."""
    today = TODAY.isoformat()
    return frame[[not (isinstance(end, str) and end and end < today) for end in frame["contract_end"]]]
