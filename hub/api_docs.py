"""The API's documentation page (/api/docs/), drawn on the server from the OpenAPI schema that
drf-spectacular generates (the one /api/schema/ serves), in French and in the site's layout:
no script, nothing fetched from another site, light on a phone. Each operation's text is the
view's own description (French, given with `extend_schema`)."""

import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from drf_spectacular.generators import SchemaGenerator

TYPES = {
    "string": "texte",
    "integer": "entier",
    "number": "nombre",
    "boolean": "booléen",
    "object": "objet",
    "array": "liste",
}
FORMATS = {"date": "date", "date-time": "date et heure", "uri": "adresse web", "email": "courriel"}
LOCATIONS = {"query": "requête", "path": "chemin", "header": "en-tête", "cookie": "cookie"}
SECURITY = {
    "cookieAuth": "session du site (connexion par le formulaire)",
    "tokenAuth": "jeton : en-tête « Authorization: Token <jeton> »",
}
MAX_DEPTH = 3


@dataclass
class Field:
    name: str
    type: str
    required: bool = False
    description: str = ""


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    description: str
    parameters: list[Field]
    body: list[Field]
    body_types: list[str]
    responses: list[tuple[str, str, list[str]]]
    fields: list[Field]
    security: list[str] = field(default_factory=list)

    @property
    def breakable_path(self) -> str:
        """The path, allowed to wrap after each "/" (a phone is narrower than some paths)."""
        return mark_safe(escape(self.path).replace("/", "/<wbr>"))


def _text(markdown: str) -> str:
    """The schema's descriptions (markdown-ish) as HTML: escaped, `code` kept as code."""
    html = escape(markdown.strip())
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    return mark_safe(html.replace("\n\n", "<br><br>"))


class Schema:
    def __init__(self, document: dict):
        self.document = document
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return schema

    def type_of(self, schema: dict) -> str:
        schema = self.resolve(schema)
        if "enum" in schema:
            values = ", ".join(f"« {v} »" for v in schema["enum"] if v not in (None, ""))
            return f"une valeur parmi : {values}"
        if schema.get("type") == "array":
            return f"liste de {self.type_of(schema.get('items', {}))}"
        if "oneOf" in schema or "allOf" in schema:
            choices = schema.get("oneOf") or schema.get("allOf")
            return " ou ".join(dict.fromkeys(self.type_of(choice) for choice in choices))
        kind = TYPES.get(schema.get("type", "object"), schema.get("type", "objet"))
        if schema.get("format") in FORMATS:
            kind = FORMATS[schema["format"]]
        return kind + (" ou nul" if schema.get("nullable") else "")

    def fields(self, schema: dict, prefix: str = "", depth: int = 0) -> list[Field]:
        """The fields of an object, nested objects and lists of objects spelt out with dotted
        names (`properties.name`, `features[].id`)."""
        schema = self.resolve(schema)
        if schema.get("type") == "array":
            return self.fields(schema.get("items", {}), prefix + "[]", depth)
        required = set(schema.get("required", []))
        rows = []
        for name, child in schema.get("properties", {}).items():
            full = f"{prefix}.{name}" if prefix else name
            resolved = self.resolve(child)
            title = resolved.get("description") or resolved.get("title") or ""
            if resolved.get("readOnly"):
                title = f"{title} (lecture seule)".strip()
            rows.append(Field(full, self.type_of(child), name in required, title))
            nested = resolved.get("items", {}) if resolved.get("type") == "array" else resolved
            # A GeoJSON geometry is described by its type, not its coordinates' nesting.
            spelt = name != "geometry" and depth < MAX_DEPTH
            if spelt and self.resolve(nested).get("properties"):
                rows.extend(self.fields(child, full, depth + 1))
        return rows

    def operations(self) -> list[tuple[str, list[Operation]]]:
        """The operations grouped by the address they start with (/api/communes/…)."""
        groups: dict[str, list[Operation]] = {}
        for path, methods in self.document.get("paths", {}).items():
            for method, spec in methods.items():
                operation = self._operation(path, method, spec)
                group = "/".join(path.split("/")[:3]) + "/"
                groups.setdefault(group, []).append(operation)
        return list(groups.items())

    def _operation(self, path: str, method: str, spec: dict) -> Operation:
        parameters = [
            Field(
                p["name"],
                f"{self.type_of(p.get('schema', {}))}, {LOCATIONS.get(p['in'], p['in'])}",
                p.get("required", False),
                p.get("description", ""),
            )
            for p in spec.get("parameters", [])
        ]
        body_content = spec.get("requestBody", {}).get("content", {})
        body_schema = next(iter(body_content.values()), {}).get("schema", {})
        responses, fields = [], []
        for code, response in spec.get("responses", {}).items():
            content = response.get("content", {})
            responses.append((code, response.get("description", ""), list(content)))
            if code.startswith("2") and content and not fields:
                fields = self.fields(next(iter(content.values())).get("schema", {}))
        return Operation(
            method=method.upper(),
            path=path,
            anchor=spec.get("operationId", f"{method}-{path}").replace("_", "-"),
            description=_text(spec.get("description", "")),
            parameters=parameters,
            body=self.fields(body_schema) if body_schema else [],
            body_types=list(body_content),
            responses=responses,
            fields=fields,
            # Reading is open to all (the views' permissions); an empty alternative ({}) also
            # says that anyone may call it.
            security=[]
            if method == "get" or {} in spec.get("security", [{}])
            else [SECURITY.get(name, name) for item in spec["security"] for name in item],
        )


@functools.cache
def _schema() -> Schema:
    # The same for every reader (public=True) and for the process's life: built once.
    return Schema(SchemaGenerator().get_schema(request=None, public=True))


def api_docs(request):
    schema = _schema()
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    return render(
        request,
        "api_docs.html",
        {
            "info": schema.document.get("info", {}),
            "groups": schema.operations(),
            "anon_rate": rates.get("anon", "").replace("/", " par "),
            "user_rate": rates.get("user", "").replace("/", " par "),
        },
    )
