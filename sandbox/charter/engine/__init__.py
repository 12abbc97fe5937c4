"""The charter engine: one engine checks every text a person writes against the class charter.

`check_text(text, lang=..., charter=...)` returns the language it read the text in and the
findings: the category, the class rule behind it, the span, an explanation and a fix in the
reader's language, and the severity the class gives that rule.
"""

from sandbox.charter.engine.base import Category, CheckContext, Hit
from sandbox.charter.engine.core import CharterPolicy, Finding, Report, check_text

__all__ = ["Category", "CharterPolicy", "CheckContext", "Finding", "Hit", "Report", "check_text"]
