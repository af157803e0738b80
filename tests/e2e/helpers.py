"""Helpers of the browser tests: logging in through the form, and the axe-core check."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "ett-bra-losenord-42"  # the password tests.factories.UserFactory sets

# The axe rules of WCAG 2.1 level A and AA, the level Swedish public-sector sites must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()  # holds the axe-core script bundled with axe-playwright-python


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form: type into the labelled fields and press the button."""
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.1 A/AA on the page as it is now."""
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def axe_report(name: str, violations: list[dict[str, Any]]) -> str:
    """A report that explains itself: rule, impact, help, and each offending node's target and html."""
    lines = [f"{name}: {len(violations)} WCAG 2.1 A/AA violation(s)"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    target: {', '.join(str(t) for t in node['target'])}")
            lines.append(f"      html: {node['html']}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


class AxeCheck:
    """Checks several pages (axe-core, and no sideways scrolling) and fails once at the end, listing all."""

    def __init__(self) -> None:
        self.reports: list[str] = []

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state()  # a page whose navigation has begun is read once it has come
        if violations := axe_violations(page):
            self.reports.append(axe_report(f"{name} ({page.url})", violations))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            width = page.viewport_size["width"] if page.viewport_size else "?"
            self.reports.append(
                f"{name} ({page.url}): scrolls sideways by {overflow}px at {width}px width (WCAG 1.4.10 Reflow)"
            )

    def assert_clean(self) -> None:
        if self.reports:
            pytest.fail("accessibility problems found\n\n" + "\n\n".join(self.reports), pytrace=False)


def assert_no_axe_violations(page: Page, name: str) -> None:
    axe = AxeCheck()
    axe.check(page, name)
    axe.assert_clean()
