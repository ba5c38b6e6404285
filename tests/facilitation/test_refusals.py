import pytest

from facilitation.notes import NoteRejected
from facilitation.phases import PhaseError
from facilitation.process import PlanError
from facilitation.refusals import NotFound, Refused
from facilitation.retention import DeletionRefused
from facilitation.voting import VoteRefused


@pytest.mark.parametrize("kind", [NoteRejected, PhaseError, PlanError, VoteRefused, DeletionRefused])
def test_every_refusal_of_a_rule_is_a_refused_with_its_code(kind):
    with pytest.raises(Refused) as refused:
        raise kind("some_code")
    assert refused.value.code == "some_code"
    assert str(refused.value) == "some_code"


def test_not_found_says_not_found_unless_told_otherwise():
    assert NotFound().code == "not_found"
    assert NotFound("no_public_page").code == "no_public_page"


def test_a_plan_error_is_still_a_value_error_for_callers_that_catch_one():
    assert isinstance(PlanError("minutes"), ValueError)
