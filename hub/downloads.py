"""Downloading a scheduled import's file without letting an address reach inside the server.

Only `https` URLs whose host is on the administrators' allow-list (`ImportHost`) are fetched.
The host is resolved once, every address it resolves to must be public (no loopback, private,
link-local, multicast or reserved address), and the connection goes to that checked address
(so a second DNS answer cannot swap it for an internal one), with the certificate checked
against the host name. Redirects are followed only to URLs passing the same checks. The file is
streamed to disk and abandoned beyond `HUB_IMPORT_MAX_BYTES` or `HUB_IMPORT_TIMEOUT` seconds.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class DownloadError(ValueError):
    """A source that may not or could not be downloaded; the message is for administrators."""


def normalise_host(text: str) -> str:
    """A host name as kept on the allow-list (lower case, no scheme, port or path)."""
    host = (text or "").strip().lower().rstrip(".")
    if not HOST_NAME.match(host):
        raise ValueError(
            f"« {text} » n’est pas un nom d’hôte : écrivez seulement le nom, "
            "par exemple static.data.gouv.fr (sans https://, port ni chemin)"
        )
    return host


def allowed_hosts() -> set[str]:
    from .models import ImportHost

    return set(ImportHost.objects.values_list("host", flat=True))


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public Internet (not loopback, private, link-local…)."""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, all checked public; DownloadError otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DownloadError(f"l’hôte « {host} » est introuvable (DNS)") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for text in addresses:
        if not is_public(ipaddress.ip_address(text.split("%")[0])):
            raise DownloadError(
                f"adresse refusée : « {host} » désigne une adresse interne ({text}) ; "
                "seules les adresses publiques sont autorisées"
            )
    if not addresses:
        raise DownloadError(f"l’hôte « {host} » est introuvable (DNS)")
    return addresses


def check_url(url: str, hosts: set[str] | None = None) -> tuple:
    """Check a source URL (scheme, allow-list, public addresses): (its parts, its addresses)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme != "https" or not parts.hostname:
        raise DownloadError(
            f"adresse refusée : « {url} » ; seule une adresse https://… est acceptée "
            "(jamais un chemin sur le serveur, ni http:// ou file://)"
        )
    if parts.username or parts.password:
        raise DownloadError("adresse refusée : pas d’identifiant ni de mot de passe dans l’adresse")
    try:
        port = parts.port or 443
    except ValueError as exc:
        raise DownloadError(f"adresse refusée : port invalide dans « {url} »") from exc
    host = parts.hostname.rstrip(".")
    if host not in (allowed_hosts() if hosts is None else hosts):
        raise DownloadError(
            f"hôte refusé : « {host} » n’est pas dans la liste des hôtes autorisés pour les "
            "imports (un administrateur peut l’y ajouter dans l’administration)"
        )
    return parts, resolve(host, port)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to `address` (already checked), the certificate checked against `host`."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def _create_connection(self, address, timeout, source_address=None):  # noqa: ARG002
        return socket.create_connection((self._address, address[1]), timeout, source_address)


def download(url: str, folder: Path, default_name: str = "fichier") -> Path:
    """Download an allowed https `url` into `folder`; the path of the file written."""
    timeout = settings.HUB_IMPORT_TIMEOUT
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        parts, addresses = check_url(url)
        connection = _PinnedHTTPSConnection(
            parts.hostname, addresses[0], parts.port or 443, timeout=min(timeout, 60)
        )
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            response = request(connection, target)
            if response.status in REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            name = Path(unquote(parts.path)).name or default_name
            return receive(
                response,
                Path(folder) / name,
                max_bytes=settings.HUB_IMPORT_MAX_BYTES,
                deadline=deadline,
            )
        except (OSError, http.client.HTTPException) as exc:
            raise DownloadError(
                f"téléchargement impossible depuis « {parts.hostname} » : {exc}"
            ) from exc
        finally:
            connection.close()
    raise DownloadError(f"trop de redirections (plus de {MAX_REDIRECTS}) depuis « {url} »")


def request(connection: http.client.HTTPConnection, target: str) -> http.client.HTTPResponse:
    connection.request("GET", target, headers={"User-Agent": "hub-inclusion-numerique"})
    return connection.getresponse()


def receive(
    response: http.client.HTTPResponse, path: Path, *, max_bytes: int, deadline: float
) -> Path:
    """Stream a response body into `path`, refusing more than `max_bytes` or going past
    `deadline` (a `time.monotonic()` value); a partial file is removed."""
    if response.status != 200:
        raise DownloadError(f"le serveur a répondu {response.status} {response.reason}")
    megabytes = f"{max_bytes / 1_000_000:g} Mo"
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise DownloadError(f"fichier trop volumineux ({int(length)} octets ; au plus {megabytes})")
    written = 0
    try:
        with open(path, "wb") as file:
            while chunk := response.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise DownloadError(f"fichier trop volumineux (plus de {megabytes})")
                if time.monotonic() > deadline:
                    raise DownloadError(
                        "téléchargement trop long : abandonné après "
                        f"{settings.HUB_IMPORT_TIMEOUT:g} secondes"
                    )
                file.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
