"""Trust X-Forwarded-For and X-Forwarded-Proto only from the configured proxies.

`WMO_KAART_TRUSTED_PROXIES` lists the addresses or networks of the reverse proxies in front of the app
(`127.0.0.1`, `10.0.0.0/8 ::1`). A request that comes straight from anywhere else keeps its own address,
whatever headers it sends: with a count ("trust one hop") a client connecting directly could name a new
address for every password guess. Through trusted proxies the client is the right-most address in
X-Forwarded-For that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
import re


def parse(raw: str) -> tuple:
    """Return the trusted networks in `raw` (addresses or networks, by spaces or commas); a count or a name
    is refused with a Dutch message (ValueError)."""
    networks = []
    for part in re.split(r"[\s,]+", raw.strip()):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            if part.isdigit():
                raise ValueError(f"WMO_KAART_TRUSTED_PROXIES: '{part}' is een aantal; geef de adressen of netwerken "
                                 "van de proxy's (bijvoorbeeld 127.0.0.1 of 10.0.0.0/8)") from None
            raise ValueError(f"WMO_KAART_TRUSTED_PROXIES: '{part[:40]}' is geen IP-adres of netwerk") from None
    return tuple(networks)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


class TrustedProxies:
    """WSGI middleware: the client's address and scheme as the trusted proxies saw them."""

    def __init__(self, app, networks: tuple):
        self.app, self.networks = app, networks

    def trusted(self, address) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.trusted(_address(environ.get("REMOTE_ADDR", ""))):
            client = environ.get("REMOTE_ADDR", "")
            for hop in reversed([h for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]):
                address = _address(hop)
                if address is None:
                    break  # garbage: keep the last address a trusted proxy vouched for
                client = str(address)
                if not self.trusted(address):
                    break
            environ["REMOTE_ADDR"] = client
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.app(environ, start_response)
