"""Personal information: phone numbers, personal e-mail addresses, postal addresses.

Each kind has its own module (phones, emails, addresses); the engine reaches them here.
"""

from __future__ import annotations

from sandbox.charter.engine.addresses import find_addresses
from sandbox.charter.engine.emails import find_emails
from sandbox.charter.engine.phones import find_phones

__all__ = ["find_addresses", "find_emails", "find_phones"]
