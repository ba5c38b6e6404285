"""Rules on the way from themes to the plan: category names, departments, responses."""

import pytest

from facilitation.planning import (
    PlanningRefused, category_name, check_category_removable, department_name, response_text,
)


def refusal(call, *args) -> str:
    with pytest.raises(PlanningRefused) as refused:
        call(*args)
    return refused.value.code


def test_a_category_name_is_trimmed_and_its_spaces_joined():
    assert category_name("  Skola \n och  vård ", ["Friluftsliv"]) == "Skola och vård"


def test_a_category_name_is_unique_whatever_its_case():
    assert refusal(category_name, "friluftsLIV", ["Friluftsliv"]) == "category_exists"


def test_an_empty_or_overlong_category_name_is_refused():
    assert refusal(category_name, "   ", []) == "category_name"
    assert refusal(category_name, "x" * 201, []) == "category_name"


def test_a_category_with_a_confirmed_theme_stays_but_suggestions_do_not_keep_it():
    check_category_removable([False, False])
    assert refusal(check_category_removable, [False, True]) == "category_in_use"


def test_a_blank_department_clears_it_and_a_long_one_is_refused():
    assert department_name("  Socialtjänst ") == "Socialtjänst"
    assert department_name("  ") is None
    assert refusal(department_name, "x" * 201) == "department_too_long"


def test_not_in_the_plan_needs_a_reason():
    assert refusal(response_text, "not_in_plan", "  ") == "response_reason"
    assert response_text("not_in_plan", " Strider mot riksintresset ") == "Strider mot riksintresset"
    assert response_text("received", "") == ""


def test_an_unknown_status_or_overlong_response_is_refused():
    assert refusal(response_text, "maybe", "text") == "response_status"
    assert refusal(response_text, "in_plan", "x" * 2001) == "response_too_long"
