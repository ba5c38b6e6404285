"""One refusal for every rule: `Refused("no_round_running")`.

The code says why, in a short word the caller can test; it is also the key of the message a
person reads (app/messages.py holds the texts and the HTTP status of each code). The classes below
and the ones beside each rule (NoteRejected, PhaseError, PlanError, VoteRefused, …) are all
Refused, so one handler answers every one of them the same way on pages, the API and phones.
"""

from __future__ import annotations


class Refused(Exception):
    code = "not_allowed"  # a subclass may name its usual code, so `raise NotFound` says enough

    def __init__(self, code: str | None = None):
        super().__init__(code or self.code)
        self.code = code or self.code


class NotFound(Refused):
    """Unknown id, or one that belongs to another organisation (the same answer for both).
    The code names the message: public pages answer without the phone's "scan the QR code"."""

    code = "not_found"
