"""Build the email layout: inline layout.css into source.html with premailer.

Mail clients drop ``<style>`` blocks, so the layout the portal renders
(``layout.html``, committed) carries inline styles generated from the two source
files. ``manage.py build_email_layout`` writes it; a test checks it is current.
The layout holds ``$name`` placeholders (``string.Template``) filled per email.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILT = HERE / "layout.html"


def build_layout() -> str:
    from premailer import Premailer

    css = (HERE / "layout.css").read_text()
    source = (HERE / "source.html").read_text()
    source = source.replace('<link rel="stylesheet" href="layout.css">', f"<style>{css}</style>")
    html = Premailer(
        source,
        remove_classes=True,
        keep_style_tags=False,
        cssutils_logging_level="CRITICAL",
        disable_validation=True,
        allow_network=False,
    ).transform()
    return html.strip() + "\n"
