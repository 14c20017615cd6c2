package io.camelvan.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The Kamelet tables in docs/camel-guide.md are generated from the Kamelet files; this test fails when they drift.
 * Run it with {@code -Dvan.docs.update=true} to rewrite them.
 */
class KameletCatalogDocTest {

    private static final Path GUIDE = Path.of("..", "docs", "camel-guide.md");
    private static final String BEGIN = "<!-- kamelets:begin (generated from the Kamelet files by KameletCatalogDocTest) -->";
    private static final String END = "<!-- kamelets:end -->";
    /** The optional connection properties every Kamelet has; documented once. */
    private static final List<String> CONNECTION = List.of("url", "username", "password", "sslContextParameters");

    @Test
    void theGuidesKameletTablesMatchTheKamelets() throws Exception {
        String generated = tables(KameletRulesTest.kamelets());
        String guide = Files.readString(GUIDE);
        int begin = guide.indexOf(BEGIN);
        int end = guide.indexOf(END);
        assertThat(begin).as("%s has the marker %s", GUIDE, BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s", GUIDE, END).isGreaterThan(begin);
        if (Boolean.getBoolean("van.docs.update")) {
            Files.writeString(GUIDE, guide.substring(0, begin + BEGIN.length()) + generated + guide.substring(end));
            return;
        }
        assertThat(guide.substring(begin + BEGIN.length(), end))
            .as("the Kamelet tables in docs/camel-guide.md are out of date; rerun this test with -Dvan.docs.update=true")
            .isEqualTo(generated);
    }

    @Test
    void everyKameletHasTheOptionalConnectionProperties() throws Exception {
        KameletRulesTest.kamelets().forEach((file, k) -> {
            JsonNode definition = k.path("spec").path("definition");
            for (String p : CONNECTION) {
                assertThat(definition.path("properties").has(p)).as("%s declares %s", file, p).isTrue();
                assertThat(definition.path("required").toString()).as("%s requires %s", file, p).doesNotContain('"' + p + '"');
            }
        });
    }

    static String tables(TreeMap<String, JsonNode> kamelets) {
        StringBuilder md = new StringBuilder("\n| Kamelet | type | title | properties (* required) |\n|---|---|---|---|\n");
        for (JsonNode k : kamelets.values()) {
            JsonNode definition = k.path("spec").path("definition");
            List<String> own = new ArrayList<>();
            for (Map.Entry<String, JsonNode> p : properties(definition).entrySet()) {
                if (!CONNECTION.contains(p.getKey())) {
                    own.add(property(definition, p.getKey(), p.getValue()));
                }
            }
            md.append("| `").append(k.path("metadata").path("name").asText()).append("` | ")
                .append(k.path("metadata").path("labels").path("camel.apache.org/kamelet.type").asText()).append(" | ")
                .append(definition.path("title").asText()).append(" | ").append(String.join("<br>", own)).append(" |\n");
        }
        md.append("\nEvery Kamelet also takes these optional connection properties:\n\n")
            .append("| property | type | description |\n|---|---|---|\n");
        // the same in every Kamelet (everyKameletHasTheOptionalConnectionProperties): described as the first has them
        JsonNode connection = kamelets.firstEntry().getValue().path("spec").path("definition").path("properties");
        for (String p : CONNECTION) {
            JsonNode prop = connection.path(p);
            md.append("| `").append(p).append("` | ").append(prop.path("type").asText())
                .append(prop.has("format") ? " (" + prop.path("format").asText() + ")" : "").append(" | ")
                .append(prop.path("description").asText().replace("|", "\\|")).append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static Map<String, JsonNode> properties(JsonNode definition) {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        definition.path("properties").fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
        return all;
    }

    private static String property(JsonNode definition, String name, JsonNode p) {
        boolean required = definition.path("required").toString().contains('"' + name + '"');
        StringBuilder s = new StringBuilder("`").append(name).append('`').append(required ? " *" : "");
        s.append(" (").append(p.path("type").asText());
        if (p.has("enum")) {
            List<String> values = new ArrayList<>();
            p.get("enum").forEach(v -> values.add(v.asText()));
            s.append(": ").append(String.join(" \\| ", values));
        }
        if (p.has("default")) {
            s.append(", default `").append(p.get("default").asText()).append('`');
        }
        return s.append("): ").append(p.path("description").asText().replace("|", "\\|")).toString();
    }
}
