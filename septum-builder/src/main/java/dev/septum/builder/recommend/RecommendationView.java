package dev.septum.builder.recommend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of a run, shared by {@code septum recommend -o json} and the REST API: the
 * rules with their evidence and per-flow view, the totals, the guarantees (with {@code hold}),
 * the placement, the new objects, the file names and the probes.
 */
public final class RecommendationView {
    private RecommendationView() {
    }

    public static Map<String, Object> of(Recommendation r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("rules", r.rules());
        doc.put("totals", r.totals());
        Recommendation.Guarantees g = r.guarantees();
        Map<String, Object> guarantees = new LinkedHashMap<>();
        guarantees.put("replayed", g.replayed());
        guarantees.put("replayAllowed", g.replayAllowed());
        guarantees.put("withinBudget", g.withinBudget());
        guarantees.put("precisionAtLeastTau", g.precisionAtLeastTau());
        guarantees.put("nothingUnobservedAtZeroBudget", g.nothingUnobservedAtZeroBudget());
        guarantees.put("placementProven", g.placementProven());
        guarantees.put("builds", g.builds());
        guarantees.put("problems", g.problems());
        guarantees.put("hold", g.hold());
        doc.put("guarantees", guarantees);
        doc.put("placement", r.placement());
        doc.put("newGroups", r.newGroups());
        doc.put("newServices", r.newServices());
        doc.put("files", List.copyOf(r.files().keySet()));
        doc.put("probes", r.probes());
        return doc;
    }
}
