package dev.septum.lab;

import java.net.Inet4Address;
import java.util.List;

/**
 * The lab's monitor node: a mirror agent on the enforcing router that sends the monitored rules'
 * NFLOG packets as GRE, and a collector with its session store in the monitor host's namespace.
 * The lab only places it and reads what it stored; metering lives in septum-flows, which this
 * module must not depend on, so {@code septum lab} (the CLI) supplies the implementation.
 */
public interface LabMonitor {
    /**
     * Where one scenario's monitor runs.
     *
     * @param routerNamespace  the enforcing router, whose ruleset logs monitored packets to {@code nflogGroup}
     * @param monitorNamespace the monitor host, holding {@code tunnelDestination}
     * @param activeTimeoutMs  the monitor object's active timeout
     */
    record Placement(String scenario, String routerNamespace, int nflogGroup, String monitorNamespace,
                     Inet4Address tunnelDestination, String monitorObject, long activeTimeoutMs, String policyDevice) {
    }

    /** A session the monitor metered; {@code rule} is the policy rule that decides it, empty until stored. */
    record Seen(int protocol, String client, String server, int serverPort, long packets, String rule) {
    }

    /** A started monitor: agent and collector both receiving. */
    interface Running extends AutoCloseable {
        /** Sessions metered so far, live or ended, without their rule. */
        List<Seen> metered();

        /**
         * Stops the agent, waits until the collector metered every packet the agent sent, ends every
         * session and returns the stored sessions with their rules.
         *
         * @throws LabException when packets were lost between agent and collector
         */
        List<Seen> finish();

        /** Stops whatever still runs; after {@link #finish()} or on failure. */
        @Override
        void close();
    }

    /** @throws LabException when the agent or the collector cannot start */
    Running start(Placement placement);

    /** For a lab without a monitor node, or a caller without septum-flows: refuses to start one. */
    LabMonitor NONE = placement -> {
        throw new LabException("lab.yaml declares a monitor node, which only 'septum lab' can run (it needs the collector). "
                + "Fix: run it with bin/septum lab run");
    };
}
