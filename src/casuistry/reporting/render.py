"""From findings to HTML: the report templates, rendered through :mod:`casuistry.presentation.html`.

Only three kinds of text reach a page unescaped, all made by casuistry
itself: the inline SVG of a matplotlib figure (whose text matplotlib escapes),
the signal-graph fragment of :mod:`casuistry.viz.network` (rendered from its
own template), and the report's own stylesheet. Everything from the input goes
through Jinja's autoescaping.
"""

from __future__ import annotations

from casuistry.presentation import html
from casuistry.presentation.palette import ACCENT, INCIDENT, RULE
from casuistry.presentation.texts import Texts, package_file

#: The report's stylesheets, in order: the page, the reviewer's layer, presentation
#: mode, the handout (print).
STYLESHEETS: tuple[str, ...] = ("report.css", "reviewer.css", "present.css", "print.css")


def render(template: str, texts: Texts, **context) -> str:
    """Render a report template with the report's texts, stylesheet and security policy.

    Parameters
    ----------
    template : str
        File name in ``reporting/templates``.
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

    return html.render(
        "casuistry.reporting",
        template,
        t=texts,
        lang=texts.lang,
        css=html.trusted(stylesheet()),
        version=__version__,
        **context,
    )


def stylesheet() -> str:
    """The report's stylesheets, after the palette's colours that they use, as CSS variables."""
    colours = {"rule": RULE, "accent": ACCENT, "incident": INCIDENT}
    variables = " ".join(f"--{name}: {value};" for name, value in colours.items())
    sheets = [package_file("casuistry.reporting", f"assets/{name}") for name in STYLESHEETS]
    return f":root {{ {variables} }}\n" + "\n".join(sheets)
