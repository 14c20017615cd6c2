package io.camelvan.kamelets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The apache/camel-kamelets rules, as this project applies them to its Kamelets. {@link #violations} lists every rule
 * a Kamelet breaks, each as a sentence naming the file; an empty list means it passes.
 */
final class KameletRules {

    /** Kamelet type label → what the title and the name end with. */
    private static final Map<String, String> TYPES = Map.of("source", "Source", "sink", "Sink", "action", "Action");
    private static final Set<String> PROPERTY_TYPES = Set.of("string", "integer", "number", "boolean", "object", "array");
    /** Property names that hold secrets: they must be {@code format: password}. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|passphrase)$");
    /** {@code {{name}}}, {@code {{?name}}} or {@code {{name:default}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\?)?([^}:?]+)(:[^}]*)?}}");
    private static final String ICON_PREFIX = "data:image/svg+xml;base64,";

    private KameletRules() {
    }

    /** What the Kamelet read from {@code fileName} breaks; empty when it follows every rule. */
    static List<String> violations(String fileName, JsonNode kamelet) {
        List<String> v = new ArrayList<>();
        Checker c = new Checker(fileName, v);
        c.check("camel.apache.org/v1".equals(kamelet.path("apiVersion").asText()), "apiVersion is not camel.apache.org/v1");
        c.check("Kamelet".equals(kamelet.path("kind").asText()), "kind is not Kamelet");
        String name = kamelet.path("metadata").path("name").asText();
        c.check(fileName.equals(name + ".kamelet.yaml"), "the file name does not match metadata.name '" + name + "'");

        String type = kamelet.path("metadata").path("labels").path("camel.apache.org/kamelet.type").asText();
        String suffix = TYPES.get(type);
        c.check(suffix != null, "label camel.apache.org/kamelet.type is '" + type + "', not source, sink or action");
        c.check(suffix == null || name.endsWith("-" + type), "the name does not end with -" + type);
        checkIcon(c, kamelet.path("metadata").path("annotations").path("camel.apache.org/kamelet.icon").asText());

        JsonNode definition = kamelet.path("spec").path("definition");
        String title = definition.path("title").asText();
        c.check(!title.isBlank(), "spec.definition has no title");
        c.check(suffix == null || title.endsWith(" " + suffix), "the title '" + title + "' does not end with " + suffix);
        c.check(!definition.path("description").asText().isBlank(), "spec.definition has no description");
        c.check("object".equals(definition.path("type").asText()), "spec.definition.type is not object");

        JsonNode properties = definition.path("properties");
        Set<String> declared = new LinkedHashSet<>();
        properties.fieldNames().forEachRemaining(declared::add);
        for (String p : declared) {
            checkProperty(c, p, properties.get(p));
        }
        Set<String> required = new LinkedHashSet<>();
        definition.path("required").forEach(r -> required.add(r.asText()));
        for (String r : required) {
            c.check(declared.contains(r), "required property '" + r + "' is not declared");
        }

        List<String> dependencies = new ArrayList<>();
        kamelet.path("spec").path("dependencies").forEach(d -> dependencies.add(d.asText()));
        c.check(dependencies.contains("camel:van"), "the dependencies do not include camel:van");
        c.check(dependencies.contains("camel:kamelet"), "the dependencies do not include camel:kamelet");

        JsonNode template = kamelet.path("spec").path("template");
        c.check(template.has("from"), "spec.template has no from");
        if (suffix != null && template.has("from")) {
            checkShape(c, type, template.get("from"));
        }
        checkPlaceholders(c, template, declared, required, properties);
        return v;
    }

    private static void checkIcon(Checker c, String icon) {
        if (!icon.startsWith(ICON_PREFIX)) {
            c.fail("annotation camel.apache.org/kamelet.icon is not a " + ICON_PREFIX + " data URI");
            return;
        }
        try {
            String svg = new String(Base64.getDecoder().decode(icon.substring(ICON_PREFIX.length())),
                StandardCharsets.UTF_8);
            c.check(svg.contains("<svg"), "the icon does not decode to an SVG");
        } catch (IllegalArgumentException e) {
            c.fail("the icon is not valid base64: " + e.getMessage());
        }
    }

    private static void checkProperty(Checker c, String name, JsonNode p) {
        String type = p.path("type").asText();
        c.check(PROPERTY_TYPES.contains(type), "property '" + name + "' has type '" + type + "', not a JSON schema type");
        c.check(!p.path("title").asText().isBlank(), "property '" + name + "' has no title");
        c.check(!p.path("description").asText().isBlank(), "property '" + name + "' has no description");
        if (SECRET_NAME.matcher(name).matches()) {
            c.check("password".equals(p.path("format").asText()), "secret property '" + name + "' is not format: password");
        }
        if (p.has("enum") && p.has("default")) {
            boolean listed = false;
            for (JsonNode e : p.get("enum")) {
                listed |= e.asText().equals(p.get("default").asText());
            }
            c.check(listed, "property '" + name + "' has a default that is not one of its enum values");
        }
    }

    /** Sources start at a van: endpoint and end in kamelet:sink; sinks and actions start from kamelet:source. */
    private static void checkShape(Checker c, String type, JsonNode from) {
        String uri = from.path("uri").asText();
        JsonNode steps = from.path("steps");
        if (type.equals("source")) {
            c.check(uri.startsWith("van:"), "a source starts from a van: endpoint, not '" + uri + "'");
            JsonNode last = steps.size() == 0 ? null : steps.get(steps.size() - 1);
            c.check(last != null && "kamelet:sink".equals(toUri(last)), "a source does not end in to: kamelet:sink");
        } else {
            c.check("kamelet:source".equals(uri), "a " + type + " does not start from kamelet:source");
            boolean usesVan = false;
            for (JsonNode step : steps) {
                usesVan |= toUri(step).startsWith("van:");
            }
            c.check(usesVan, "a " + type + " has no to: step to a van: endpoint");
        }
    }

    private static String toUri(JsonNode step) {
        JsonNode to = step.path("to");
        return to.isTextual() ? to.asText() : to.path("uri").asText();
    }

    /**
     * Every placeholder is declared, every property is used, and a property that is neither required nor has a
     * default is only used as an optional placeholder ({@code {{?name}}}), so that leaving it out works.
     */
    private static void checkPlaceholders(Checker c, JsonNode template, Set<String> declared, Set<String> required,
        JsonNode properties) {
        Set<String> used = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        collectTexts(template, texts);
        for (String text : texts) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                String name = m.group(2);
                boolean optional = m.group(1) != null;
                used.add(name);
                if (!declared.contains(name)) {
                    c.fail("placeholder {{" + (optional ? "?" : "") + name + "}} is not a declared property");
                } else if (!optional && !required.contains(name) && !properties.get(name).has("default")) {
                    c.fail("property '" + name + "' is optional without a default, but used as {{" + name
                        + "}} rather than {{?" + name + "}}");
                }
            }
        }
        for (String p : declared) {
            c.check(used.contains(p), "property '" + p + "' is declared but not used in the template");
        }
    }

    private static void collectTexts(JsonNode node, List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.asText());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                texts.add(e.getKey());
                collectTexts(e.getValue(), texts);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectTexts(n, texts));
        }
    }

    private record Checker(String file, List<String> violations) {
        void check(boolean ok, String what) {
            if (!ok) {
                fail(what);
            }
        }

        void fail(String what) {
            violations.add(file + ": " + what);
        }
    }
}
