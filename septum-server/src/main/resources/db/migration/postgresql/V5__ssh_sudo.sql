-- nftables over SSH targets: run nft as 'sudo -n nft ...' (a non-root login allowed to run nft
-- without a password by a NOPASSWD sudoers rule). Off for every existing target: they ran nft directly.
ALTER TABLE device_targets ADD COLUMN sudo BOOLEAN NOT NULL DEFAULT FALSE;
