-- Issue 16: the break-set a change control was submitted with (the analysis document as JSON),
-- so review and approval show what the submitter saw and, when it broke observed sessions, who
-- acknowledged that. Written in the submit's own transaction.
CREATE TABLE change_control_breaksets (
    change_control_id BIGINT      PRIMARY KEY REFERENCES change_controls(id),
    acknowledged_by   VARCHAR(64),
    analysis          TEXT        NOT NULL
);
