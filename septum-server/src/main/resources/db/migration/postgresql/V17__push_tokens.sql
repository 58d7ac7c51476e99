-- Issue 15: push tokens, each limited to the push groups it names (one name a line). Only the
-- SHA-256 of the secret is kept, like api_tokens; revoking deletes the row.
CREATE TABLE push_tokens (
    token_hash  VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL UNIQUE,
    group_names TEXT         NOT NULL,
    created_by  VARCHAR(128) NOT NULL,
    created_at  VARCHAR(40)  NOT NULL,
    expires_at  VARCHAR(40)  NOT NULL
);
