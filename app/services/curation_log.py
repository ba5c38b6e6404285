"""The curation log in words: each step is stored as an action code and, where the words would
be ours rather than the leader's (a theme run's counts, "other", an undone step), as JSON
parameters, so the board and the exports say it in their reader's language."""

from __future__ import annotations

import json
import textwrap

from app.messages import N_

ACTION_NAMES = {
    "run": N_("Themes found"),
    "rename": N_("Renamed"),
    "summary": N_("Summary"),
    "merge": N_("Merged"),
    "split": N_("Split"),
    "move": N_("Note moved"),
    "pin": N_("Pinned"),
    "unpin": N_("Unpinned"),
    "delete": N_("Deleted"),
    "undo": N_("Undone"),
    "category": N_("Plan category"),
    "department": N_("Department"),
    "public_quote": N_("Public quote"),
    "import": N_("Imported"),
}


def excerpt(text: str, width: int) -> str:
    """At most `width` characters of `text` for the log, cut between words where it can. A text
    with no space to cut at (a web address, a row of emoji) is cut inside its first word rather
    than shown as "…" alone."""
    short = textwrap.shorten(text, width, placeholder="…")
    return short if short != "…" else text[:width - 1] + "…"


def run_detail(*, themes: int, other: int, asked: int | None) -> str:
    return json.dumps({"themes": themes, "other": other, "asked": asked})


def move_detail(*, note: str, theme: str | None) -> str:
    """theme None: the note went to "other"."""
    return json.dumps({"note": note, "theme": theme}, ensure_ascii=False)


def summary_detail(*, theme: str, summary: str | None) -> str:
    """summary None: the theme went back to the summary worked out from its notes."""
    return json.dumps({"theme": theme, "summary": summary}, ensure_ascii=False)


def undo_detail(*, action: str, detail: str) -> str:
    return json.dumps({"action": action, "detail": detail}, ensure_ascii=False)


def action_name(action: str, gettext) -> str:
    return gettext(ACTION_NAMES[action]) if action in ACTION_NAMES else action


def describe(action: str, detail: str, gettext, ngettext) -> str:
    """The step's detail in the reader's language. Steps logged before the parameters were
    stored as JSON keep their words as they were written."""
    try:
        params = json.loads(detail) if detail.startswith("{") else None
    except ValueError:
        params = None
    if not isinstance(params, dict):
        return detail
    if action == "run":
        text = ngettext("%(num)s theme", "%(num)s themes", params["themes"]) % {"num": params["themes"]}
        text += ", " + gettext("%(n)s in other") % {"n": params["other"]}
        if params.get("asked"):
            text += ", " + gettext("%(n)s asked for") % {"n": params["asked"]}
        return text
    if action == "move":
        return f"«{params['note']}» → {params['theme'] or gettext('Other')}"
    if action == "summary":
        return f"{params['theme']}: " + (f"«{params['summary']}»" if params["summary"] else gettext("summary from the notes"))
    if action == "undo":
        undone = describe(params["action"], params["detail"], gettext, ngettext)
        return f"{action_name(params['action'], gettext)}: {undone}"
    return detail
