"""Printable briefs of an entity: Markdown with its pictures, a PDF page, a STIX 2.1 bundle."""

from bot.briefs.content import Brief, Tlp, build_brief
from bot.briefs.markdown import brief_markdown
from bot.briefs.pdf import brief_pdf
from bot.briefs.stix import brief_stix

__all__ = ["Brief", "Tlp", "brief_markdown", "brief_pdf", "brief_stix", "build_brief"]
