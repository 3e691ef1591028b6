"""Builds static/vendor/dsfr/: `dsfr.css`, the DSFR's sheet for current browsers (django-dsfr's
`dsfr.main.min.css`, without the legacy sheet for Internet Explorer) followed by only the icon
classes (`fr-icon-…`, `fr-fi-…`) the hub uses, cut from the DSFR's 1 000-icon sheet; and
`fonts/`, the Marianne and Spectral fonts cut to the characters of French text (Latin-1, Latin
Extended-A, punctuation, €): half their weight. A character outside them (a rare name) is drawn
by the next font of the stack.

The hub's templates, scripts and Python code and django-dsfr's own templates are scanned for
icon class names; DSFR components that draw an icon themselves (a close button, a link to
another site…) carry it in the main sheet. Run by `bin/hub setup` (and the Docker build) after
the Python packages are installed; the sheet follows the templates at every setup, the fonts
are cut again only when django-dsfr's change.

    .venv/bin/python scripts/dsfr_build.py
"""

import posixpath
import re
from pathlib import Path

import dsfr

ROOT = Path(__file__).resolve().parents[1]
DIST = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist"
MAIN = DIST / "dsfr" / "dsfr.main.min.css"
SHEET = DIST / "utility" / "icons" / "icons.main.min.css"
OUTPUT = ROOT / "static" / "vendor" / "dsfr"
# From static/vendor/dsfr/ to django-dsfr's dist/ once both are collected under /static/.
DIST_URL = "../../dsfr/dist/"
FONT_CHARACTERS = [
    (0x20, 0x7E), (0xA0, 0x17F), (0x2C6, 0x2DD), (0x2000, 0x206F), (0x20AC, 0x20AC),
    (0x2122, 0x2122), (0x2190, 0x2193), (0x2212, 0x2212), (0xFFFD, 0xFFFD),
]  # fmt: skip
URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")
APPS = ["accounts", "actors", "cartography", "equipment", "hub", "indicators", "trainings"]
ICON_CLASS = re.compile(r"\bfr-(?:icon|fi)-[a-z0-9]+(?:-[a-z0-9]+)*")
RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")


def sources() -> list[Path]:
    """Every file that may name an icon class."""
    files = list((ROOT / "templates").rglob("*.html")) + list((ROOT / "static" / "js").glob("*.js"))
    for app in APPS:
        files += [p for p in (ROOT / app).rglob("*") if p.suffix in (".py", ".html")]
    files += list((Path(dsfr.__file__).parent / "templates").rglob("*.html"))
    return files


def used_classes() -> set[str]:
    found = set()
    for path in sources():
        found |= set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def subset(sheet: str, wanted: set[str]) -> tuple[str, set[str]]:
    """The rules of `sheet` whose selectors name a wanted class, and the classes found."""
    body = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    body = re.sub(r"@media[^{]*\{\s*\}", "", body)  # the sheet's media blocks are empty
    if "@" in body:
        raise SystemExit(f"{SHEET} : règle @ inattendue (nouvelle version du DSFR ?)")
    rules, found = [], set()
    for selectors, declarations in RULE.findall(body):
        names = {s.split(":")[0].strip().lstrip(".") for s in selectors.split(",")}
        if names & wanted:
            found |= names & wanted
            declarations = declarations.replace("../../icons/", DIST_URL + "icons/")
            rules.append(f"{selectors.strip()}{{{declarations}}}")
    return "\n".join(rules), found


def main_sheet(fonts: dict[str, Path]) -> str:
    """The DSFR's main sheet with its addresses made relative to static/vendor/dsfr/, the
    fonts' `woff2` pointing at the cut ones (their `woff`, for old browsers, stays whole)."""

    def address(match):
        quote, url = match.groups()
        if url.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join("dsfr", url))
        if target.startswith("fonts/") and target.endswith(".woff2"):
            fonts[target] = DIST / target
            return f"url({quote}{target}{quote})"
        return f"url({quote}{DIST_URL}{target}{quote})"

    return URL.sub(address, MAIN.read_text(encoding="utf-8"))


def cut_font(source: Path, target: Path) -> None:
    import logging

    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # tables it drops on purpose

    options = subset.Options(flavor="woff2", layout_features=["*"])
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in FONT_CHARACTERS for c in range(low, high + 1)])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def main() -> None:
    wanted = used_classes()
    icons, found = subset(SHEET.read_text(encoding="utf-8"), wanted)
    unknown = sorted(wanted - found)
    if unknown:
        print("Icônes DSFR inconnues (absentes de la feuille) : " + ", ".join(unknown))
    fonts: dict[str, Path] = {}
    sheet = main_sheet(fonts)
    header = (
        "/* Generated by scripts/dsfr_build.py from the DSFR (MIT licence, restricted use of the "
        "Marianne brand and font): its main sheet, then the icons the hub uses. Do not edit. */\n"
    )
    write(OUTPUT / "dsfr.css", header + sheet + "\n" + icons + "\n")
    for name, source in fonts.items():
        target = OUTPUT / name
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            cut_font(source, target)
    stale = OUTPUT / "icons.css"  # the icons' own sheet, before they joined dsfr.css
    stale.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
