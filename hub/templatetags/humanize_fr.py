"""Number formatting the French way (a narrow no-break space between thousands)."""

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return ""


@register.filter
def phone(value: str) -> str:
    """+33237000000 → 02 37 00 00 00 (French numbers); anything else unchanged."""
    if value and value.startswith("+33") and len(value) == 12:
        digits = "0" + value[3:]
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return value or ""


@register.filter
def percent(value) -> str:
    """0.2709 → '27,1 %' ; None → '–' (unknown)."""
    if value is None or value == "":
        return "–"
    return f"{100 * float(value):.1f}".replace(".", ",") + "\u00a0%"


@register.filter
def points(value) -> str:
    """A change of a rate, 0.017 → '+1,7 pt' ; None → '–'."""
    if value is None or value == "":
        return "–"
    return f"{100 * float(value):+.1f}".replace(".", ",") + "\u00a0pt"
