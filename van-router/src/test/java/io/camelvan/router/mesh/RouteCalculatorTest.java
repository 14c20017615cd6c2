package io.camelvan.router.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RouteCalculatorTest {

    /** A square m1-m2-m3-m4 with the diagonal m1-m3, every link cost 1. */
    private static final List<String[]> SQUARE = List.of(
        new String[] {"m1", "m2"}, new String[] {"m2", "m3"}, new String[] {"m3", "m4"},
        new String[] {"m4", "m1"}, new String[] {"m1", "m3"});

    @Test
    void equalPathsAlwaysGoThroughTheLowerFirstHopWhateverOrderTheLinksCameIn() {
        List<String[]> links = new ArrayList<>(SQUARE);
        for (int shuffle = 0; shuffle < 50; shuffle++) {
            Collections.shuffle(links, new java.util.Random(shuffle));
            Map<String, RouteCalculator.Route> routes = RouteCalculator.compute("m2", linkState(links));
            assertThat(routes.get("m4")).isEqualTo(new RouteCalculator.Route("m1", 2));
            assertThat(routes.get("m1")).isEqualTo(new RouteCalculator.Route("m1", 1));
            assertThat(routes.get("m3")).isEqualTo(new RouteCalculator.Route("m3", 1));
        }
    }

    @Test
    void aLinkListedByOneEndOnlyIsNotUsed() {
        Map<String, Map<String, Integer>> state = linkState(SQUARE);
        state.get("m1").remove("m4"); // m4 still lists m1, m1 no longer does
        Map<String, RouteCalculator.Route> routes = RouteCalculator.compute("m2", state);
        assertThat(routes.get("m4")).isEqualTo(new RouteCalculator.Route("m3", 2));
    }

    @Test
    void aNeighbourAndTheRoutersBehindItAreReachedBeforeItsLinkStateListsThisRouter() {
        // a line m1-m2-m3: m1 lists m2 (their hellos agree), m2's link state from before m1 is all m1 has
        Map<String, Map<String, Integer>> state = linkState(List.<String[]>of(new String[] {"m2", "m3"}));
        state.put("m1", new LinkedHashMap<>(Map.of("m2", 1)));
        Map<String, RouteCalculator.Route> routes = RouteCalculator.compute("m1", state);
        assertThat(routes.get("m2")).isEqualTo(new RouteCalculator.Route("m2", 1));
        assertThat(routes.get("m3")).isEqualTo(new RouteCalculator.Route("m2", 2));
        // m3 has the same link state, but the link m1-m2 is not its own: one-way until m2 lists it
        assertThat(RouteCalculator.compute("m3", state)).doesNotContainKey("m1");
    }

    private static Map<String, Map<String, Integer>> linkState(List<String[]> links) {
        Map<String, Map<String, Integer>> state = new LinkedHashMap<>();
        for (String[] l : links) {
            state.computeIfAbsent(l[0], k -> new LinkedHashMap<>()).put(l[1], 1);
            state.computeIfAbsent(l[1], k -> new LinkedHashMap<>()).put(l[0], 1);
        }
        return state;
    }
}
