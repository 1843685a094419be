-- Spreadsheet imports (the importer surface): an organization's import
-- settings, saved mappings, imports with their file, and each import's
-- result rows. Progress (rows done) is written in the transaction of the
-- entities it counts, so a restarted import resumes where it committed.

CREATE TABLE import_settings (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    increment_doc_number BIGINT NOT NULL DEFAULT 0,
    send_doc_number BIGINT NOT NULL DEFAULT 1,
    create_missing_contacts BIGINT NOT NULL DEFAULT 0,
    create_missing_items BIGINT NOT NULL DEFAULT 0,
    update_existing BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

CREATE TABLE import_mappings (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    entity_name TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    -- [{"source": title or null, "field_id": n, "fixed": value or null}]
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX import_mappings_org ON import_mappings (organization_id, id);

CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    mapping_id TEXT,
    entity_name TEXT NOT NULL,
    status TEXT NOT NULL,
    dry_run BIGINT NOT NULL,
    file_name TEXT,
    -- csv or xlsx
    file_kind TEXT NOT NULL,
    sheet_name TEXT,
    -- the mapping's fields as the import uses them (a later edit of the
    -- mapping does not change a running import)
    fields TEXT NOT NULL,
    -- data rows in the file, and the entities they make
    total BIGINT NOT NULL DEFAULT 0,
    entities BIGINT NOT NULL DEFAULT 0,
    -- rows done; each batch advances it with its entities
    done BIGINT NOT NULL DEFAULT 0,
    succeeded BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    warnings BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
CREATE INDEX imports_org ON imports (organization_id, id);
CREATE INDEX imports_org_status ON imports (organization_id, status);

-- The uploaded file, base64, until the import is reverted or pruned.
CREATE TABLE import_files (
    import_id TEXT PRIMARY KEY REFERENCES imports (id),
    content TEXT NOT NULL
);

CREATE TABLE import_results (
    import_id TEXT NOT NULL REFERENCES imports (id),
    seq BIGINT NOT NULL,
    order_number BIGINT NOT NULL,
    type TEXT NOT NULL,
    text TEXT NOT NULL,
    -- what the row created or updated: its kind (invoice, customer...) and id
    object_kind TEXT,
    object_id TEXT,
    object_info TEXT,
    is_reverted BIGINT NOT NULL DEFAULT 0,
    is_updated BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, seq)
);
CREATE INDEX import_results_type ON import_results (import_id, type, seq);
