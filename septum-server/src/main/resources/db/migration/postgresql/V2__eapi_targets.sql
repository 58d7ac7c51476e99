-- eAPI targets: the device's pinned TLS certificate (PEM, public) and the name of the server's
-- environment variable holding 'user:password'. Credentials themselves are never stored here.
ALTER TABLE device_targets ADD COLUMN certificate TEXT NOT NULL DEFAULT '';
ALTER TABLE device_targets ADD COLUMN credentials_env VARCHAR(64) NOT NULL DEFAULT '';
