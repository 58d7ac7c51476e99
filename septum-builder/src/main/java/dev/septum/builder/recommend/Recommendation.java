package dev.septum.builder.recommend;

import dev.septum.model.Group;
import dev.septum.model.Rule;
import dev.septum.model.Service;
import java.util.List;
import java.util.SortedMap;

/**
 * What a run proposes and why: the rules with their evidence, what it left out and why, the
 * run's totals, the guarantees as checked, and the YAML files that hold the proposal.
 *
 * @param files file name to text: copied into the policy directory, they add the proposal (new
 *              files, or the rewritten file of the {@code --into} policy)
 */
public record Recommendation(List<ProposedRule> rules, List<Probe> probes, Totals totals, Guarantees guarantees,
                             SortedMap<String, String> files, List<String> newGroups, List<String> newServices,
                             Placement placement, Objects objects) {
    public Recommendation {
        rules = List.copyOf(rules);
        probes = List.copyOf(probes);
        newGroups = List.copyOf(newGroups);
        newServices = List.copyOf(newServices);
    }

    /**
     * One proposed rule and the evidence it rests on.
     *
     * @param overPermission address pairs × ports it allows that no training session used
     * @param opensBeyond    in words, what it allows beyond the evidence
     * @param flows          the observed edges it covers: the per-flow view
     */
    public record ProposedRule(String name, List<String> sources, List<String> destinations, List<String> services,
                               String ports, boolean commonService, long sessions, long firstMillis, long lastMillis,
                               double precision, double overPermission, List<String> opensBeyond, String directionConfidence,
                               List<String> warnings, List<Flow> flows) {
        public ProposedRule {
            sources = List.copyOf(sources);
            destinations = List.copyOf(destinations);
            services = List.copyOf(services);
            opensBeyond = List.copyOf(opensBeyond);
            warnings = List.copyOf(warnings);
            flows = List.copyOf(flows);
        }
    }

    /** Sessions of one client cell to one server cell on one protocol and port. */
    public record Flow(String clientCell, String serverCell, String protocol, int port, long sessions, List<String> clients,
                       List<String> servers, long firstMillis, long lastMillis, String directionConfidence) {
        public Flow {
            clients = List.copyOf(clients);
            servers = List.copyOf(servers);
        }
    }

    /** Sessions reported and never allowed: failed attempts and scans, unknown direction, explicit denials. */
    public record Probe(String kind, String client, String server, String protocol, int port, long sessions, String detail) {
    }

    /**
     * @param observedWeight  Σ address pairs of the observed edges: what β is a fraction of
     * @param overPermission  Σ over rules of address pairs × ports allowed but unobserved
     */
    public record Totals(long sessionsRead, long evidence, long outsideSelection, long failedAttempts, long noDirection,
                         long alreadyAllowed, long deniedByRule, int edges, int rules, double budget, double minPrecision,
                         int portSlack, double observedWeight, double overPermission, double overPermissionRatio,
                         int configLinesAdded, int commandLinesAdded) {
    }

    /** Each guarantee as checked on this run, with what failed. */
    public record Guarantees(long replayed, long replayAllowed, boolean withinBudget, boolean precisionAtLeastTau,
                             boolean nothingUnobservedAtZeroBudget, boolean placementProven, boolean builds,
                             List<String> problems) {
        public Guarantees {
            problems = List.copyOf(problems);
        }

        public boolean hold() {
            return replayed == replayAllowed && withinBudget && precisionAtLeastTau && nothingUnobservedAtZeroBudget
                    && placementProven && builds;
        }
    }

    /**
     * The model objects the files were written from, so that a subset of the rules can be written
     * again ({@link ProposalSelection}); not part of the answer's JSON.
     */
    public record Objects(List<Rule> rules, List<Group> newGroups, List<Service> newServices) {
        public Objects {
            rules = List.copyOf(rules);
            newGroups = List.copyOf(newGroups);
            newServices = List.copyOf(newServices);
        }
    }

    /** Where the rules went: a new policy with its priority, or an existing one before a rule. */
    public record Placement(String policy, String domain, String vrf, boolean newPolicy, int priority, String before) {
    }
}
