"""Form bodies of the leader's screens. Lengths are capped here; meaning is checked in services."""

from pydantic import BaseModel, Field


class ProcessForm(BaseModel):
    name: str = Field(max_length=1000)
    municipalities: str = Field(default="", max_length=1000)
    plan: str = Field(default="", max_length=1000)
    participation_level: str = Field(default="consultation", max_length=20)
    description: str = Field(default="", max_length=5000)
    csrf_token: str = ""


class CafeForm(BaseModel):
    village: str = Field(max_length=1000)
    venue: str = Field(default="", max_length=1000)
    municipality: str = Field(default="", max_length=1000)
    date: str = Field(max_length=20)
    table_count: int = Field(ge=0, le=1000)
    question: list[str] = Field(default_factory=list, max_length=20)
    minutes: list[int] = Field(default_factory=list, max_length=20)
    latitude: str = Field(default="", max_length=40)
    longitude: str = Field(default="", max_length=40)
    population: str = Field(default="", max_length=40)
    csrf_token: str = ""
