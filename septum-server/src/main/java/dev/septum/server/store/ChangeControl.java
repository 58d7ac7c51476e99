package dev.septum.server.store;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A reviewed change on its way to the devices: the version it deploys and every device's result.
 *
 * @param baseVersionId    the approved version the change was merged onto at submit
 * @param runningVersionId the deployed version its review compares with (what the devices run)
 * @param approvedHash     the hash of the build the approver approved; a run deploys only that build
 */
public record ChangeControl(long id, long workspaceId, Optional<Long> baseVersionId, long versionId, State state,
                            String submittedBy, Optional<String> approvedBy, Optional<String> runBy, String createdAt,
                            String updatedAt, String message, List<DeviceResult> devices, Optional<Long> runningVersionId,
                            Optional<String> approvedHash) {
    public ChangeControl {
        devices = List.copyOf(devices);
    }

    public enum State {
        PENDING_APPROVAL, APPROVED, RUNNING, SUCCEEDED, FAILED,
        /** the server stopped while this change control was running; see the devices marked unknown */
        INTERRUPTED,
        /** an approver refused it; its version never runs */
        REJECTED,
        /** its submitter took it back; the workspace is open again */
        WITHDRAWN;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static State parse(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** @param stage 1 for the first device (the canary), 2 for the rest */
    public record DeviceResult(String device, int stage, int position, DeviceState state, String message, String updatedAt) {
    }

    public enum DeviceState {
        PENDING, RUNNING, SUCCEEDED, FAILED, ROLLED_BACK,
        /** not deployed: no target bound, or an earlier device failed */
        SKIPPED,
        /** what the device runs is not known (the server stopped mid-step, or a rollback failed): check it */
        UNKNOWN;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static DeviceState parse(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
