"""Form bodies of the leader's screens, and the phone's note form. Lengths are capped and hidden
characters dropped here; meaning is checked in services."""

from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import Request
from pydantic import AfterValidator, BaseModel, Field
from python_multipart.multipart import QuerystringParser

from facilitation.leader_text import clean_leader_text

# Typed text that is stored or shown, cleaned as all leader text is: without NUL and other control
# characters (PostgreSQL refuses NUL), lone surrogates (they cannot be stored) and the invisible
# characters that reorder a public page's text or hide a number in it.
FormText = Annotated[str, AfterValidator(clean_leader_text)]


# A field the leader left empty arrives as missing; text fields default to "" so that the domain
# refuses them and the form comes back with what was typed, not an error page.
class ProcessForm(BaseModel):
    name: FormText = Field(default="", max_length=1000)
    municipalities: FormText = Field(default="", max_length=1000)
    plan: FormText = Field(default="", max_length=1000)
    participation_level: str = Field(default="consultation", max_length=20)
    description: FormText = Field(default="", max_length=5000)
    language: str = Field(default="sv", max_length=8)
    csrf_token: str = ""


class CafeForm(BaseModel):
    village: FormText = Field(default="", max_length=1000)
    venue: FormText = Field(default="", max_length=1000)
    municipality: FormText = Field(default="", max_length=1000)
    date: str = Field(default="", max_length=20)
    table_count: int = Field(ge=0, le=1000)
    question: list[FormText] = Field(default_factory=list, max_length=20)
    minutes: list[int] = Field(default_factory=list, max_length=20)
    trial: bool = False  # the checkbox sends "on" when ticked, nothing when not
    latitude: str = Field(default="", max_length=40)
    longitude: str = Field(default="", max_length=40)
    population: str = Field(default="", max_length=40)
    csrf_token: str = ""


async def read_clipped_form(request: Request, names: tuple[str, ...], max_field_bytes: int) -> dict[str, str]:
    """The fields `names` of a url-encoded form, each cut to its first `max_field_bytes` bytes.

    The framework refuses a whole form with a field over 1 MB, so a phone without JavaScript
    would lose the note it typed; cut instead, the text can be given back in the box. The body
    is read as it streams, never held whole. Other encodings are read as the framework reads them."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        form = await request.form()
        return {name: value for name, value in form.items() if name in names and isinstance(value, str)}
    fields: dict[str, str] = {}
    name, value = bytearray(), bytearray()

    def on_field_start() -> None:
        name.clear()
        value.clear()

    def keep(into: bytearray):
        def on_data(data: bytes, start: int, end: int) -> None:
            into.extend(data[start:min(end, start + max_field_bytes - len(into))])
        return on_data

    def on_field_end() -> None:
        field = unquote_plus(name.decode("latin-1"))
        if field in names:
            fields.setdefault(field, unquote_plus(value.decode("latin-1")))

    parser = QuerystringParser({"on_field_start": on_field_start, "on_field_name": keep(name),
                                "on_field_data": keep(value), "on_field_end": on_field_end})
    async for chunk in request.stream():
        parser.write(chunk)
    parser.finalize()
    return fields
