"""Every PDF the hub draws (place sheets, territory sheets, coverage reports) goes through
`render_pdf`: WeasyPrint's PDF/UA-1 variant, so the document is tagged (headings, lists and
tables reach a screen reader) and carries its title and language, read from the page's
`<title>` and `<html lang>`."""


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF/UA document of `html`; `base_url` resolves its relative links and images. A page
    without a title or a language is a mistake of its template: refused, never drawn untitled."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    missing = [
        name
        for name, value in (("<title>", document.metadata.title), ("lang", document.metadata.lang))
        if not value
    ]
    if missing:
        raise ValueError(f"a PDF's template must give its {' and '.join(missing)}")
    return document.write_pdf(pdf_variant="pdf/ua-1")
