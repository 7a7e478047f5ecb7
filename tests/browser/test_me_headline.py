"""M&E on a desktop picks a half-year, reads the headline table, exports it as XLSX and downloads it."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from navigators.models import RoleGrant
from tests import factories as f
from tests.browser.helpers import named_user, save_screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread


@pytest.fixture
def records(transactional_db):
    """A little of 21/22 H1 in two countries, and Vihaan's return."""
    teams = {code: f.TeamFactory(country=f.CountryFactory(code=code)) for code in ("GB", "RO", "BD")}
    for code, people in (("GB", 3), ("RO", 2), ("BD", 4)):
        for _ in range(people):
            case = f.CaseFactory(team=teams[code], opened_on=date(2021, 1, 4))
            for day in (date(2021, 9, 6), date(2021, 10, 4)):
                f.FollowUpFactory(case=case, occurred_on=day)
    f.TrainingSessionFactory(team=teams["GB"], held_on=date(2021, 11, 3), attendee_count=1250)
    partner = f.PartnerFactory(name="Vihaan", country=f.CountryFactory(code="IN"))
    aggregate = f.AggregateReturnFactory(
        partner=partner, funded=True, period_start=date(2021, 9, 1), period_end=date(2022, 2, 28)
    )
    f.AggregateReturnValueFactory(aggregate_return=aggregate, indicator="survivors_cared_for", value=66)
    return teams


def test_me_produces_checks_and_exports_a_half_years_table(desktop, live_server, records):
    named_user("mel.me", "Mel", "Okafor", role=RoleGrant.Role.MONITORING_EVALUATION)
    page = desktop
    sign_in(page, live_server, "mel.me")

    page.get_by_role("link", name="Headline indicators").click()
    page.get_by_label("Or from").fill("2021-09-01")  # a range that is exactly a half-year is named as one
    page.get_by_label("to", exact=True).fill("2022-02-28")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("21/22 H1")
    table = page.locator("table.headline")
    cared_for = table.locator("tr", has_text="Survivors cared for")
    expect(cared_for.locator("td").nth(3)).to_have_text("9")  # direct work: BD 4, UK 3, RO 2
    expect(cared_for.locator("td").last).to_have_text("9")  # to date
    expect(table.locator("tr", has_text="Frontline professionals trained")).to_contain_text("1,250")
    expect(table).to_contain_text("Vihaan")
    save_screenshot(page, "me-headline.png")

    page.get_by_role("link", name="Export this table").click()
    expect(page.get_by_label("Period")).to_have_value("21/22 H1")
    page.get_by_label("Spreadsheet (XLSX)").check()
    page.get_by_label("Break down").select_option(label="Survivors cared for")
    page.get_by_label("Sex", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Build the export").click()
    link = page.get_by_role("link", name="Download headline")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"Headline", "Outcomes", "Notes"} <= set(workbook.sheetnames)
