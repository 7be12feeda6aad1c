"""``python -m eevp`` end to end, in-process through ``eevp.cli.main`` (plus one real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eevp.store import db
from eevp.cli import main

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]

# 8 engineers, 7 sales reps, 6 analysts, 2 drivers: drivers are below the threshold of 5, and the
# analysts are hidden with them (complementary suppression). Sales reps are hidden too: department Field
# (9 people) minus its sales reps would give the 2 drivers. Only the engineers stay visible.
_ROLES = ["Engineer"] * 8 + ["Sales Rep"] * 7 + ["Analyst"] * 6 + ["Driver"] * 2
SURVEY_ROWS = [
    f"r{i},2026-Q1,{role},{'IT' if role in ('Engineer', 'Analyst') else 'Field'},{(i * 3) % 11},{i % 5 + 1},"
    f"{(i + 2) % 5 + 1},Comment number {i} about customers waiting."
    for i, role in enumerate(_ROLES)
]
SURVEY_HEADER = "respondent_id,wave,role,department,enps,Career growth,Manager support,Comment"
SURVEY_CSV = SURVEY_HEADER + "\n" + "\n".join(SURVEY_ROWS) + "\n"
SURVEY_MAPPING = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
                  "enps": "enps", "items": ["Career growth", "Manager support"], "text": ["Comment"]}

# 7 engineers, 6 sales reps, 2 drivers: drivers are hidden, and sales with them (complementary).
_EXIT_ROLES = ["Engineer"] * 7 + ["Sales Rep"] * 6 + ["Driver"] * 2
EXIT_CSV = "exit_date,role,department,reason,regretted,enps,Comment\n" + "".join(
    f"2026-0{1 + i % 3}-1{i % 9},{role},IT,{'Pay' if i % 2 else 'Manager'},"
    f"{'yes' if i % 3 else 'no'},{i % 11},Left because of reason {i}.\n" for i, role in enumerate(_EXIT_ROLES))
EXIT_MAPPING = {"exit_date": "exit_date", "role": "role", "department": "department", "reason": "reason",
                "regretted": "regretted", "enps": "enps", "text": ["Comment"]}

CATALOG_CSV = ("benefit,pillar,roles_offered\nHealth insurance,Rewards,all\n"
               "Remote work,Work-life,Engineer;Analyst\n")
CATALOG_MAPPING = {"benefit": "benefit", "pillar": "pillar", "roles_offered": "roles_offered"}
RATINGS_CSV = "respondent_id,wave,role,benefit,importance,satisfaction\n" + "".join(
    f"p{i},2026-Q1,Engineer,{b},{(i % 5) + 1},{((i + 1) % 5) + 1}\n"
    for i in range(6) for b in ("Health insurance", "Remote work"))
RATINGS_MAPPING = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "benefit": "benefit",
                   "importance": "importance", "satisfaction": "satisfaction"}

RESULT_KEYS = {"batch_id", "rows_read", "rows_stored", "rows_rejected", "errors", "mapping", "unmapped",
               "reading_notes", "labels", "findings"}

# A Windows-1251 survey export as HR tools write it: Russian questions, ';' and day-first dates.
RU_HEADER = ("Дата опроса;Должность;Отдел;Стаж (мес.);Вероятность рекомендации (0-10);Оценка руководителя (1-5);"
             "Оценка нагрузки (1-5);Комментарий")
RU_ROWS = [f"{10 + i}.03.2026;{'Курьер' if i % 2 else 'Оператор'};Логистика;{6 * i + 3};{i % 11};{i % 5 + 1};"
           f"{(i + 2) % 5 + 1};Клиенты часто жалуются на задержки доставки, случай {i}" for i in range(14)]


def _ru_export(rows: list[str]) -> bytes:
    return (RU_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1251")


@pytest.fixture
def cli(engine, settings, tmp_path, monkeypatch, capsys):
    """Run ``python -m eevp ARGS --db URL --json`` in-process; returns (exit code, parsed stdout, stderr)."""
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    for name in ("EEVP_DATABASE_URL", "EEVP_MIN_GROUP", "EEVP_MIN_COMMENT_GROUP", "EEVP_UPLOAD_LIMIT_MB"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, as_json: bool = True):
        capsys.readouterr()
        rc = main([*args, "--db", settings.database_url] + (["--json"] if as_json else []))
        out, err = capsys.readouterr()
        return rc, (json.loads(out) if as_json and out.strip() else out), err

    return run


def write(tmp_path: Path, name: str, content: str | dict) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def ingest(cli, tmp_path, kind: str, csv: str, mapping: dict | None, name: str, *extra: str):
    args = ["ingest", kind, write(tmp_path, name, csv)]
    if mapping is not None:
        args += ["--mapping", write(tmp_path, name + ".mapping.json", mapping)]
    return cli(*args, *extra)


def test_init_creates_schema_and_first_admin(cli, tmp_path):
    rc, out, err = cli("init")
    assert rc == 0
    assert out["schema_version"] == db.SCHEMA_VERSION
    assert (tmp_path / "users.json").exists()
    assert "admin" in json.loads((tmp_path / "users.json").read_text())["users"]
    assert "password" in err  # shown once on the first run
    rc, _, err = cli("init")
    assert rc == 0 and "password" not in err  # not again


def test_ingest_with_mapping_prints_the_result_keys(cli, tmp_path):
    rc, out, _ = ingest(cli, tmp_path, "survey", SURVEY_CSV, SURVEY_MAPPING, "s.csv")
    assert rc == 0
    assert set(out) == RESULT_KEYS
    assert (out["rows_read"], out["rows_stored"], out["rows_rejected"], out["errors"]) == (23, 23, 0, [])
    rc, listed, _ = cli("batches")
    assert rc == 0
    assert [(b["id"], b["kind"], b["rows_stored"], b["filename"]) for b in listed["batches"]] == \
        [(out["batch_id"], "survey", 23, "s.csv")]


def test_ingest_without_mapping_uses_the_suggested_one(cli, tmp_path):
    rc, out, _ = ingest(cli, tmp_path, "survey", SURVEY_CSV, None, "auto.csv")
    assert rc == 0, out
    assert set(out) == RESULT_KEYS and out["rows_stored"] == 23
    rc, report, _ = cli("report", "survey", "--by", "role")
    assert rc == 0
    visible = [g for g in report["groups"] if not g["suppressed"]]
    assert {g["group"] for g in visible} == {"Engineer"}
    assert set(visible[0]["items"]) == {"Career growth", "Manager support"}


def test_bad_rows_exit_2_list_every_error_and_store_nothing(cli, tmp_path):
    bad = SURVEY_CSV.replace("r1,2026-Q1,Engineer,IT,3,", "r1,2026-Q1,Engineer,IT,12,") \
                    .replace("r2,2026-Q1,Engineer,IT,6,3,", "r2,2026-Q1,Engineer,IT,6,9,")
    assert bad.count("\n") == SURVEY_CSV.count("\n") and bad != SURVEY_CSV
    rc, out, _ = ingest(cli, tmp_path, "survey", bad, SURVEY_MAPPING, "bad.csv")
    assert rc == 2
    assert set(out) == RESULT_KEYS
    assert out["batch_id"] is None and out["rows_stored"] == 0 and out["rows_rejected"] == 2
    assert all(set(e) == {"row", "column", "value", "message"} for e in out["errors"])
    assert {(e["row"], e["column"]) for e in out["errors"]} == {(3, "enps"), (4, "Career growth")}
    assert {e["value"] for e in out["errors"]} == {"12", "9"}
    rc, listed, _ = cli("batches")
    assert listed["batches"] == []

    rc, out, _ = ingest(cli, tmp_path, "survey", bad, SURVEY_MAPPING, "bad.csv", "--skip-invalid")
    assert rc == 0
    assert (out["rows_read"], out["rows_stored"], out["rows_rejected"]) == (23, 21, 2)
    assert len(out["errors"]) == 2 and isinstance(out["batch_id"], int)


def test_duplicate_file_exits_2_and_is_not_stored_again(cli, tmp_path):
    rc, first, _ = ingest(cli, tmp_path, "survey", SURVEY_CSV, SURVEY_MAPPING, "s.csv")
    assert rc == 0
    rc, _, err = ingest(cli, tmp_path, "survey", SURVEY_CSV, SURVEY_MAPPING, "copy.csv")
    assert rc == 2
    assert f"batch {first['batch_id']}" in err
    rc, listed, _ = cli("batches")
    assert len(listed["batches"]) == 1


def test_delete_removes_the_batch_and_unknown_id_fails(cli, tmp_path):
    _, a, _ = ingest(cli, tmp_path, "survey", SURVEY_CSV, SURVEY_MAPPING, "a.csv")
    _, b, _ = ingest(cli, tmp_path, "survey", SURVEY_CSV.replace("about customers", "about clients"), SURVEY_MAPPING, "b.csv")
    rc, out, _ = cli("delete", str(a["batch_id"]))
    assert rc == 0
    assert out["deleted"] == a["batch_id"] and out["rows"]["survey_responses"] == 23
    _, listed, _ = cli("batches")
    assert [x["id"] for x in listed["batches"]] == [b["batch_id"]]
    rc, _, err = cli("delete", str(a["batch_id"]))
    assert rc == 1 and f"no batch {a['batch_id']}" in err


def test_report_survey_by_role_shape_and_suppression(cli, tmp_path):
    ingest(cli, tmp_path, "survey", SURVEY_CSV, SURVEY_MAPPING, "s.csv")
    rc, out, _ = cli("report", "survey", "--by", "role")
    assert rc == 0
    assert out["by"] == "role" and out["threshold"] == 5
    groups = {g["group"]: g for g in out["groups"]}
    assert set(groups) == {"Engineer", "Sales Rep", "Analyst", "Driver"}
    for g in out["groups"]:
        assert set(g) == {"group", "n", "suppressed", "enps", "items", "favourable"}
    for hidden in ("Driver", "Analyst"):
        assert groups[hidden] == {"group": hidden, "n": None, "suppressed": True, "enps": None, "items": {},
                                  "favourable": {}}
    eng = groups["Engineer"]
    assert eng["n"] == 8 and eng["suppressed"] is False
    scores = [int(r.split(",")[4]) for r in SURVEY_ROWS[:8]]
    expected_enps = 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / 8
    assert eng["enps"] == pytest.approx(expected_enps, abs=0.05)
    growth = [int(r.split(",")[5]) for r in SURVEY_ROWS[:8]]
    assert eng["items"]["Career growth"] == pytest.approx(sum(growth) / 8, abs=1e-3)
    assert eng["favourable"]["Career growth"] == pytest.approx(sum(g >= 4 for g in growth) / 8, abs=1e-3)


def test_report_exits_and_evp(cli, tmp_path):
    assert ingest(cli, tmp_path, "exit", EXIT_CSV, EXIT_MAPPING, "exits.csv")[0] == 0
    assert ingest(cli, tmp_path, "evp_catalog", CATALOG_CSV, CATALOG_MAPPING, "cat.csv")[0] == 0
    assert ingest(cli, tmp_path, "evp_ratings", RATINGS_CSV, RATINGS_MAPPING, "rat.csv")[0] == 0

    rc, exits, _ = cli("report", "exits", "--by", "role")
    assert rc == 0
    groups = {g["group"]: g for g in exits["groups"]}
    assert set(groups) == {"Engineer", "Sales Rep", "Driver"}
    for hidden in ("Driver", "Sales Rep"):
        assert groups[hidden]["suppressed"] is True and groups[hidden]["n"] is None
        assert groups[hidden]["reasons"] == {} and groups[hidden]["regretted_share"] is None
    assert groups["Engineer"]["n"] == 7 and groups["Engineer"]["suppressed"] is False
    assert groups["Engineer"]["regretted_share"] == pytest.approx(4 / 7, abs=1e-3)

    rc, evp, _ = cli("report", "evp")
    assert rc == 0
    rows = {(r["role"], r["benefit"]): r for r in evp["rows"]}
    health = rows[("Engineer", "Health insurance")]
    assert health["n"] == 6 and health["suppressed"] is False
    assert health["importance"] == pytest.approx(sum((i % 5) + 1 for i in range(6)) / 6, abs=1e-3)
    assert health["satisfaction"] == pytest.approx(sum(((i + 1) % 5) + 1 for i in range(6)) / 6, abs=1e-3)


def test_subprocess_batches_json(cli, tmp_path, settings):
    _, stored, _ = ingest(cli, tmp_path, "survey", SURVEY_CSV, SURVEY_MAPPING, "s.csv")
    env = {**os.environ, "EEVP_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "eevp", "batches", "--db", settings.database_url, "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)["batches"]
    assert [(b["id"], b["rows_stored"], b["name"]) for b in listed] == [(stored["batch_id"], 23, "s.csv")]


def test_embed_fills_the_cache_once_and_analyze_then_embeds_nothing(cli, tmp_path, engine):
    from sqlalchemy import func, select

    comments = [f"Customers wait {i} minutes on the hotline before anyone answers." for i in range(20)]
    comments += [f"The new CRM loses order {i} every week." for i in range(20)] + ["n/a", "-"]
    csv = "wave,role,Comment\n" + "".join(f"2026-Q1,Agent,{c}\n" for c in comments)
    assert ingest(cli, tmp_path, "survey", csv, {"wave": "wave", "role": "role", "text": ["Comment"]}, "c.csv")[0] == 0
    rc, out, _ = cli("embed")
    assert rc == 0
    from eevp.themes.embeddings import default_embedder

    assert (out["units"], out["embedded_new"], out["model_id"]) == (40, 40, default_embedder().model_id)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.embeddings)).scalar() == 40
    assert cli("embed")[1]["embedded_new"] == 0  # never twice
    rc, out, _ = cli("analyze")
    assert rc == 0 and out["embedded_new"] == 0 and out["themes"] >= 1


def test_report_themes_gives_each_theme_a_summary_quoting_its_own_statements(cli, tmp_path):
    hotline = [f"Customers wait {i} minutes on the hotline before anyone answers." for i in range(20)]
    crm = [f"The new CRM loses order {i} every week." for i in range(20)]
    csv = "wave,role,Comment\n" + "".join(f"2026-Q1,Agent,{c}\n" for c in hotline + crm)
    assert ingest(cli, tmp_path, "survey", csv, {"wave": "wave", "role": "role", "text": ["Comment"]}, "c.csv")[0] == 0
    assert cli("analyze")[0] == 0
    rc, out, _ = cli("report", "themes")
    assert rc == 0 and out["themes"]
    for theme in out["themes"]:
        summary = theme["summary"]
        assert summary["lead"].startswith(f"{theme['people']} people")
        assert 3 <= len(summary["quotes"]) <= 5 and len(set(summary["quotes"])) == len(summary["quotes"])
        assert set(summary["quotes"]) <= set(hotline) or set(summary["quotes"]) <= set(crm)


def test_russian_export_maps_enps_and_tenure_by_itself(cli, tmp_path, engine):
    path = tmp_path / "опрос.csv"
    path.write_bytes(_ru_export(RU_ROWS))
    rc, out, _ = cli("ingest", "survey", str(path))
    assert rc == 0, out
    m = out["mapping"]
    assert (m["enps"], m["tenure"], m["wave"], m["role"]) == (
        "Вероятность рекомендации (0-10)", "Стаж (мес.)", "Дата опроса", "Должность")
    assert m["items"] == ["Оценка руководителя (1-5)", "Оценка нагрузки (1-5)"] and m["text"] == ["Комментарий"]
    assert out["unmapped"] == []
    with engine.connect() as conn:
        got = conn.execute(db.survey_responses.select().order_by(db.survey_responses.c.record_no)).mappings().all()
    assert [r["enps"] for r in got] == [i % 11 for i in range(14)]
    # Tenure is in months: 3 months is under a year, 81 months (6.75 years) is 5-10 years.
    assert (got[0]["tenure"], got[4]["tenure"], got[13]["tenure"]) == ("<1 year", "1-3 years", "5-10 years")


def test_russian_export_with_bad_enps_values_is_refused_with_both_errors(cli, tmp_path):
    rows = list(RU_ROWS)
    rows[2] = rows[2].replace(";15;2;", ";15;11;", 1)  # row 4 of the file
    rows[5] = rows[5].replace(";33;5;", ";33;abc;", 1)  # row 7
    assert rows[2] != RU_ROWS[2] and rows[5] != RU_ROWS[5]
    path = tmp_path / "bad.csv"
    path.write_bytes(_ru_export(rows))
    rc, out, _ = cli("ingest", "survey", str(path))
    assert rc == 2
    assert out["mapping"]["enps"] == "Вероятность рекомендации (0-10)"
    assert {(e["row"], e["column"], e["value"]) for e in out["errors"]} == {
        (4, "Вероятность рекомендации (0-10)", "11"), (7, "Вероятность рекомендации (0-10)", "abc")}
    assert out["batch_id"] is None and out["rows_stored"] == 0
    rc, listed, _ = cli("batches")
    assert listed["batches"] == []


def test_unmapped_columns_are_listed_and_strict_refuses_an_enps_like_one(cli, tmp_path):
    csv = SURVEY_CSV.replace(SURVEY_HEADER, SURVEY_HEADER.replace("enps", "Q7"))
    rc, out, _ = ingest(cli, tmp_path, "survey", csv, None, "q7.csv", "--strict")
    assert rc == 2
    assert "enps" not in out["mapping"]
    assert out["unmapped"] == [{"column": "Q7", "reason": "Looks like eNPS (whole numbers 0–10) but the header was "
                                "not recognised.", "suggestion": "enps", "warning": True}]
    assert [(e["row"], e["column"]) for e in out["errors"]] == [(None, "Q7")]
    rc, listed, _ = cli("batches")
    assert listed["batches"] == []
    rc, out, _ = ingest(cli, tmp_path, "survey", csv, None, "q7.csv")  # without --strict: stored, listed
    assert rc == 0 and out["rows_stored"] == 23 and [u["column"] for u in out["unmapped"]] == ["Q7"]


def test_text_output_names_the_unmapped_columns(cli, tmp_path):
    csv = SURVEY_CSV.replace(SURVEY_HEADER, SURVEY_HEADER.replace("enps", "Q7"))
    rc, out, _ = cli("ingest", "survey", write(tmp_path, "q7.csv", csv), as_json=False)
    assert rc == 0
    assert "column 'Q7' not mapped: Looks like eNPS (whole numbers 0–10) but the header was not recognised. " \
           "(suggestion: enps)" in out


def test_user_without_a_terminal_reads_the_password_from_stdin_or_a_file(tmp_path, settings):
    from eevp.store.auth import authenticate

    env = {**os.environ, "EEVP_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    base = [sys.executable, "-m", "eevp", "user", "--db", settings.database_url]

    def run(*args, stdin=""):
        return subprocess.run([*base, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                              timeout=120, check=False)

    piped = run("hr-anna", "--role", "hr", stdin="s3cret-Passw0rd!\n")
    assert piped.returncode == 0, piped.stderr
    (tmp_path / "pw.txt").write_text("an0ther-Passw0rd!\n", encoding="utf-8")
    from_file = run("cx-bob", "--role", "cx", "--password-file", str(tmp_path / "pw.txt"))
    assert from_file.returncode == 0, from_file.stderr
    none = run("viewer-cy", "--role", "viewer")
    assert none.returncode != 0 and "EOFError" not in none.stderr and "--password-file" in none.stderr
    s = settings.__class__(data_dir=tmp_path, database_url=settings.database_url)
    assert authenticate(s, "hr-anna", "s3cret-Passw0rd!").role == "hr"
    assert authenticate(s, "cx-bob", "an0ther-Passw0rd!").role == "cx"


def test_help_loads_no_command_and_nothing_heavy():
    """``python -m eevp --help`` parses only: the commands (pandas, SQLAlchemy, the models) load after."""
    code = ("import sys\nfrom eevp.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'sqlalchemy', 'sklearn', 'eevp.commands') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip().splitlines()[-1] == "[]"
