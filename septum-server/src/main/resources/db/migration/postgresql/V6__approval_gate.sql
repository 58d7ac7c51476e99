-- The approval gate. A version is 'pending' until its change control is approved, then
-- 'approved', then 'deployed' once a change control put it on the devices; 'rejected' and
-- 'withdrawn' end it. Versions stored before states existed count as approved (or deployed when a
-- change control succeeded with them, pending while theirs still waits).
ALTER TABLE policy_versions ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'approved';
UPDATE policy_versions SET state = 'deployed' WHERE id IN (SELECT version_id FROM change_controls WHERE state = 'succeeded');
UPDATE policy_versions SET state = 'pending' WHERE id IN (SELECT version_id FROM change_controls WHERE state = 'pending-approval');

-- What a change control was merged onto (the newest approved version at submit) and compared with
-- (the newest deployed one), and the hash of the build its approver approved.
ALTER TABLE change_controls ADD COLUMN approved_hash VARCHAR(64);
ALTER TABLE change_controls ADD COLUMN running_version_id BIGINT REFERENCES policy_versions(id);

-- Everyone who changed a workspace's files: none of them may approve its change control.
CREATE TABLE workspace_authors (
    workspace_id BIGINT      NOT NULL REFERENCES workspaces(id),
    user_name    VARCHAR(64) NOT NULL,
    PRIMARY KEY (workspace_id, user_name)
);

-- A build's hash over its device configs and target scripts (what an approval approves), and the
-- script each bound target gets when the device's platform is not the target's own (a switch
-- played by an nftables namespace in a lab).
ALTER TABLE workspace_builds ADD COLUMN hash VARCHAR(64) NOT NULL DEFAULT '';
CREATE TABLE build_scripts (
    workspace_id BIGINT       NOT NULL REFERENCES workspaces(id),
    device       VARCHAR(128) NOT NULL,
    driver       VARCHAR(32)  NOT NULL,
    family       VARCHAR(16)  NOT NULL,
    script       TEXT         NOT NULL,
    PRIMARY KEY (workspace_id, device)
);

-- Accounts: 'active', 'disabled' or 'deleted' (the row stays, so the audit log's names keep
-- meaning one person and a deleted name is never reused).
ALTER TABLE users ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'active';

-- Tokens expire; browser sessions are tokens of kind 'session' with a CSRF token (hashed too).
ALTER TABLE api_tokens ADD COLUMN expires_at VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'api';
ALTER TABLE api_tokens ADD COLUMN csrf_hash VARCHAR(64) NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = to_char((created_at::timestamptz + interval '90 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
