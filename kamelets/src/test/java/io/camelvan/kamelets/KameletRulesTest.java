package io.camelvan.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Kamelet on the classpath follows {@link KameletRules}, and the rules catch a broken copy. */
class KameletRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> CATALOG = List.of("van-http-sink", "van-http-source", "van-request-action",
        "van-sink", "van-source", "van-tcp-sink", "van-tcp-source");

    /** The Kamelet files under kamelets/ on the classpath, by file name. */
    static TreeMap<String, JsonNode> kamelets() throws Exception {
        URL dir = KameletRulesTest.class.getResource("/kamelets");
        assertThat(dir).as("kamelets/ on the classpath").isNotNull();
        TreeMap<String, JsonNode> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                all.put(f.getFileName().toString(), YAML.readTree(f.toFile()));
            }
        }
        return all;
    }

    @Test
    void theCatalogHasEveryKamelet() throws Exception {
        assertThat(kamelets().keySet()).containsExactlyElementsOf(
            CATALOG.stream().map(n -> n + ".kamelet.yaml").sorted().toList());
    }

    @Test
    void everyKameletFollowsTheRules() throws Exception {
        kamelets().forEach((file, kamelet) -> assertThat(KameletRules.violations(file, kamelet)).as(file).isEmpty());
    }

    static Stream<Arguments> brokenCopies() {
        return Stream.of(
            broken("van-sink", "no title", k -> definition(k).remove("title"), "has no title"),
            broken("van-source", "wrong type label", k -> labels(k).put("camel.apache.org/kamelet.type", "sink"),
                "does not end with -sink"),
            broken("van-source", "unknown type label", k -> labels(k).put("camel.apache.org/kamelet.type", "gadget"),
                "not source, sink or action"),
            broken("van-sink", "title of another type", k -> definition(k).put("title", "VAN Source"),
                "does not end with Sink"),
            broken("van-sink", "undeclared placeholder",
                k -> toStep(k).put("uri", "van:{{address}}?prefetch={{prefetch}}"),
                "placeholder {{prefetch}} is not a declared property"),
            broken("van-sink", "unused property", k -> properties(k).putObject("concurrency")
                .put("title", "Concurrency").put("description", "How many at once.").put("type", "integer"),
                "property 'concurrency' is declared but not used"),
            broken("van-sink", "property without a type", k -> ((ObjectNode) properties(k).get("address")).remove("type"),
                "property 'address' has type ''"),
            broken("van-sink", "password in clear", k -> ((ObjectNode) properties(k).get("password")).remove("format"),
                "secret property 'password' is not format: password"),
            broken("van-sink", "optional property used as mandatory",
                k -> ((ObjectNode) toStep(k).get("parameters")).put("url", "{{url}}"),
                "used as {{url}} rather than {{?url}}"),
            broken("van-sink", "required property not declared", k -> ((ArrayNode) definition(k).get("required")).add("host"),
                "required property 'host' is not declared"),
            broken("van-sink", "without camel:van", k -> ((ArrayNode) k.path("spec").path("dependencies")).remove(0),
                "do not include camel:van"),
            broken("van-sink", "file name of another Kamelet", k -> ((ObjectNode) k.get("metadata")).put("name", "van-out"),
                "does not match metadata.name 'van-out'"),
            broken("van-source", "source that does not end in kamelet:sink",
                k -> ((ArrayNode) k.path("spec").path("template").path("from").path("steps")).removeAll(),
                "does not end in to: kamelet:sink"),
            broken("van-sink", "sink that does not start from kamelet:source",
                k -> ((ObjectNode) k.path("spec").path("template").path("from")).put("uri", "timer:tick"),
                "does not start from kamelet:source"),
            broken("van-sink", "icon that is not a data URI",
                k -> ((ObjectNode) k.path("metadata").path("annotations"))
                    .put("camel.apache.org/kamelet.icon", "https://example.com/icon.svg"),
                "is not a data:image/svg+xml;base64, data URI"));
    }

    private static Arguments broken(String kamelet, String what, Consumer<ObjectNode> breakIt, String expected) {
        return Arguments.of(kamelet, what, breakIt, expected);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("brokenCopies")
    void aBrokenCopyFails(String kamelet, String what, Consumer<ObjectNode> breakIt, String expected) throws Exception {
        String file = kamelet + ".kamelet.yaml";
        ObjectNode copy = (ObjectNode) kamelets().get(file).deepCopy();
        assertThat(KameletRules.violations(file, copy)).as("the original").isEmpty();
        breakIt.accept(copy);
        assertThat(KameletRules.violations(file, copy)).anySatisfy(v -> assertThat(v).startsWith(file + ": ")
            .contains(expected));
    }

    private static ObjectNode definition(ObjectNode k) {
        return (ObjectNode) k.path("spec").path("definition");
    }

    private static ObjectNode properties(ObjectNode k) {
        return (ObjectNode) definition(k).path("properties");
    }

    private static ObjectNode labels(ObjectNode k) {
        return (ObjectNode) k.path("metadata").path("labels");
    }

    /** The first step's {@code to:} of a sink. */
    private static ObjectNode toStep(ObjectNode k) {
        return (ObjectNode) k.path("spec").path("template").path("from").path("steps").get(0).get("to");
    }
}
