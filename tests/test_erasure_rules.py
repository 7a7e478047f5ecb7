"""Every field of the project is classified for erasure (dataprotection/erasure_rules.py), and the
classification names only fields that exist: a field added later cannot escape the rule."""

from django.apps import apps
from django.db import models

from dataprotection.erasure_rules import (
    DELETED,
    ERASED,
    GENERALISED,
    HISTORY,
    KEPT,
    NOT_PERSONAL,
    PROJECT_APPS,
    RULES,
    rule_for,
)
from dataprotection.selectors import is_history_model, survivor_record_kinds


def project_models():
    """Every model with a table of the project apps: historical models and many-to-many tables included."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in PROJECT_APPS and m._meta.managed and not m._meta.proxy
    ]


def test_the_walk_sees_historical_and_permission_models():
    labels = {m._meta.label for m in project_models()}

    assert {"casework.HistoricalFollowUp", "survivors.HistoricalSurvivorIdentity"} <= labels
    assert {"casework.CaseUserObjectPermission", "survivors.SurvivorGroupObjectPermission"} <= labels


def test_every_field_of_every_project_model_is_classified():
    missing = [
        f"{m._meta.label}.{f.name}"
        for m in project_models()
        for f in m._meta.concrete_fields
        if rule_for(m, f.name) is None
    ]

    assert missing == []


def test_the_classification_names_only_fields_that_exist():
    stale = []
    for label, rules in RULES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            stale.append(label)
            continue
        concrete = {f.name for f in model._meta.concrete_fields}
        stale += [f"{label}.{name}" for name in rules if name not in concrete]
    historical = [m for m in project_models() if is_history_model(m)]
    stale += [name for name in HISTORY if not all(name in {f.name for f in m._meta.fields} for m in historical)]

    assert stale == []


def test_each_rule_says_how_or_why():
    vague = [
        (label, name)
        for label, rules in {**RULES, "history": HISTORY}.items()
        for name, rule in rules.items()
        if (rule.verdict == ERASED and not rule.how) or (rule.verdict in {KEPT, NOT_PERSONAL} and not rule.reason)
    ]

    assert vague == []


def test_nothing_of_a_survivors_record_is_called_not_personal():
    """'Not personal' is for staff, the organisation and aggregates; a model holding a survivor's data
    keeps a field only for a reason."""
    kinds = {k.label for k in survivor_record_kinds()}
    guardian = {"survivors.SurvivorUserObjectPermission", "survivors.SurvivorGroupObjectPermission"}
    wrong = [
        f"{label}.{name}"
        for label, rules in RULES.items()
        if label in kinds and label not in guardian
        for name, rule in rules.items()
        if rule.verdict == NOT_PERSONAL and name not in {"id", "version"}
    ]

    assert wrong == []


def test_every_free_text_field_of_a_survivors_record_is_erased():
    """Notes, offences, sentences, first responders, references: free text may hold anything."""
    kept_text = {
        f"{kind.label}.{f.name}"
        for kind in survivor_record_kinds()
        for f in kind.model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not f.primary_key
        and not rule_for(kind.model, f.name).erases
    }

    # The random case reference is the anonymous key; an access record's subject names an export,
    # and an erasure's reason is in the audit chain.
    assert kept_text == {
        "survivors.Survivor.case_reference",
        "survivors.AccessRecord.subject",
        "dataprotection.Erasure.reason",
    }


def test_generalised_and_deleted_rules_are_kept_for_the_survivors_records():
    """A rule that deletes or generalises applies only to models the erasure reaches."""
    reached = {k.label for k in survivor_record_kinds()}
    unreached = [
        f"{label}.{name}"
        for label, rules in RULES.items()
        for name, rule in rules.items()
        if rule.how in {DELETED, GENERALISED} and label not in reached
    ]

    assert unreached == []
