package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With an embedded router the readiness check waits for that router to join its network. */
class EmbeddedRouterHealthTest {

    @Test
    void theCheckIsDownUntilTheEmbeddedRouterHasJoinedItsNetwork(@TempDir Path dir) throws Exception {
        try (TestSites sites = new TestSites(dir)) {
            sites.link("b", "a"); // b dials a as soon as b starts
            CamelContext a = sites.site("a").start(); // nobody has dialled a yet: its router has not joined
            HealthCheck check = HealthCheckRegistry.get(a).getCheck("van").orElseThrow();

            HealthCheck.Result joining = check.call();
            assertThat(joining.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(joining.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("has not joined its network"));

            sites.site("b").start();
            await("a's router joined").atMost(Duration.ofSeconds(20))
                .until(() -> check.call().getState() == HealthCheck.State.UP);
        }
    }
}
