"""Logging in, in a real browser."""

import pytest

pytestmark = pytest.mark.e2e


def test_wrong_password_is_refused_and_right_one_opens_home(app):
    app.open("/")
    app.shot("login-form")
    assert app.page.get_by_role("textbox", name="Username").is_visible()
    assert app.nav_titles() == []  # nothing to navigate to before login

    app.login("admin", "not-the-password")
    app.shot("wrong-password")
    assert "Wrong username or password." in app.alerts()
    assert app.page.get_by_role("textbox", name="Password").is_visible()

    app.login("admin")
    app.shot("home")
    assert app.heading() == "Employee experience at a glance"
    assert not app.page.get_by_role("textbox", name="Password").count()
    assert "Logged in as admin (administrator)" in app.page.locator("[data-testid='stSidebar']").inner_text()
    assert app.nav_titles()[:2] == ["Home", "Upload"]
