"""What each refusal says to a person. Codes come from facilitation/ and services; the texts are
message ids for gettext, translated where they are shown."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for extraction; translation happens when it is shown."""
    return message


MESSAGES = {
    # the read API and its keys
    "api_key_invalid": N_("Send a valid organisation API key: Authorization: Bearer <key>."),
    "api_key_name": N_("Name the system that will use the key (at most 200 characters)."),
    # notes
    "not_text": N_("The note must be text."),
    "empty": N_("The note is empty. Write something, then send it."),
    "too_long": N_("The note is too long: at most 1,000 characters. Split it into two notes."),
    "too_long_cut": N_(
        "The note was far too long to send. Its first 1,000 characters are kept in the box: check them, then send."
    ),
    "bad_client_id": N_("The note is missing its id. Reload the page and send it again."),
    "not_at_table": N_("This phone has not joined that table. Scan the table's QR code first."),
    "client_id_taken": N_("Another note already has this note's id, so it was not saved. Send it again."),
    "rate_limited": N_("You are sending very fast. Wait a moment, then send again."),
    "round_not_started": N_("That round has not started yet."),
    "paper_cards_too_late": N_(
        "The café closed more than three days ago, so paper cards can no longer be added. Ask the process leader."
    ),
    "bad_content_type": N_("Send the note as a form or as JSON."),
    "no_public_page": N_(
        "There is no public page at this address. Check the address, or ask the municipality for the link."
    ),
    # phases
    "cafe_not_open": N_("The café has not opened yet. Wait until the process leader opens it."),
    "cafe_closed": N_("The café is closed. Thank you for taking part!"),
    "no_round_running": N_(
        "No round is running right now, so the note was not sent. The text stays in the box: send it when the next round starts."
    ),
    "bad_extension": N_("A round can be extended by 1 to 60 minutes."),
    "bad_reopen": N_("A closed café can be opened again for 1 to 120 minutes."),
    "unknown_action": N_("Unknown action."),
    "open_not_allowed_in_open": N_("The café is already open."),
    "start_round_not_allowed_in_round": N_("End the running round before starting the next."),
    "start_round_not_allowed_in_open": N_("All rounds have been run. Close the café when you are done."),
    "not_allowed": N_("That cannot be done in the café's current phase."),
    # plans
    "process_name": N_("Give the process a name (at most 200 characters)."),
    "participation_level": N_("Choose a level of participation."),
    "language": N_("Choose the language of the wall and the table cards."),
    "village": N_("Write the village or place (at most 200 characters)."),
    "table_count": N_("A café has 1 to 60 tables."),
    "round_count": N_("A café has 1 to 8 rounds."),
    "question": N_("Every round needs a question (at most 500 characters)."),
    "minutes": N_("A round lasts 1 to 180 minutes."),
    "round_started": N_("Rounds that have started cannot be removed."),
    "tables_in_use": N_("Tables cannot be removed after the café has opened."),
    "bad_date": N_("Write the date as YYYY-MM-DD."),
    "bad_number": N_("Write a whole number."),
    # villages on the map (the café form and the CSV import)
    "latitude": N_("Latitude is a number of degrees from -90 to 90, such as 64.91 (a decimal comma works too)."),
    "longitude": N_("Longitude is a number of degrees from -180 to 180, such as 19.48 (a decimal comma works too)."),
    "location_half": N_("Give both latitude and longitude, or neither."),
    "population": N_("Inhabitants is a whole number, such as 1250."),
    "duplicate_village": N_("The village is in the file twice."),
    "file_missing": N_("Choose a CSV file to import."),
    "file_too_big": N_("The file is too large: at most 1 MB."),
    "file_encoding": N_("The file could not be read as text. Save it from Excel as “CSV UTF-8”."),
    "file_empty": N_("The file has no villages in it."),
    "file_columns": N_(
        "The first line must name the columns: village, latitude and longitude, and/or inhabitants "
        "(by, latitud, longitud, invånare)."
    ),
    "file_rows": N_("The file has too many rows: at most 5,000."),
    "row_cells": N_(
        "The line has more cells than the first line. Decimal commas in a file separated by commas? "
        "Save it with semicolons, or use decimal points."
    ),
    "file_no_match": N_("No village in the file has the name of a café in this process. Check the spelling."),
    # accounts
    "bad_email": N_("Write a valid e-mail address."),
    "short_password": N_("The password must be at least 10 characters."),
    "bad_organisation": N_("Write the name of your organisation or municipality."),
    "bad_timezone": N_("Choose one of the time zones in the list."),
    "email_taken": N_("There is already an account with that e-mail address."),
    "bad_setup_link": N_("This link has been used or has expired. Run 'bykafe create-user' for a new one."),
    "bad_login": N_("Wrong e-mail address or password."),
    "csrf": N_("The form had expired. Reload the page and try again."),
    # themes and votes
    "unknown_theme": N_("That theme no longer exists. The page has been updated."),
    "unknown_note": N_("That note is not among these themes."),
    "bad_label": N_("Give the theme a name (at most 200 characters)."),
    "summary_too_long": N_(
        "The summary is too long: at most 400 characters, one or two sentences. Shorten it, then save."
    ),
    "same_theme": N_("Choose another theme to merge with."),
    "too_small_to_split": N_("The theme has too few notes to split."),
    "nothing_to_undo": N_("There is nothing to undo."),
    "no_themes": N_("Find themes first: the vote is on the café's themes."),
    "vote_cafe_not_open": N_(
        "Phones can vote only while the café is open. Open the café, or reopen it for the vote, on the café's page."
    ),
    "no_notes_yet": N_(
        "There are no notes yet, so there are no themes to find. Themes are found in the notes the tables write: "
        "come back when they have written some, or type in paper cards at a table."
    ),
    "vote_needs_cafe": N_("A vote belongs to one café's harvest."),
    "bad_dot_count": N_("Each phone gets 1 to 10 dots."),
    "vote_closed": N_("The vote is not open."),
    "no_dots_left": N_("You have used all your dots. Take one back to move it."),
    "bad_change": N_("Add or take back one dot at a time."),
    "themes_unavailable": N_("Themes could not be computed: %(reason)s"),
    # planning and feedback
    "category_name": N_("Give the plan category a name (at most 200 characters)."),
    "category_exists": N_("There is already a plan category with that name."),
    "category_in_use": N_("Themes are placed under this plan category. Place them under another category first."),
    "department_too_long": N_("Write the department in at most 200 characters."),
    "response_status": N_("Choose a status for the response."),
    "response_reason": N_("Say why it is not in the plan: a reason is required."),
    "response_too_long": N_("The response is too long: at most 2,000 characters."),
    # general
    "not_found": N_("Check the link or the address, or scan the table's QR code again."),
    "bad_code": N_("No table has that code. Check the code on the table card and try again."),
    "login_required": N_("Log in to continue."),
    "bad_request": N_("The request could not be read: a field is too long or the data is malformed. Shorten it and send again."),
    "bad_method": N_("This address cannot be used that way. Go back and use the buttons on the page."),
    "invalid_fields": N_("Some fields are missing or wrong: %(fields)s. Check them and send again."),
}


# Form and JSON fields as a person knows them, for "Some fields are missing or wrong: …".
FIELD_LABELS = {
    "name": N_("name"), "municipalities": N_("municipalities"), "plan": N_("plan"),
    "participation_level": N_("level of participation"), "description": N_("description"),
    "village": N_("village or place"), "venue": N_("venue"), "municipality": N_("municipality"),
    "date": N_("date"), "table_count": N_("number of tables"), "question": N_("question"),
    "minutes": N_("minutes"), "text": N_("note"), "client_id": N_("note id"), "email": N_("e-mail address"),
    "password": N_("password"), "organisation": N_("organisation"), "code": N_("code"), "label": N_("name"),
    "dots": N_("dots per phone"), "department": N_("department"), "saved": N_("number of notes saved"),
    "status": N_("status"), "decision": N_("decision"), "body": N_("the whole request (send a JSON object)"),
    "latitude": N_("latitude"), "longitude": N_("longitude"), "population": N_("inhabitants"),
    "summary": N_("summary"),
}


def invalid_fields_message(fields: list[str], gettext) -> str:
    named = ", ".join(dict.fromkeys(gettext(FIELD_LABELS[f]) if f in FIELD_LABELS else f for f in fields))
    return message_for("invalid_fields", gettext) % {"fields": named}


# How each refusal is answered over HTTP, for pages, the API and phones alike (app/main.py,
# app/note_post.py, the phone's form): the status here, the words in MESSAGES. A code not listed
# was understood and refused: 422.
STATUS = {
    "not_found": 404, "bad_code": 404, "no_public_page": 404,
    "login_required": 401, "csrf": 403, "not_at_table": 403,
    "bad_content_type": 415, "rate_limited": 429,
    "client_id_taken": 409,
    # what the café's phase does not allow now (facilitation/phases.py), and `X_not_allowed_in_Y`
    "cafe_not_open": 409, "cafe_closed": 409, "no_round_running": 409,
    "bad_extension": 409, "bad_reopen": 409, "unknown_action": 409,
}


def status_for(code: str) -> int:
    return STATUS.get(code, 409 if "_not_allowed_in_" in code else 422)


def message_for(code: str, gettext) -> str:
    if code not in MESSAGES and "_not_allowed_in_" in code:
        code = "not_allowed"
    return gettext(MESSAGES.get(code, MESSAGES["not_allowed"]))
