package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/**
 * The options tables in docs/camel-guide.md are generated from the catalog JSON that camel-component-maven-plugin
 * writes; this test fails when they drift. Run it with {@code -Dvan.docs.update=true} to rewrite them.
 */
class CamelGuideOptionsTest {

    private static final Path GUIDE = Path.of("..", "docs", "camel-guide.md");
    private static final String BEGIN = "<!-- options:begin (generated from van.json by CamelGuideOptionsTest) -->";
    private static final String END = "<!-- options:end -->";

    @Test
    void theGuidesOptionTablesMatchTheCatalog() throws Exception {
        String generated = tables(catalog());
        String guide = Files.readString(GUIDE);
        int begin = guide.indexOf(BEGIN);
        int end = guide.indexOf(END);
        assertThat(begin).as("%s has the marker %s", GUIDE, BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s", GUIDE, END).isGreaterThan(begin);
        String current = guide.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("van.docs.update")) {
            Files.writeString(GUIDE, guide.substring(0, begin + BEGIN.length()) + generated + guide.substring(end));
            return;
        }
        assertThat(current)
            .as("the options tables in docs/camel-guide.md are out of date; rerun this test with -Dvan.docs.update=true")
            .isEqualTo(generated);
    }

    @Test
    void theCatalogIsWhereCamelsComponentsKeepTheirs() {
        assertThat(getClass().getResource("/META-INF/org/apache/camel/component/van/van.json")).isNotNull();
        assertThat(getClass().getResource("/META-INF/services/org/apache/camel/component/van")).isNotNull();
    }

    private static JsonObject catalog() throws Exception {
        try (InputStream in = CamelGuideOptionsTest.class.getResourceAsStream("/META-INF/io/camelvan/camel/van.json")) {
            return (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static String tables(JsonObject catalog) {
        StringBuilder md = new StringBuilder("\n");
        md.append("### Component options (`camel.component.van.*`)\n\n");
        table(md, ((JsonObject) catalog.get("componentProperties")));
        md.append("\n### Endpoint options\n\n");
        table(md, ((JsonObject) catalog.get("properties")));
        md.append("\n### Headers\n\n| header | type | description |\n|---|---|---|\n");
        for (Map.Entry<String, Object> e : ((JsonObject) catalog.get("headers")).entrySet()) {
            JsonObject h = (JsonObject) e.getValue();
            md.append("| `").append(e.getKey()).append("` | ").append(simpleName(h.getString("javaType"))).append(" | ")
                .append(cell(h.getString("description"))).append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static void table(StringBuilder md, Map<String, Object> options) {
        md.append("| option | group | type | default | description |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Object> e : options.entrySet()) {
            JsonObject o = (JsonObject) e.getValue();
            Object dflt = o.get("defaultValue");
            String type = o.containsKey("enum")
                ? ((java.util.Collection<?>) o.get("enum")).stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(" \\| "))
                : simpleName(o.getString("javaType"));
            md.append("| `").append(e.getKey()).append("`").append(Boolean.TRUE.equals(o.get("required")) ? " *" : "")
                .append(" | ").append(o.getString("group")).append(" | ").append(type).append(" | ")
                .append(dflt == null ? "" : "`" + dflt + "`").append(" | ").append(cell(o.getString("description")))
                .append(" |\n");
        }
    }

    private static String simpleName(String javaType) {
        return javaType.substring(javaType.lastIndexOf('.') + 1);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
