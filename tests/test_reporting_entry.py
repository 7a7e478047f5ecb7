"""M&E's entry pages: training and prevention sessions and aggregate returns, entered and corrected.

Errors name the field and keep what was typed; nothing is half-saved; history names who did it; only
M&E may use the pages (the whole table is in test_access_matrix.py).
"""

import re
from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from navigators.models import RoleGrant, Team
from reporting import services
from reporting.choices import Indicator
from reporting.entry import forms as reporting_forms
from reporting.models import AggregateReturn, AggregateReturnValue, PreventionSession, TrainingSession
from reporting.periods import financial_year_of, half_year, parse_period
from tests import factories
from tests.conftest import make_user

TODAY = timezone.localdate()
H1 = parse_period("23/24 H1")  # long past, whenever the tests run

TRAINING_LIST = reverse("reporting:training_session_list")
PREVENTION_LIST = reverse("reporting:prevention_session_list")
RETURN_LIST = reverse("reporting:aggregate_return_list")


def days_ago(n):
    return TODAY - timedelta(days=n)


@pytest.fixture
def me(client, world):
    client.force_login(world["me"])
    return client


@pytest.fixture
def partner(db):
    return factories.PartnerFactory(name="LIFT International")


def figures(**values):
    """A return form's figures: every indicator blank but those given."""
    return {indicator: values.get(indicator, "") for indicator in Indicator.values}


def partner_return_form(partner, period="23/24 H1", funded=True, **values):
    return {"partner": partner.pk, "period": period, "funded": "on" if funded else "", "notes": "", **figures(**values)}


# Training sessions.


def test_me_records_a_training_session_and_its_history_names_them(me, world):
    form = {
        "team": world["met"].pk,
        "held_on": days_ago(3).isoformat(),
        "audience": "police",
        "topic": "Spotting county lines exploitation",
        "attendee_count": "18",
    }

    response = me.post(reverse("reporting:training_session_new"), form)

    assert response.status_code == 302
    assert response["Location"] == TRAINING_LIST
    session = TrainingSession.objects.get()
    assert (session.team, session.held_on, session.audience, session.attendee_count, session.recorded_by) == (
        world["met"],
        days_ago(3),
        "police",
        18,
        world["me"],
    )
    assert session.history.get().history_user == world["me"]


def test_a_colleague_corrects_a_training_session_and_history_keeps_both(me, client, world):
    session = services.training_session_save(
        acting_user=world["me"], team=world["met"], held_on=days_ago(10), audience="police", attendee_count=12
    )
    colleague = make_user("me.two", role=RoleGrant.Role.MONITORING_EVALUATION)
    client.force_login(colleague)
    page = client.get(reverse("reporting:training_session_edit", args=[session.pk]))
    assert page.context["form"]["attendee_count"].value() == 12

    client.post(
        reverse("reporting:training_session_edit", args=[session.pk]),
        {"team": world["surrey"].pk, "held_on": days_ago(9).isoformat(), "audience": "health", "attendee_count": "21"},
    )

    session.refresh_from_db()
    assert (session.team, session.held_on, session.audience, session.attendee_count) == (
        world["surrey"],
        days_ago(9),
        "health",
        21,
    )
    assert session.recorded_by == world["me"]  # who recorded it stays; the history says who corrected it
    assert [h.history_user for h in session.history.order_by("history_id")] == [world["me"], colleague]
    assert session.history.earliest("history_id").attendee_count == 12


def test_a_bad_training_session_names_each_field_keeps_what_was_typed_and_saves_nothing(me, world):
    form = {
        "team": world["met"].pk,
        "held_on": (TODAY + timedelta(days=2)).isoformat(),
        "audience": "police",
        "topic": "Typed before the error",
        "attendee_count": "-4",
    }

    page = me.post(reverse("reporting:training_session_new"), form)

    assert page.status_code == 200
    assert page.context["form"].errors == {"attendee_count": ["Ensure this value is greater than or equal to 0."]}
    html = page.content.decode()
    assert 'value="Typed before the error"' in html
    assert 'value="-4"' in html
    assert TrainingSession.objects.count() == 0

    form["attendee_count"] = "4"  # the date is checked by the model, through the service
    page = me.post(reverse("reporting:training_session_new"), form)

    assert page.context["form"].errors == {"held_on": ["Enter a date between 1 Jan 2010 and today."]}
    assert '<a href="#id_held_on">Date: Enter a date between 1 Jan 2010 and today.</a>' in page.content.decode()
    assert TrainingSession.objects.count() == 0


def test_only_direct_work_teams_hold_sessions(me, world):
    partner_team = factories.TeamFactory(name="Partner unit", country=factories.CountryFactory(code="TH"))

    page = me.get(reverse("reporting:training_session_new"))
    assert list(page.context["form"].fields["team"].queryset) == [
        Team.objects.get(name="Bucharest brigade"),
        world["met"],
        world["surrey"],
    ]
    with pytest.raises(ValidationError) as refused:
        services.training_session_save(
            acting_user=world["me"], team=partner_team, held_on=TODAY, audience="police", attendee_count=3
        )
    assert refused.value.message_dict == {"team": ["Partner unit is not a team of the charity's own direct work."]}
    assert TrainingSession.objects.count() == 0


def test_a_correction_keeps_offering_a_team_that_has_since_closed(me, world):
    session = factories.TrainingSessionFactory(team=world["surrey"])
    Team.objects.filter(pk=world["surrey"].pk).update(is_active=False)

    new = me.get(reverse("reporting:training_session_new")).context["form"].fields["team"].queryset
    edit = me.get(reverse("reporting:training_session_edit", args=[session.pk])).context["form"].fields["team"].queryset

    assert world["surrey"] not in new
    assert world["surrey"] in edit


# Prevention sessions.


def test_me_records_and_corrects_a_prevention_session(me, world):
    me.post(
        reverse("reporting:prevention_session_new"),
        {
            "team": world["met"].pk,
            "held_on": days_ago(30).isoformat(),
            "reach": "indirect",
            "participants": "12000",
            "description": "Radio phone-in",
        },
    )
    session = PreventionSession.objects.get()
    assert (session.reach, session.participants, session.recorded_by) == ("indirect", 12000, world["me"])

    me.post(
        reverse("reporting:prevention_session_edit", args=[session.pk]),
        {
            "team": world["met"].pk,
            "held_on": days_ago(30).isoformat(),
            "reach": "direct",
            "participants": "35",
            "description": "School assembly",
        },
    )

    session.refresh_from_db()
    assert (session.reach, session.participants, session.description) == ("direct", 35, "School assembly")
    assert [h.participants for h in session.history.order_by("history_id")] == [12000, 35]
    assert {h.history_user for h in session.history.all()} == {world["me"]}


def test_a_prevention_session_without_its_reach_and_head_count_is_refused_on_those_fields(me, world):
    page = me.post(
        reverse("reporting:prevention_session_new"),
        {"team": world["met"].pk, "held_on": days_ago(1).isoformat(), "description": "Market stall"},
    )

    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"reach", "participants"}
    assert 'value="Market stall"' in page.content.decode()
    assert PreventionSession.objects.count() == 0


# Aggregate returns.


def test_me_enters_a_partner_return_with_its_figures_in_one_go(me, world, partner):
    response = me.post(
        reverse("reporting:aggregate_return_new", args=["partner"]),
        partner_return_form(partner, victims_removed="14", survivors_cared_for="0"),
    )

    assert response.status_code == 302
    assert response["Location"] == RETURN_LIST
    saved = AggregateReturn.objects.get()
    assert (saved.source, saved.partner, saved.country, saved.funded, saved.entered_by) == (
        "partner",
        partner,
        None,
        True,
        world["me"],
    )
    assert (saved.period_start, saved.period_end) == (H1.start, H1.end)
    assert {v.indicator: v.value for v in saved.values.all()} == {"victims_removed": 14, "survivors_cared_for": 0}
    assert {h.history_user for h in AggregateReturnValue.history.all()} == {world["me"]}
    assert saved.history.get().history_user == world["me"]


def test_a_period_is_picked_from_the_recent_ones_or_typed_in_any_case(me, world, partner):
    page = me.get(reverse("reporting:aggregate_return_new", args=["partner"]))
    html = page.content.decode()
    assert re.search(r'<input type="text" name="period"[^>]*list="id_period_periods"', html)
    assert '<option value="23/24 H1">1 Sep 2023 – 29 Feb 2024</option>' in html

    me.post(
        reverse("reporting:aggregate_return_new", args=["partner"]),
        partner_return_form(partner, period=" 22/23  h2 ", victims_removed="3"),
    )

    saved = AggregateReturn.objects.get()
    assert (saved.period_start, saved.period_end) == (parse_period("22/23 H2").start, parse_period("22/23 H2").end)


def test_a_legacy_return_names_a_country_or_direct_work_as_a_whole_and_is_never_funded(me, world):
    gb = world["met"].country
    me.post(
        reverse("reporting:aggregate_return_new", args=["legacy"]),
        {"country": gb.code, "period": "19/20", "funded": "on", **figures(survivors_cared_for="130")},
    )
    me.post(
        reverse("reporting:aggregate_return_new", args=["legacy"]),
        {"country": "", "period": "19/20", **figures(survivors_cared_for="305")},
    )

    returns = {r.country_id: r for r in AggregateReturn.objects.all()}
    assert set(returns) == {"GB", None}
    assert not any(r.funded for r in returns.values())  # the legacy form has no such box: a posted one is ignored
    assert returns[None].values.get().value == 305
    legacy_form = me.get(reverse("reporting:aggregate_return_new", args=["legacy"])).context["form"]
    assert "funded" not in legacy_form.fields
    assert list(legacy_form.fields["country"].queryset.values_list("code", flat=True)) == ["RO", "GB"]  # by name


def test_correcting_a_return_changes_adds_and_removes_figures_in_one_go(me, world, partner):
    saved = services.aggregate_return_save(
        acting_user=world["me"],
        source="partner",
        partner=partner,
        period=H1,
        funded=True,
        values={"victims_removed": 14, "survivors_cared_for": 40},
    )
    page = me.get(reverse("reporting:aggregate_return_edit", args=[saved.pk]))
    assert (page.context["form"]["period"].value(), page.context["form"]["victims_removed"].value()) == ("23/24 H1", 14)

    me.post(
        reverse("reporting:aggregate_return_edit", args=[saved.pk]),
        partner_return_form(partner, funded=False, victims_removed="15", accused_arrested="2"),
    )

    saved.refresh_from_db()
    assert saved.funded is False
    assert {v.indicator: v.value for v in saved.values.all()} == {"victims_removed": 15, "accused_arrested": 2}
    removed = AggregateReturnValue.history.get(indicator="survivors_cared_for", history_type="-")
    assert removed.history_user == world["me"]
    assert [
        h.value for h in AggregateReturnValue.history.filter(indicator="victims_removed").order_by("history_id")
    ] == [14, 15]


def test_a_wrong_period_is_named_kept_as_typed_and_nothing_is_saved(me, world, partner):
    page = me.post(
        reverse("reporting:aggregate_return_new", args=["partner"]),
        partner_return_form(partner, period="22/24", victims_removed="9"),
    )

    assert page.status_code == 200
    assert page.context["form"].errors == {
        "period": [
            "“22/24” is not a period. Type a financial year such as 23/24, or a half-year such as 23/24 H1 or 23/24 H2."
        ]
    }
    html = page.content.decode()
    assert 'value="22/24"' in html
    assert 'name="victims_removed" value="9"' in html
    assert AggregateReturn.objects.count() == 0


def test_a_period_that_has_not_begun_is_refused(me, world, partner):
    next_year = financial_year_of(TODAY).start.year + 1
    label = f"{next_year % 100:02d}/{(next_year + 1) % 100:02d}"

    page = me.post(
        reverse("reporting:aggregate_return_new", args=["partner"]),
        partner_return_form(partner, period=label, victims_removed="1"),
    )

    assert page.context["form"].errors == {"period": [f"{label} has not begun yet."]}
    assert AggregateReturn.objects.count() == 0


def test_a_bad_figure_is_named_on_its_indicator_and_neither_the_return_nor_any_figure_is_saved(me, world, partner):
    page = me.post(
        reverse("reporting:aggregate_return_new", args=["partner"]),
        partner_return_form(partner, victims_removed="14", accused_arrested="-1", exploiters_convicted="many"),
    )

    assert page.context["form"].errors == {
        "accused_arrested": ["Ensure this value is greater than or equal to 0."],
        "exploiters_convicted": ["Enter a whole number."],
    }
    assert 'value="many"' in page.content.decode()
    assert (AggregateReturn.objects.count(), AggregateReturnValue.objects.count()) == (0, 0)


def test_a_figure_the_database_cannot_hold_is_refused_by_the_service_before_anything_is_written(world, partner):
    with pytest.raises(ValidationError) as refused:
        services.aggregate_return_save(
            acting_user=world["me"],
            source="partner",
            partner=partner,
            period=H1,
            values={"victims_removed": 5, "survivors_cared_for": 2**31},
        )

    assert list(refused.value.message_dict) == ["survivors_cared_for"]
    assert (AggregateReturn.objects.count(), AggregateReturnValue.objects.count()) == (0, 0)


def test_a_return_without_any_figure_is_refused(me, world, partner):
    page = me.post(reverse("reporting:aggregate_return_new", args=["partner"]), partner_return_form(partner))

    assert page.context["form"].non_field_errors() == ["Enter at least one figure: a return with none says nothing."]
    assert AggregateReturn.objects.count() == 0


def test_a_second_return_for_the_same_partner_and_period_is_a_form_error_not_a_crash(me, world, partner):
    services.aggregate_return_save(
        acting_user=world["me"], source="partner", partner=partner, period=H1, values={"victims_removed": 14}
    )

    page = me.post(
        reverse("reporting:aggregate_return_new", args=["partner"]), partner_return_form(partner, victims_removed="99")
    )

    assert page.status_code == 200
    assert page.context["form"].errors == {
        "period": [
            "There is already a return from LIFT International for 23/24 H1. Correct that return instead of entering a second one."
        ]
    }
    assert AggregateReturnValue.objects.get().value == 14


def test_a_second_legacy_return_for_direct_work_as_a_whole_is_refused_too(world):
    services.aggregate_return_save(acting_user=world["me"], source="legacy", period=H1, values={"victims_removed": 1})

    with pytest.raises(ValidationError) as refused:
        services.aggregate_return_save(
            acting_user=world["me"], source="legacy", period=H1, values={"victims_removed": 2}
        )

    assert refused.value.message_dict == {
        "period": [
            "There is already a legacy return for direct work as a whole for 23/24 H1. Correct that return instead of entering a second one."
        ]
    }
    assert all(isinstance(error.message, Promise) for error in refused.value.error_dict["period"])  # translatable


def test_a_return_may_be_corrected_without_clashing_with_itself(world, partner):
    saved = services.aggregate_return_save(
        acting_user=world["me"], source="partner", partner=partner, period=H1, values={"victims_removed": 1}
    )

    services.aggregate_return_save(
        acting_user=world["me"],
        aggregate_return=saved,
        source="partner",
        partner=partner,
        period=H1,
        values={"victims_removed": 2},
    )

    assert AggregateReturnValue.objects.get().value == 2


def test_the_same_return_entered_twice_at_once_is_a_form_error(world, partner, monkeypatch):
    """Two people saving the same return together both pass the check; the database refuses the second."""
    services.aggregate_return_save(
        acting_user=world["me"], source="partner", partner=partner, period=H1, values={"victims_removed": 1}
    )
    monkeypatch.setattr(
        services, "_return_checks", lambda aggregate_return, period: None
    )  # the other save's check ran first

    with pytest.raises(ValidationError) as refused:
        services.aggregate_return_save(
            acting_user=world["me"], source="partner", partner=partner, period=H1, values={"victims_removed": 2}
        )

    assert list(refused.value.message_dict) == ["period"]
    assert AggregateReturnValue.objects.get().value == 1


def test_a_legacy_return_for_a_partner_country_is_refused_on_the_country(world, partner):
    with pytest.raises(ValidationError) as refused:
        services.aggregate_return_save(
            acting_user=world["me"], source="legacy", country=partner.country, period=H1, values={"victims_removed": 1}
        )

    assert list(refused.value.message_dict) == ["country"]


def test_an_unknown_kind_of_return_is_not_found(me):
    assert me.get("/reports/returns/new/donor/").status_code == 404


# The lists.


def test_sessions_are_listed_newest_first_and_filtered_by_country_team_and_period(me, world):
    bucharest = Team.objects.get(name="Bucharest brigade")
    old = factories.TrainingSessionFactory(team=world["met"], held_on=parse_period("23/24 H1").start)
    surrey = factories.TrainingSessionFactory(team=world["surrey"], held_on=days_ago(5))
    romania = factories.TrainingSessionFactory(team=bucharest, held_on=days_ago(2))

    def listed(**query):
        return list(me.get(TRAINING_LIST, query).context["page"])

    assert listed() == [romania, surrey, old]
    assert listed(country="GB") == [surrey, old]
    assert listed(team=world["met"].pk) == [old]
    assert listed(period="23/24") == [old]


def test_a_wrong_period_filter_says_so_and_the_other_filters_still_apply(me, world):
    factories.PreventionSessionFactory(team=world["met"])
    factories.PreventionSessionFactory(team=Team.objects.get(name="Bucharest brigade"))

    page = me.get(PREVENTION_LIST, {"country": "GB", "period": "last year"})

    assert len(page.context["page"]) == 1
    assert "“last year” is not a period." in page.content.decode()


def test_returns_are_listed_newest_period_first_and_filtered_by_kind_and_a_period_they_cover(me, world, partner):
    year = services.aggregate_return_save(
        acting_user=world["me"], source="legacy", period=parse_period("19/20"), values={"victims_removed": 1}
    )
    half = services.aggregate_return_save(
        acting_user=world["me"],
        source="partner",
        partner=partner,
        period=parse_period("19/20 H2"),
        values={"victims_removed": 1, "accused_arrested": 3},
    )
    later = services.aggregate_return_save(
        acting_user=world["me"], source="partner", partner=partner, period=H1, values={"victims_removed": 2}
    )

    def listed(**query):
        return list(me.get(RETURN_LIST, query).context["page"])

    assert listed() == [later, half, year]
    assert listed(source="partner") == [later, half]
    assert listed(period="19/20 H1") == [year]  # the year covers its first half
    page = me.get(RETURN_LIST, {"period": "19/20 H2"})
    assert list(page.context["page"]) == [half, year]
    assert [(r.of, r.period_label, r.figures) for r in page.context["page"]] == [
        ("LIFT International", "19/20 H2", 2),
        ("Direct work as a whole", "19/20", 1),
    ]


_first_halves = (half_year(1980 + n, 1) for n in range(100))


def a_return(world):
    """A partner return for a period of its own (first halves of the 1980s onwards), with one figure."""
    period = next(_first_halves)
    factories.AggregateReturnValueFactory(
        aggregate_return=factories.AggregateReturnFactory(period_start=period.start, period_end=period.end)
    )


# Every list: the session, the user, their M&E role (the pages' rule), their roles (the navigation), the
# count, the page of rows with their team and country (or partner). The session lists' filters add the
# direct-work countries and teams to choose from.
@pytest.mark.parametrize(
    ("url", "make", "queries"),
    [
        (TRAINING_LIST, lambda world: factories.TrainingSessionFactory(team=world["met"]), 8),
        (PREVENTION_LIST, lambda world: factories.PreventionSessionFactory(team=world["surrey"]), 8),
        (RETURN_LIST, a_return, 6),
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_a_full_page_of_them(me, world, url, make, queries):
    make(world)
    with CaptureQueriesContext(connection) as one:
        assert len(me.get(url).context["page"]) == 1
    for _ in range(30):
        make(world)

    with CaptureQueriesContext(connection) as many:
        page = me.get(url, {"page": 2}).context["page"]
        assert len(page) == 6  # 25 a page

    assert len(many) == len(one) == queries, [q["sql"][:100] for q in many]


# Who may use the pages (every page and person: test_access_matrix.py).


@pytest.mark.parametrize("who", ["admin", "lead", "assigned"])
def test_administrators_country_leads_and_navigators_are_refused(client, world, who):
    client.force_login(world[who])

    assert client.get(TRAINING_LIST).status_code == 403
    assert client.post(reverse("reporting:training_session_new"), {"team": world["met"].pk}).status_code == 403
    assert TrainingSession.objects.count() == 0


def test_someone_not_signed_in_is_sent_to_sign_in(client, db):
    response = client.get(RETURN_LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_every_label_help_text_and_choice_of_the_entry_forms_is_translatable(world):
    plain = []
    for name, form_class in vars(reporting_forms).items():
        if not (
            isinstance(form_class, type)
            and issubclass(form_class, forms.BaseForm)
            and form_class.__module__ == reporting_forms.__name__
        ):
            continue
        form = form_class()
        for field_name, field in form.fields.items():
            for what in ("label", "help_text"):
                text = getattr(field, what)
                if text and not isinstance(text, Promise):
                    plain.append(f"{name}.{field_name} {what} {text!r}")
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                plain += [
                    f"{name}.{field_name} {label!r}"
                    for value, label in field.choices
                    if value and not isinstance(label, Promise)
                ]
    assert plain == []
