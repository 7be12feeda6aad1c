"""What an HR user can and cannot reach, in a real browser."""

import pytest

pytestmark = pytest.mark.e2e

#: Buttons on Upload › Stored batches that only an admin has.
ADMIN_BUTTONS = ["Delete batch", "Clear the demo data"]
#: Tabs of the Admin page (pages/8_Admin.py).
ADMIN_TABS = ["Accounts", "Audit log", "Erase a respondent"]


def stored_batches_buttons(app) -> list[str]:
    if app.heading() != "Upload data":
        app.go("Upload")
    app.tab("Stored batches")
    return [b for b in ADMIN_BUTTONS if app.page.get_by_role("button", name=b, exact=True).count()]


def admin_tabs(app) -> list[str]:
    return [n for n in ADMIN_TABS if app.page.get_by_role("tab", name=n, exact=True).count()]


def test_hr_sees_no_admin_actions(new_app):
    hr = new_app()
    hr.open("/admin")  # typed by hand: the login form, then no admin page
    hr.login("hr-anna")
    hr.shot("admin-url")
    assert admin_tabs(hr) == []
    if hr.heading() == "Administration":  # the page may open, but only with a refusal
        assert any("Your role does not give access" in w for w in hr.alerts("Warning"))
    else:
        assert hr.heading() == "Employee experience at a glance"
    titles = hr.nav_titles()
    assert {"Home", "Upload", "Survey", "Themes", "Customer insights"} <= set(titles)
    assert "Admin" not in titles
    assert stored_batches_buttons(hr) == []
    hr.shot("upload-stored-batches")

    admin = new_app()  # an admin has all of it: the checks above can fail
    admin.open("/upload")
    admin.login("admin")
    assert stored_batches_buttons(admin) == ADMIN_BUTTONS
    admin.shot("upload-stored-batches")
    assert "Admin" in admin.nav_titles()
    admin.go("Admin")
    admin.shot("admin")
    assert admin_tabs(admin) == ADMIN_TABS
