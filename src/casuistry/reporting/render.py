"""From findings to HTML: the Jinja environment, escaping everything by default.

Only three kinds of text reach a page unescaped, all made by casuistry
itself: the inline SVG of a matplotlib figure (whose text matplotlib escapes),
the signal-graph fragment of :mod:`casuistry.viz.network` (whose data is JSON
made safe for a script element), and the report's own stylesheet. Everything
from the input goes through Jinja's autoescaping.
"""

from __future__ import annotations

from functools import cache

from casuistry.reporting.texts import Texts, asset

#: The page may load nothing from anywhere: no network, no file, only what it holds.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)


@cache
def environment():
    """The Jinja environment of the report templates (autoescape on, strict undefined)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("casuistry.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def trusted(html: str):
    """Mark HTML that casuistry made itself as safe to insert without escaping."""
    from markupsafe import Markup

    return Markup(html)


def render(template: str, texts: Texts, **context) -> str:
    """Render a template with the report's texts, stylesheet and security policy.

    Parameters
    ----------
    template : str
        File name in ``report/templates``.
    texts : Texts
        The language; available in the template as ``t``.
    **context
        The template's variables.

    Returns
    -------
    str
        The whole HTML document.
    """
    from casuistry import __version__

    return (
        environment()
        .get_template(template)
        .render(
            t=texts,
            lang=texts.lang,
            css=trusted(asset("report.css")),
            csp=CONTENT_SECURITY_POLICY,
            version=__version__,
            **context,
        )
    )
