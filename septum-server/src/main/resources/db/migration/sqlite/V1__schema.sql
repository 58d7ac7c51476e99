-- Septum's configuration store. Portable SQL; only the identity columns and the audit triggers
-- differ between the SQLite and PostgreSQL files, which are otherwise identical.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          VARCHAR(64)  NOT NULL UNIQUE,
    role          VARCHAR(16)  NOT NULL,
    password_hash VARCHAR(256) NOT NULL,
    created_at    VARCHAR(40)  NOT NULL
);

-- Tokens are stored as SHA-256 hashes: a stolen database does not yield usable tokens.
CREATE TABLE api_tokens (
    token_hash VARCHAR(64)  PRIMARY KEY,
    user_id    BIGINT       NOT NULL REFERENCES users(id),
    label      VARCHAR(128) NOT NULL,
    created_at VARCHAR(40)  NOT NULL
);

-- A policy version is the YAML directory as text, file by file, so export gives back exactly
-- what was imported. UNIQUE(parent_id) keeps the history linear: two writers racing to extend
-- the same version cannot both win, whichever server process they run in.
CREATE TABLE policy_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id  BIGINT       UNIQUE REFERENCES policy_versions(id),
    created_by VARCHAR(64)  NOT NULL,
    created_at VARCHAR(40)  NOT NULL,
    message    VARCHAR(1024) NOT NULL
);

CREATE TABLE policy_files (
    version_id BIGINT       NOT NULL REFERENCES policy_versions(id),
    name       VARCHAR(255) NOT NULL,
    content    TEXT         NOT NULL,
    PRIMARY KEY (version_id, name)
);

CREATE TABLE workspaces (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            VARCHAR(128) NOT NULL UNIQUE,
    base_version_id BIGINT       REFERENCES policy_versions(id),
    state           VARCHAR(16)  NOT NULL,
    revision        BIGINT       NOT NULL,
    created_by      VARCHAR(64)  NOT NULL,
    created_at      VARCHAR(40)  NOT NULL,
    updated_at      VARCHAR(40)  NOT NULL
);

-- The workspace's whole directory (a copy of its base, then edited); a deleted file has no row.
CREATE TABLE workspace_files (
    workspace_id BIGINT       NOT NULL REFERENCES workspaces(id),
    name         VARCHAR(255) NOT NULL,
    content      TEXT         NOT NULL,
    PRIMARY KEY (workspace_id, name)
);

-- The latest build of a workspace at a given revision; a later edit makes it stale.
CREATE TABLE workspace_builds (
    workspace_id  BIGINT      PRIMARY KEY REFERENCES workspaces(id),
    revision      BIGINT      NOT NULL,
    ok            INTEGER     NOT NULL,
    built_by      VARCHAR(64) NOT NULL,
    built_at      VARCHAR(40) NOT NULL,
    diagnostics   TEXT        NOT NULL,
    semantic_diff TEXT        NOT NULL
);

CREATE TABLE build_devices (
    workspace_id BIGINT       NOT NULL REFERENCES workspaces(id),
    device       VARCHAR(128) NOT NULL,
    platform     VARCHAR(16)  NOT NULL,
    changed      INTEGER      NOT NULL,
    config       TEXT         NOT NULL,
    config_diff  TEXT         NOT NULL,
    PRIMARY KEY (workspace_id, device)
);

CREATE TABLE change_controls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id    BIGINT       NOT NULL REFERENCES workspaces(id),
    base_version_id BIGINT       REFERENCES policy_versions(id),
    version_id      BIGINT       NOT NULL REFERENCES policy_versions(id),
    state           VARCHAR(16)  NOT NULL,
    submitted_by    VARCHAR(64)  NOT NULL,
    approved_by     VARCHAR(64),
    run_by          VARCHAR(64),
    created_at      VARCHAR(40)  NOT NULL,
    updated_at      VARCHAR(40)  NOT NULL,
    message         TEXT         NOT NULL
);

-- One row per device of a change control, written before and after each deploy step, so a
-- crash leaves 'running' rows that the next start turns into 'unknown'.
CREATE TABLE device_results (
    change_control_id BIGINT       NOT NULL REFERENCES change_controls(id),
    device            VARCHAR(128) NOT NULL,
    stage             INTEGER      NOT NULL,
    position          INTEGER      NOT NULL,
    state             VARCHAR(16)  NOT NULL,
    message           TEXT         NOT NULL,
    updated_at        VARCHAR(40)  NOT NULL,
    PRIMARY KEY (change_control_id, device)
);

-- Where a device is deployed: the driver and its address (a network namespace for nftables).
CREATE TABLE device_targets (
    device    VARCHAR(128) PRIMARY KEY,
    driver    VARCHAR(32)  NOT NULL,
    address   VARCHAR(255) NOT NULL,
    family    VARCHAR(16)  NOT NULL
);

-- Append-only: the store never updates or deletes these rows.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     VARCHAR(40)  NOT NULL,
    actor  VARCHAR(64)  NOT NULL,
    action VARCHAR(64)  NOT NULL,
    object VARCHAR(255) NOT NULL,
    detail TEXT         NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
