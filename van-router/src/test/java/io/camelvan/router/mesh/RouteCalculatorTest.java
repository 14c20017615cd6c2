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

    private static Map<String, Map<String, Integer>> linkState(List<String[]> links) {
        Map<String, Map<String, Integer>> state = new LinkedHashMap<>();
        for (String[] l : links) {
            state.computeIfAbsent(l[0], k -> new LinkedHashMap<>()).put(l[1], 1);
            state.computeIfAbsent(l[1], k -> new LinkedHashMap<>()).put(l[0], 1);
        }
        return state;
    }
}
