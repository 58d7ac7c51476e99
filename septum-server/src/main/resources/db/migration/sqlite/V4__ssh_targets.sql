-- nftables over SSH targets: the device's pinned host key (an OpenSSH public key line, public;
-- empty means the server user's ~/.ssh/known_hosts decides) and whether credentials_env holds a
-- password or a private key. The secrets themselves are never stored here.
ALTER TABLE device_targets ADD COLUMN host_key TEXT NOT NULL DEFAULT '';
ALTER TABLE device_targets ADD COLUMN ssh_auth VARCHAR(16) NOT NULL DEFAULT '';
