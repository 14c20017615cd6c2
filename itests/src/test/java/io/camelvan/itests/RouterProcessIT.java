package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/** The test utility itself: start, ports, metrics, memory, stop, kill, and a clear error for a bad config. */
class RouterProcessIT {

    @Test
    void startsOnFreePortsReportsMetricsAndStopsOnSigterm() throws Exception {
        try (RouterProcess router = RouterProcess.builder("router-process")
                .config("site: rp\n"
                    + "listeners:\n"
                    + "  - {name: amqp, host: 127.0.0.1, port: 0}\n"
                    + "  - {name: second, host: 0.0.0.0, port: 0}\n"
                    + "admin: {host: 127.0.0.1, port: 0}\n")
                .jvmArgs("-Xmx64m")
                .start()) {
            assertThat(router.amqpPort()).isPositive();
            assertThat(router.amqpPort("second")).isPositive().isNotEqualTo(router.amqpPort());
            assertThat(router.adminPort()).isPositive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", router.amqpPort("second")), 1000);
            }
            assertThat(router.metrics()).contains("van_connections_active");
            assertThat(router.metricValue("van_jvm_heap_used_bytes", "site", "rp")).isPositive();
            assertThat(router.metric("van_jvm_heap_used_bytes", "site", "elsewhere")).isEmpty();
            assertThat(router.rssBytes()).isGreaterThan(10L << 20);
            assertThat(router.peakRssBytes()).isGreaterThanOrEqualTo(router.rssBytes());

            router.stop();
            assertThat(router.isAlive()).isFalse();
            assertThat(router.logText()).contains("router stopped");   // SIGTERM ran the shutdown hook
        }
    }

    @Test
    void kill9EndsTheProcessAtOnce() {
        try (RouterProcess router = RouterProcess.start("router-process-kill")) {
            long pid = router.pid();
            router.kill9();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(router.logText()).doesNotContain("router stopped");
        }
    }

    @Test
    void aBadConfigFailsTheStartWithTheRoutersOwnWords() {
        assertThatThrownBy(() -> RouterProcess.builder("router-process-bad")
                .config("site: bad\nlisteners:\n  - {name: amqp, port: 0, colour: blue}\nadmin: {port: 0}\n")
                .start())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("exited with code 2")
            .hasMessageContaining("colour");
    }

    @Test
    void parsesPrometheusSamplesByLabels() {
        String text = "# HELP x y\n# TYPE van_address_deliveries_in_total counter\n"
            + "van_address_deliveries_in_total{router=\"r\",site=\"s\",address=\"a\\\"b\"} 7\n"
            + "van_address_deliveries_in_total{router=\"r\",site=\"s\",address=\"orders\"} 1000\n"
            + "van_jvm_heap_used_bytes{router=\"r\",site=\"s\"} 1.5E7\n";
        assertThat(RouterProcess.parseMetric(text, "van_address_deliveries_in_total", "address", "orders"))
            .hasValue(1000);
        assertThat(RouterProcess.parseMetric(text, "van_address_deliveries_in_total", "address", "a\"b")).hasValue(7);
        assertThat(RouterProcess.parseMetric(text, "van_jvm_heap_used_bytes")).hasValue(15_000_000);
        assertThat(RouterProcess.parseMetric(text, "van_missing")).isEmpty();
    }
}
