"""A small same-site crawler on Django's test client: it follows the links a user can click (and
the URLs the pages hand to their scripts), samples each URL pattern a few times, and records what
a user would see go wrong: a server error, a page outside the layout, an English error message,
a link to a page that refuses the account. It then gives each query parameter it met malformed
values."""

import json
import re
from collections import Counter, deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve

# Django's and DRF's own messages, as they read when a translation is missing.
ENGLISH_ERRORS = re.compile(
    "|".join(
        re.escape(text)
        for text in (
            "This field is required",
            "Not found.",
            "Not Found",
            "Page not found",
            "Server Error",
            "Server error",
            "Bad Request",
            "Method not allowed",
            "not allowed.",
            "Authentication credentials were not provided",
            "You do not have permission",
            "Invalid page",
            "Enter a valid",
            "Select a valid choice",
            "CSRF verification failed",
            "403 Forbidden",
            "A server error occurred",
            "Ensure this value",
            "Enter a number",
            "A valid integer is required",
            "A valid number is required",
            "is not a valid choice",
            "Invalid pk",
            "Incorrect type",
            "Request was throttled",
            "Unsupported media type",
        )
    )
)
SITE = "http://testserver"
# What a browser asks for: the crawl sees what a person following the links would.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HTML = "text/html"
TEXTUAL = ("text/", "application/json", "application/geo+json", "application/vnd.oai.openapi")


@dataclass(frozen=True)
class Visit:
    account: str
    url: str
    status: int
    via: str  # how the crawl came to it
    problem: str = ""

    def __str__(self):
        return f"{self.account} · {self.status} · {self.url} ({self.via}) : {self.problem}"


class _Links(HTMLParser):
    """URLs of a page: its links, and what its scripts fetch (its `data-…url` attributes and the
    URLs in its JSON scripts)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: list[str] = []
        self.urls: list[str] = []
        self.forms: list[tuple[str, list[str]]] = []  # GET forms: action, field names
        self._json: list[str] | None = None
        self._form: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.anchors.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = []
            self.forms.append((attrs.get("action") or "", self._form))
        if tag in ("input", "select", "textarea") and self._form is not None and attrs.get("name"):
            self._form.append(attrs["name"])
        self.urls.extend(
            value
            for name, value in attrs.items()
            if name.startswith("data-") and name.endswith("url") and value
        )
        if tag == "script" and attrs.get("type") == "application/json":
            self._json = []

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "script" and self._json is not None:
            self.urls.extend(_json_urls("".join(self._json)))
            self._json = None


def _json_urls(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    found, stack = [], [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, dict | list | str))
        elif isinstance(value, str) and (
            value.startswith("http://testserver/")
            or (value.startswith("/") and not value.startswith("//"))
        ):
            found.append(value)
    return sorted(found)


class Crawler:
    """Breadth-first from `start`, GET only, at most `samples` URLs per URL pattern (one in the
    admin, whose patterns are many and alike) and `max_depth` clicks away. `drawn` is shared by
    the crawlers of one run: PDFs, slow to draw, are drawn for the first account reaching them."""

    def __init__(
        self, client, account: str, *, skip: set[str], drawn: set[str], samples=2, max_depth=6
    ):
        self.client = client
        self.account = account
        self.skip = skip
        self.drawn = drawn
        self.samples = samples
        self.max_depth = max_depth
        self.visits: list[Visit] = []
        self.patterns: Counter[str] = Counter()
        # What a user may type in the address bar or a GET form, by URL pattern: a URL of it,
        # and the names of the query parameters its links and forms use.
        self.parameters: dict[str, tuple[str, set[str]]] = {}

    def run(self, *start: str) -> list[Visit]:
        queue = deque((url, 0, "départ", False) for url in start)
        seen = set(start)
        while queue:
            url, depth, via, clicked = queue.popleft()
            pattern = _pattern(url)
            limit = 1 if pattern.startswith("admin:") else self.samples
            if pattern in self.skip or pattern in self.drawn or self.patterns[pattern] >= limit:
                continue
            self.patterns[pattern] += 1
            self.note_parameters(url, [name for name, _ in parse_qsl(urlsplit(url).query)])
            response, visit = self._visit(url, via, clicked)
            self.visits.append(visit)
            if response.get("Content-Type", "").startswith("application/pdf"):
                self.drawn.add(pattern)
            if depth >= self.max_depth:
                continue
            for link, clickable in self._links(url, response):
                if link not in seen:
                    seen.add(link)
                    kind = "lien de" if clickable else "adresse lue par le script de"
                    queue.append((link, depth + 1, f"{kind} {url}", clickable))
        return self.visits

    def fuzz(self, values: list[str], patterns: list[str]) -> list[Visit]:
        """Each query parameter the crawl met on these URL patterns, given each malformed value in
        turn (the URL's other parameters kept): what answers a server error or English."""
        found = []
        for pattern in patterns:
            url, names = self.parameters[pattern]
            parts = urlsplit(url)
            query = parse_qsl(parts.query, keep_blank_values=True)
            for name in sorted(names):
                for value in values:
                    kept = [(key, v) for key, v in query if key != name]
                    bad = f"{parts.path}?{urlencode([*kept, (name, value)])}"
                    _, visit = self._visit(bad, f"paramètre « {name} » malformé")
                    if visit.problem:
                        found.append(visit)
        return found

    def note_parameters(self, url: str, names: list[str]):
        pattern = _pattern(url)
        if pattern in self.skip:
            return
        sample, known = self.parameters.setdefault(pattern, (url, set()))
        if "?" not in sample and "?" in url:
            self.parameters[pattern] = (url, known)
        known.update(names)

    def _visit(self, url: str, via: str, clicked: bool = False):
        # A failing request must not abort the transaction the demo lives in.
        savepoint = transaction.savepoint()
        response = self.client.get(url, headers={"Accept": BROWSER_ACCEPT})
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        problem = _problem(response)
        if response.status_code == 429:  # the crawl must not be slowed down into checking less
            problem = "requête ralentie (429) : la réponse n'a pas été vérifiée"
        elif clicked and 400 <= response.status_code < 500 and not problem:
            problem = "lien montré à ce compte vers une page qui le refuse"
        return response, Visit(self.account, url, response.status_code, via, problem)

    def _links(self, url: str, response) -> list[tuple[str, bool]]:
        """The same-site URLs `response` leads to, each with whether a person clicks it."""
        if response.status_code in (301, 302, 303, 307, 308):
            candidates = [(response["Location"], True)]
        elif response.status_code != 200 or response.get("Content-Disposition"):
            return []
        elif response["Content-Type"].startswith(HTML):
            parser = _Links()
            parser.feed(response.content.decode())
            candidates = [(a, True) for a in parser.anchors] + [(u, False) for u in parser.urls]
            for action, names in parser.forms:
                target = _same_site(urljoin(SITE + url, action))
                if target and names:
                    self.note_parameters(target, names)
        elif "json" in response["Content-Type"]:
            candidates = [(u, False) for u in _json_urls(response.content.decode())]
        else:
            return []
        links = {}
        for candidate, clickable in candidates:
            link = _same_site(urljoin(SITE + url, candidate))
            if link:
                links[link] = links.get(link, False) or clickable
        return list(links.items())


def _same_site(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith((settings.STATIC_URL, settings.MEDIA_URL or "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return "(aucune route)"


def _problem(response) -> str:
    status, content_type = response.status_code, response.get("Content-Type", "")
    if status >= 500:
        return "erreur serveur"
    if status in (301, 302, 303, 304, 307, 308) or not content_type.startswith(TEXTUAL):
        return ""
    body = response.content.decode(errors="replace")
    if content_type.startswith(HTML) and "<main" not in body:
        return "page HTML sans <main>"
    english = ENGLISH_ERRORS.search(body)
    if english:
        return f"message d'erreur en anglais : « {english.group()} »"
    return ""
