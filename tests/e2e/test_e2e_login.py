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


def test_a_page_address_opened_first_after_the_server_starts_opens_without_page_not_found(server, app):
    """A bookmark to a page, opened as the server's very first visit, showed Streamlit's "Page not found"
    dialog over the login form (Streamlit read ``pages/`` as an old-style multipage app until the first
    ``st.navigation`` call); ``scripts/serve.py`` starts the app without it."""
    assert "script_finished" in server.first_visit  # the first visit's run ended (the login form)
    assert "page_not_found" not in server.first_visit
    app.open("/survey")
    assert not app.page.get_by_text("Page not found").count()
    app.login("admin")
    assert app.heading() == "Survey results"
