package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * camel-main loads a YAML DSL route file that uses {@code van:}; the component (with an embedded router) is
 * configured by {@code camel.component.van.*} in application.properties.
 */
class YamlDslMainTest {

    @Test
    void yamlRoutesWithTheComponentConfiguredByProperties() throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:main/application.properties");
        main.start();
        try {
            CamelContext context = main.getCamelContext();
            VanComponent van = context.getComponent("van", VanComponent.class);
            assertThat(van.isEmbedded()).isTrue();
            assertThat(van.getReconnectDelay()).isEqualTo(50);
            assertThat(van.embeddedRouter().config().site()).isEqualTo("yaml-site");
            assertThat(context.getRoutes()).hasSize(2);

            String reply = context.createProducerTemplate().requestBody("direct:greet", "world", String.class);
            assertThat(reply).isEqualTo("Hello world from yaml-site");

            HealthCheck check = HealthCheckRegistry.get(context).getCheck("van").orElseThrow();
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        } finally {
            main.stop();
        }
    }
}
