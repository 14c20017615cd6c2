package io.camelvan.router.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * Reads and checks a site YAML file. Every problem is reported as {@code file:line: key: reason};
 * nothing half-valid is ever returned.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {
    }

    /** The mapper used for the site YAML, also for writing it back. */
    public static ObjectMapper yaml() {
        return YAML;
    }

    public static SiteConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file);
    }

    /** Parses YAML text; {@code file} names the source in messages and anchors relative paths. */
    public static SiteConfig parse(String text, Path file) {
        String name = file == null ? "<config>" : file.toString();
        SiteConfig config;
        try {
            config = YAML.readValue(text, SiteConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(name, text, e), e);
        }
        if (config == null) {
            throw new ConfigException(name + ": the file is empty");
        }
        config = config.withFile(file);
        List<ConfigValidator.Problem> problems = new ConfigValidator(config).problems();
        if (!problems.isEmpty()) {
            YamlLines lines = new YamlLines(text);
            throw new ConfigException(problems.stream()
                .map(p -> name + ":" + lines.lineOf(p.pointer()) + ": " + p.key() + ": " + p.reason())
                .collect(Collectors.joining("\n")));
        }
        return config;
    }

    private static String describe(String file, String text, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (e instanceof StreamReadException || e.getCause() instanceof StreamReadException) {
            StreamReadException syntax = e instanceof StreamReadException r ? r : (StreamReadException) e.getCause();
            JsonLocation at = syntax.getLocation() != null ? syntax.getLocation() : loc;
            String msg = syntax.getOriginalMessage().lines().findFirst().orElse("");
            return file + (at != null && at.getLineNr() > 0 ? ":" + at.getLineNr() : "") + ": not valid YAML: " + msg;
        }
        String where = file + ":" + (e instanceof JsonMappingException m && !m.getPath().isEmpty()
            ? new YamlLines(text).lineOf(pointer(m.getPath())) : loc != null ? loc.getLineNr() : 0);
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = keyPath(u.getPath().subList(0, u.getPath().size() - 1));
            return where + ": unknown key '" + u.getPropertyName() + "'"
                + (parent.isEmpty() ? "" : " under '" + parent + "'")
                + " (known: " + u.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return where + ": " + keyPath(m.getPath()) + ": " + reason(m);
        }
        return where + ": " + e.getOriginalMessage();
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }

    /** The innermost message: our own IllegalArgumentExceptions say exactly what is wrong. */
    private static String reason(JsonMappingException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf("\n");
        msg = cut > 0 ? msg.substring(0, cut) : msg;
        return msg.replaceAll("\\(class [^)]*\\)", "").replaceAll("`[a-z.]+\\.([A-Za-z]+)`", "$1").trim();
    }

    static String keyPath(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
