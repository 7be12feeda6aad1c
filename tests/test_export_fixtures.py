"""Files made here in the shape of real HR exports (title lines, encodings, delimiters, line endings,
the wording of the questions): what eevp reads and maps from them by itself.

They stand in for the exports no one may copy into the repository: a Russian survey from an HR system
(Windows-1251, ';', CRLF, a title line and a totals row), a Ukrainian one (UTF-8 with BOM), an HRIS
terminations report in English, review-site exports with bare CRs and "(Former Employee)" titles, and
two monthly files joined into one.
"""

import pandas as pd

from eevp.intake.ingest import ingest_file
from eevp.intake.mapping import suggest_mapping
from eevp.intake.readers import read_table, reading_notes
from eevp.intake.unmapped import unmapped_columns
from eevp.store import db
from eevp.store.auth import CLI_USER


def _ru_hr_system() -> bytes:
    lines = ["Результаты опроса вовлечённости, март 2026;;;;;;;",
             "Дата опроса;Должность;Отдел;Стаж (мес.);Насколько вероятно, что вы порекомендуете компанию как место "
             "работы? (0-10);Оценка руководителя (1-5);Оценка нагрузки (1-5);Комментарий"]
    lines += [f"{i + 1:02d}.03.2026;{('Курьер', 'Оператор', 'Кладовщик')[i % 3]};Логистика;{4 * i + 2};{(i * 7) % 11};"
              f"{i % 5 + 1};{(i * 2) % 5 + 1};Клиенты жалуются, что заказы приходят с опозданием ({i})" for i in range(15)]
    lines.append("Итого;;;;;;;")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def test_russian_hr_system_export():
    df = read_table(_ru_hr_system(), "опрос.csv")
    assert len(df) == 15 and df.columns[0] == "Дата опроса"
    assert [n["row"] for n in reading_notes(df)] == [18]  # the totals row, named as in the file (title on row 1)
    m = suggest_mapping(df, "survey")
    assert (m["wave"], m["role"], m["department"], m["tenure"]) == ("Дата опроса", "Должность", "Отдел", "Стаж (мес.)")
    assert m["enps"].startswith("Насколько вероятно")
    assert m["items"] == ["Оценка руководителя (1-5)", "Оценка нагрузки (1-5)"] and m["text"] == ["Комментарий"]
    assert unmapped_columns(df, m, "survey") == []


def _uk_survey() -> bytes:
    header = ("Хвиля;Посада;Відділ;Стаж, років;Наскільки ймовірно, що ви порекомендуєте компанію як місце роботи?;"
              "Задоволеність навчанням;Коментар\n")
    rows = "".join(f"2026-Q1;{('Оператор', 'Інженер')[i % 2]};Підтримка;{i % 12};{(i * 3) % 11};{i % 5 + 1};"
                   f"Клієнти скаржаться на довге очікування на лінії, випадок {i}\n" for i in range(12))
    return b"\xef\xbb\xbf" + (header + rows).encode("utf-8")


def test_ukrainian_survey_export():
    df = read_table(_uk_survey(), "опитування.csv")
    m = suggest_mapping(df, "survey")
    assert (m["wave"], m["role"], m["department"], m["tenure"]) == ("Хвиля", "Посада", "Відділ", "Стаж, років")
    assert m["enps"].startswith("Наскільки ймовірно") and m["items"] == ["Задоволеність навчанням"]


def _hris_terminations() -> bytes:
    header = ("Employee ID,Worker,Job Profile,Supervisory Organization,Location,Hire Date,Termination Date,"
              "Length of Service (Years),Primary Termination Reason,Regrettable Termination,Exit Interview Comments\n")
    people = ["Anna Smith", "Ben Jones", "Carla Diaz", "Dev Patel", "Emma Brown", "Farid Khan", "Grace Lee",
              "Hugo Martin", "Ines Costa", "Jack White", "Kate Green", "Liam Young"]
    rows = "".join(f"E{1000 + i},{name},{('Sales Associate', 'Store Manager')[i % 2]},Retail North,Leeds,"
                   f"2019-0{i % 9 + 1}-01,2026-0{i % 3 + 1}-1{i % 9},{i % 8 + 0.5},"
                   f"{('Pay', 'Manager', 'Workload')[i % 3]},{('Yes', 'No')[i % 2]},"
                   f"\"Customers kept complaining about queues, and targets rose ({i})\"\n"
                   for i, name in enumerate(people))
    return (header + rows).encode("utf-8")


def test_hris_terminations_report():
    df = read_table(_hris_terminations(), "terminations.csv")
    m = suggest_mapping(df, "exit")
    assert (m["exit_date"], m["role"], m["department"], m["location"]) == (
        "Termination Date", "Job Profile", "Supervisory Organization", "Location")
    assert (m["tenure"], m["reason"], m["regretted"]) == (
        "Length of Service (Years)", "Primary Termination Reason", "Regrettable Termination")
    assert m["identifiers"] == ["Employee ID", "Worker"]  # hashed or redacted, never stored in clear
    assert m["text"] == ["Exit Interview Comments"]
    assert [u["column"] for u in unmapped_columns(df, m, "exit")] == ["Hire Date"]


def _review_site() -> bytes:
    rows = [f"City-of-Leeds,r{i},{i % 5 + 1}.0,Good pay\r Long shifts\rNice team {i},,,"
            f"{('Transit Operator', 'Lifeguard')[i % 2]} ({('Former', 'Current')[i % 3 == 0]} Employee),"
            f"\"March {i + 1}, 2024\"" for i in range(12)]
    return ("employer,id,rating,text,pros,cons,position,date_created\n" + "\n".join(rows) + "\n").encode()


def test_review_site_export_with_bare_carriage_returns(engine, settings):
    res = ingest_file(engine, settings, "exit", _review_site(), "reviews.csv", actor=CLI_USER)
    assert res.rows_read == res.rows_stored == 12 and res.errors == []
    with engine.connect() as conn:
        roles = conn.execute(db.exits.select()).mappings().all()
    assert sorted({r["role"] for r in roles}) == ["Lifeguard", "Transit Operator"]
    with engine.connect() as conn:
        texts = [r.text for r in conn.execute(db.text_units.select().order_by(db.text_units.c.id))]
    assert "Nice team 0" in " ".join(texts) and not any("\r" in t for t in texts)


def test_two_monthly_files_joined_into_one():
    part = "\ufeffWave;Role;Q1;Comment\n" + "".join(
        f"2026-0{m};Engineer;{i % 5 + 1};Customers wait too long, case {m}{i}\n" for i in range(6) for m in [1])
    joined = (part + part.replace("2026-01", "2026-02")).encode("utf-8")
    df = read_table(joined, "joined.csv")
    assert len(df) == 12 and pd.Series(df["Wave"]).value_counts().to_dict() == {"2026-01": 6, "2026-02": 6}
    assert reading_notes(df)[0]["row"] == 8
