"""Upload: kind → file → preview → mapping → validation → store; batch history."""

import pandas as pd
import streamlit as st

import webui as ui
from eevp.errors import DuplicateBatchError, EevpError, ValidationFailed
from eevp.intake import ingest, readers, scales, unmapped
from eevp.intake import mapping as mp
from webui import actions

KIND_LABELS = {
    "survey": "Survey batch (eNPS, ratings, comments)",
    "exit": "Exit interviews",
    "focus": "Focus-group notes",
    "evp_catalog": "EVP: benefit catalogue",
    "evp_ratings": "EVP: benefit ratings",
    "customer_feedback": "Customer feedback (reviews, complaints, NPS comments)",
}
LIST_KEYS = {"items": "Rating items", "text": "Free-text questions", "segments": "Extra segment columns",
             "identifiers": "Identifiers (names, e-mails, phones: never stored in clear)",
             "other_reasons": "Other reasons"}

t = ui.t


def mapping_widgets(kind: str, df: pd.DataFrame, suggested: dict) -> dict:
    """One select per field and one multiselect per list, preset from the suggestion; the mapping chosen."""
    columns = ["—"] + list(df.columns)
    chosen: dict = {}
    cols = st.columns(3)
    for i, (name, spec) in enumerate(mp.FIELDS[kind].items()):
        default = suggested.get(name)
        idx = columns.index(default) if isinstance(default, str) and default in columns else 0
        label = t(mp.field_label(name))
        label += " *" if spec.required else ""
        value = cols[i % 3].selectbox(label, columns, index=idx, key=f"map_{kind}_{name}", help=t(spec.description))
        if value != "—":
            chosen[name] = value
    for name in mp.every_row_fields(kind):
        given = None if name in chosen else every_row_value(kind, name)
        if given:
            chosen.setdefault(mp.EVERY_ROW, {})[name] = given
    for key, label in LIST_KEYS.items():
        if key not in mp.LIST_KEYS[kind]:  # customer feedback keeps segments too: they were suggested, never shown
            continue
        default = [c for c in (suggested.get(key) or []) if c in df.columns]
        if isinstance(suggested.get(key), str):
            default = [suggested[key]]
        chosen[key] = st.multiselect(t(label), list(df.columns), default=default, key=f"map_{kind}_{key}",
                                     placeholder=t("Choose options"))
    if kind in ("survey", "exit", "customer_feedback"):
        sc = suggested.get("scale") or {"min": 1, "max": 5}
        c1, c2 = st.columns(2)
        chosen["scale"] = {"min": c1.number_input(t("Rating scale from"), value=int(sc["min"]), step=1),
                           "max": c2.number_input(t("Rating scale to"), value=int(sc["max"]), step=1)}
    return chosen


def every_row_value(kind: str, name: str) -> str | None:
    """A file without a column for a required date or wave: one value for every row (None until given)."""
    label = t(mp.field_label(name))
    if mp.FIELDS[kind][name].type == "wave":
        given = st.text_input(t("No column for '{field}'? One value for every row: a wave label like 2026-Q1, or the "
                                "survey date", field=label), key=f"every_{kind}_{name}")
        return given.strip() or None
    day = st.date_input(t("No column for '{field}'? One date for every row", field=label), value=None,
                        key=f"every_{kind}_{name}", format="YYYY-MM-DD")
    return day.isoformat() if day else None


def choose_mapping(kind: str, df: pd.DataFrame, suggested: dict) -> dict:
    """The mapping widgets, with the items answered in words read as points (and the user's numbers for
    the words no scale knows)."""
    chosen = scales.item_labels(df, mapping_widgets(kind, df, suggested), suggested.get("labels"))
    return scales.with_labels(chosen, ui.answer_labels(scales.conversions(df, chosen), key=f"labels_{kind}"))


def _read_upload(kind: str, settings):
    """The uploaded file read into a frame: (upload, raw bytes, sheet, frame), or None (a message shown)."""
    upload = ui.file_uploader(t("File (CSV or Excel .xlsx; any encoding, any delimiter)"), ["csv", "txt", "tsv", "xlsx"],
                              key=f"file_{kind}")
    if upload is None:
        st.info(t("Choose a file. Headers in English, Russian or Ukrainian are recognised; you can correct the mapping."))
        return None

    raw = upload.getvalue()
    if len(raw) > settings.upload_limit_mb * 1024 * 1024:
        st.error(t("The file is larger than the limit of {mb} MB. Split it into smaller files.",
                   mb=settings.upload_limit_mb))
        return None

    sheet = None
    try:
        if upload.name.lower().endswith(".xlsx"):
            sheets = readers.list_sheets(raw, upload.name)
            sheet = st.selectbox(t("Sheet"), sheets) if len(sheets) > 1 else None
        df = readers.read_table(raw, upload.name, sheet=sheet)
    except EevpError as exc:
        st.error(t(str(exc)))
        return None
    return upload, raw, sheet, df


def _check(kind: str, df: pd.DataFrame, chosen: dict):
    """Step 3: validation, the columns left out, the problems; (prepared, store valid rows only?,
    columns acknowledged?), or None when the mapping itself is wrong (a message shown)."""
    try:
        mp.check_mapping(chosen, list(df.columns), kind)
        prep = ingest.prepare(kind, *mp.fill_every_row(df, chosen))
    except EevpError as exc:
        st.error(t(str(exc)))
        return None
    acknowledged = ui.columns_left_out(unmapped.unmapped_columns(df, chosen, kind), readers.reading_notes(df),
                                       key=f"left_out_{kind}")

    bad = len(prep.bad_rows)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Rows read"), ui.num(len(df)))
    c2.metric(t("Valid rows"), ui.num(len(df) - bad))
    c3.metric(t("Rows with problems"), ui.num(bad))
    skip = False
    if prep.errors:
        st.warning(t("{n} problem(s) found. Nothing is stored unless you choose to store the valid rows only.",
                     n=len(prep.errors)))
        ui.table(ingest.errors_frame(prep.errors, t), key="validation_errors", filename="eevp-problems.csv",
                 height=260)
        st.download_button(t("Download the rejected rows"), ui.to_csv_bytes(ingest.rejected_frame(df, prep.errors)),
                           file_name="eevp-rejected-rows.csv", mime="text/csv")
        skip = st.checkbox(t("Store the valid rows only ({n} rows)", n=len(df) - bad))
    acknowledged = ui.validation_findings(prep.findings, bool(prep.errors), key=f"findings_{kind}") and acknowledged
    return prep, skip, acknowledged


def _store(engine, settings, kind: str, read: tuple, chosen: dict, prep, skip: bool, name: str,
           template_name: str) -> None:
    """Store the batch (validated once, in :func:`_check`), save the mapping template, then analyse;
    ``read`` is what :func:`_read_upload` returned."""
    upload, raw, sheet, df = read
    try:
        with st.status(t("Storing…"), expanded=False) as status:
            result = ingest.ingest_file(engine, settings, kind, raw, upload.name, chosen, name=name, sheet=sheet,
                                        skip_invalid=skip, actor=ui.current_user(), prepared=prep)
            if template_name.strip():
                mp.save_template(engine, template_name.strip(), kind, list(df.columns), chosen,
                                 actor=ui.current_user())
            status.update(label=t("Stored"), state="complete")
        if kind == "customer_feedback":  # customer comments are no staff text units: count the comments
            stored = t("Stored batch {id}: {stored} customer comments ({rejected} rejected).", id=result.batch_id,
                       stored=ui.num(result.rows_stored), rejected=ui.num(result.rows_rejected))
        else:
            stored = t("Stored batch {id}: {stored} rows ({rejected} rejected), {units} text units.",
                       id=result.batch_id, stored=ui.num(result.rows_stored),
                       rejected=ui.num(result.rows_rejected), units=ui.num(result.text_units))
    except DuplicateBatchError as exc:
        st.warning(t(str(exc)))
    except EevpError as exc:
        st.error(t(str(exc)))
    else:
        if result.analysis_needed:
            # New text joins the existing themes in the background (a full refit stays an admin's choice);
            # customer comments are tagged and matched to the staff themes there.
            ui.run_analysis(refit=False, note=stored)
        else:
            st.success(stored)
            st.cache_data.clear()


def new_batch(engine, settings) -> None:
    kind = st.selectbox(t("What are you uploading?"), list(KIND_LABELS), format_func=lambda k: t(KIND_LABELS[k]))
    st.download_button(t("Download a template for this kind (CSV)"),
                       ui.to_csv_bytes(mp.template_frame(kind)), file_name=f"eevp-template-{kind}.csv",
                       mime="text/csv")

    read = _read_upload(kind, settings)
    if read is None:
        return
    upload, raw, sheet, df = read
    st.subheader(t("1. Preview"))
    st.caption(t("{rows} rows, {cols} columns", rows=ui.num(len(df)), cols=len(df.columns)))
    ui.preview_table(df)

    st.subheader(t("2. Map the columns"))
    saved = mp.find_template(engine, kind, list(df.columns))
    suggested = saved or mp.suggest_mapping(df, kind)
    if saved:
        st.success(t("A saved mapping for these headers was applied. Check it below."))
    else:
        st.caption(t("Suggested from the headers and values. Correct anything that is wrong."))

    chosen = choose_mapping(kind, df, suggested)

    template_name = st.text_input(t("Save this mapping as a template (optional name)"), value="")

    st.subheader(t("3. Check"))
    checked = _check(kind, df, chosen)
    if checked is None:
        return
    prep, skip, acknowledged = checked
    name = st.text_input(t("Batch name"), value=upload.name)
    if st.button(t("Store"), type="primary", disabled=bool(prep.errors) and not skip or not acknowledged):
        _store(engine, settings, kind, read, chosen, prep, skip, name, template_name)


def stored_batches() -> None:
    listing = actions.batch_list(lambda k: t(KIND_LABELS[k]) if k in KIND_LABELS else k)
    if listing.empty:
        st.info(t("No batches yet."))
    else:
        ui.plain_table(listing, {"id": "Batch", "kind": "Kind", "name": "Name", "filename": "File",
                                 "created_at": "Stored at", "created_by": "Stored by", "rows_read": "Rows read",
                                 "rows_stored": "Rows stored", "rows_rejected": "Rows rejected", "is_demo": "Demo"})
        if ui.allowed("delete"):
            c1, c2 = st.columns([1, 3])
            target = c1.selectbox(t("Batch to delete"), listing["id"].tolist())
            confirm = c2.checkbox(t("Yes, delete batch {id} and everything derived from it", id=target))
            if c2.button(t("Delete batch"), disabled=not confirm):
                actions.delete_batch(int(target))
                st.success(t("Batch {id} deleted.", id=target))
                st.rerun()
            if actions.has_demo() and st.button(t("Clear the demo data")):
                n = actions.clear_demo()
                st.success(t("Demo data cleared ({n} batches).", n=n))
                st.rerun()


def demo_offer() -> None:
    """Once real data is stored beside the demo organisation: offer to remove the demo (admin and hr)."""
    if not ui.allowed("clear_demo") or not actions.demo_beside_real_data():
        return
    st.warning(t("Your data is shown together with the demo organisation's. Remove the demo so that every chart "
                 "shows your data alone."), icon="🧪")
    busy = ui.analysis_running()
    if st.button(t("Remove the demo data"), type="primary", disabled=busy, key="remove_demo",
                 help=t("Wait until the text analysis has finished.") if busy else None):
        n = actions.clear_demo()
        # the themes built with the demo's text are stale now: the analysis builds them again
        ui.run_analysis(note=t("Demo data cleared ({n} batches).", n=n))


def main() -> None:
    ui.page("Upload data", "⬆️", "upload")
    engine = ui.get_engine()
    settings = ui.get_settings()
    ui.guarded(demo_offer)
    tab_new, tab_stored = st.tabs([t("New upload"), t("Stored batches")])
    with tab_stored:
        ui.guarded(stored_batches)
    with tab_new:
        ui.guarded(lambda: new_batch(engine, settings))


main()
