"""The data engine: canonical frames written once as Parquet, queried with DuckDB by every worker.

A source (example files, live GitHub, the history store) turns its data into the frames of
:mod:`app.model.schema` once and writes them with :func:`~app.engine.files.write_facts` into a
folder named after the data's fingerprint. Every worker then opens the same folder: small
results (daily totals, per-dimension daily sums, the seat list) are read into pandas once per
snapshot, and big ones (the breakdown rows, per-person rows) stay on disk and are queried with
DuckDB, so workers share the files through the page cache instead of each holding a copy.

See docs/architecture.md (the flow) and docs/parquet-layout.md (the files, for Athena/Trino/Spark).
"""
