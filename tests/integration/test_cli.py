"""The herinschrijving command: exit codes, Dutch messages, and the demo campaign."""

import sqlalchemy as sa

from campaign.models import Campaign, Case, User


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_users_add_reads_the_password_from_stdin(app, db):
    result = run(
        app,
        "users",
        "add",
        "Piet@Gemeente.invalid",
        "--role",
        "telefoonteam",
        "--password-stdin",
        input="een-veilig-wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    with db.session() as session:
        user = session.scalar(sa.select(User))
        assert (user.email, user.role) == ("piet@gemeente.invalid", "telefoonteam")


def test_bad_input_exits_2_with_a_dutch_message_and_no_traceback(app):
    result = run(
        app,
        "users",
        "add",
        "piet@gemeente.invalid",
        "--role",
        "baas",
        "--password-stdin",
        input="een-veilig-wachtwoord\n",
    )
    assert result.exit_code == 2
    assert "Onbekende rol" in result.output
    assert "Traceback" not in result.output


def test_a_short_password_is_refused(app):
    result = run(app, "users", "add", "piet@gemeente.invalid", "--role", "uwv", "--password-stdin", input="kort\n")
    assert result.exit_code == 2
    assert "minstens 12 tekens" in result.output


def test_campaigns_add_creates_the_default_ladder(app, db):
    assert run(app, "campaigns", "add", "Rotterdam 2026").exit_code == 0
    with db.session() as session:
        campaign = session.scalar(sa.select(Campaign))
        assert [s.kind for s in campaign.steps] == ["uitnodiging", "herinnering", "ultimatum", "voornemen", "besluit"]
    again = run(app, "campaigns", "add", "Rotterdam 2026")
    assert again.exit_code == 2
    assert "bestaat al" in again.output


def test_demo_is_idempotent_and_prints_the_logins(app, db):
    first = run(app, "demo", "--clients", "120")
    assert first.exit_code == 0, first.output
    assert "projectleider@demo.invalid" in first.output
    second = run(app, "demo", "--clients", "120")
    assert "(0 nieuw)" in second.output
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Case)) == 120
        bsns = session.scalars(sa.select(Case.bsn)).all()
    assert len(set(bsns)) == 120


def test_the_demo_code_lets_the_demo_account_log_in(app, web):
    run(app, "demo", "--clients", "5")
    code = run(app, "demo", "code", "telefoonteam@demo.invalid").output.strip()
    web.post("/inloggen/", {"email": "telefoonteam@demo.invalid", "password": "demo-wachtwoord-2026"})
    assert web.post("/inloggen/code", {"code": code}).status == 302
    assert web.get("/").status == 200


def test_demo_code_refuses_real_accounts(app):
    result = run(app, "demo", "code", "iemand@gemeente.invalid")
    assert result.exit_code == 2
