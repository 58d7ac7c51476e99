package dev.septum.server.ui;

import java.util.Optional;

/**
 * What every page shows around its content: who is logged in, the navigation (with the section
 * the page belongs to) and the workspace island.
 *
 * @param section the navigation entry to mark as current: dashboard, policy, changes, monitor, builder, flows, verify
 */
public record Chrome(String title, String user, String role, String csrf, String section, Island island, Assets assets,
                     Optional<String> notice) {
}
