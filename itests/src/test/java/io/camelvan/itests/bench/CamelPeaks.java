package io.camelvan.itests.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Camel scenarios' target row: each path's messages per second at its best load. A synchronous
 * sender waits for its outcome, so at a few senders a path is held by its round trip (the VAN's
 * InOnly round trip runs through B's route and back, the broker's only to the enqueue); with enough
 * senders it is held by its CPU per exchange. The row compares the two paths' peaks over the sender
 * counts run, each path at the count that suits it best, with the runs of those counts.
 */
final class CamelPeaks {

    private final Map<CamelRoutesScenario, Map<Target, List<Measurement>>> measured = new LinkedHashMap<>();

    void add(CamelRoutesScenario scenario, Map<Target, List<Measurement>> runs) {
        measured.put(scenario, runs);
    }

    /** Adds one row per kind of Camel scenario run (InOnly, InOut). */
    void addRows(ResultsTable table, Target subject, Target baseline) {
        Map<String, List<CamelRoutesScenario>> byKind = measured.keySet().stream()
            .collect(Collectors.groupingBy(CamelRoutesScenario::kind, LinkedHashMap::new, Collectors.toList()));
        byKind.forEach((kind, scenarios) -> {
            CamelRoutesScenario bestSubject = best(scenarios, subject);
            CamelRoutesScenario bestBaseline = best(scenarios, baseline);
            String counts = scenarios.stream().map(s -> String.valueOf(s.senders())).collect(Collectors.joining("/"));
            Figure peak = Figure.rate("rate", "peak exchanges/s (" + subject.name() + " at " + bestSubject.senders()
                + " senders, " + baseline.name() + " at " + bestBaseline.senders() + ")", "msg/s", Goal.atLeast(2.0));
            table.add(new ResultsTable.Row(kind + ", peak over " + counts + " senders", peak,
                rates(bestSubject, subject), rates(bestBaseline, baseline)));
        });
    }

    private CamelRoutesScenario best(List<CamelRoutesScenario> scenarios, Target target) {
        // a count whose runs all failed (NaN) is never the best
        return scenarios.stream().max(Comparator.comparingDouble(s -> {
            double median = Stats.median(rates(s, target));
            return Double.isNaN(median) ? -1 : median;
        })).orElseThrow();
    }

    private double[] rates(CamelRoutesScenario scenario, Target target) {
        List<Measurement> runs = measured.get(scenario).getOrDefault(target, new ArrayList<>());
        return runs.stream().mapToDouble(m -> m == null ? Double.NaN : m.get("rate")).toArray();
    }
}
