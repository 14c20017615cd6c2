package io.camelvan.router.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The small YAML files of the PKI (tokens, link files, grants): PEM text as literal blocks, clear errors. */
final class YamlFiles {

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private YamlFiles() {
    }

    /**
     * Reads a file into {@code type}.
     *
     * @param what names the kind of file in errors: "token file", "link file"
     * @param kind the value the file's {@code kind} key must have, checked first so that handing
     *             one kind of file for another is reported as such rather than as unknown keys
     */
    static <T> T read(Path file, Class<T> type, String what, String kind) {
        return parse(Pem.readFile(file, what), file.toString(), type, what, kind);
    }

    /**
     * Reads the text of a file into {@code type}, as {@link #read} does.
     *
     * @param name where the text comes from, in errors: the file, or e.g. "from https://west:55671/grant"
     */
    static <T> T parse(String text, String name, Class<T> type, String what, String kind) {
        if (text.isBlank()) {
            throw new PkiException(what + " " + name + " is empty");
        }
        try {
            JsonNode found = MAPPER.readTree(text).path("kind");
            if (!kind.equals(found.asText())) {
                throw new PkiException(name + " is not a " + what + " (kind: " + (found.isMissingNode() ? "none" : found.asText())
                        + ", expected " + kind + ")");
            }
            T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw new PkiException(what + " " + name + " is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new PkiException(what + " " + name + lineOfKey(text, e.getPropertyName(), e.getLocation())
                    + ": unknown key '" + e.getPropertyName() + "'", e);
        } catch (JsonProcessingException e) {
            throw new PkiException(what + " " + name + at(e.getLocation()) + ": malformed: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code value} after a comment header (each line prefixed with "# "), atomically. */
    static void write(Path file, Object value, String header, boolean ownerOnly) {
        AtomicFiles.write(file, format(value, header, file.toString()).getBytes(StandardCharsets.UTF_8), ownerOnly);
    }

    /** {@code value} as YAML text after a comment header (each line prefixed with "# "); {@code name} is for errors. */
    static String format(Object value, String header, String name) {
        StringBuilder text = new StringBuilder();
        header.lines().forEach(line -> text.append("# ").append(line).append('\n'));
        try {
            return text.append(MAPPER.writeValueAsString(value)).toString();
        } catch (JsonProcessingException e) {
            throw new PkiException("cannot write " + name + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A missing field of a file, named as the operator sees it. */
    static String require(String value, String key, Path file, String what) {
        return require(value, key, file.toString(), what);
    }

    /** A missing field of a text read from {@code name} (a file, or where it was received from). */
    static String require(String value, String key, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new PkiException(what + " " + name + ": missing '" + key + "'");
        }
        return value;
    }

    /** A missing number of a file, named as the operator sees it. */
    static int require(Integer value, String key, Path file, String what) {
        return require(value, key, file.toString(), what);
    }

    /** A missing number of a text read from {@code name}. */
    static int require(Integer value, String key, String name, String what) {
        if (value == null) {
            throw new PkiException(what + " " + name + ": missing '" + key + "'");
        }
        return value;
    }

    /** The parser reports a position past the key (YAML reads ahead), so look for the key itself. */
    private static String lineOfKey(String text, String key, JsonLocation fallback) {
        Pattern keyLine = Pattern.compile("^[\\s-]*\"?" + Pattern.quote(key) + "\"?\\s*:");
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (keyLine.matcher(lines.get(i)).find()) {
                return " line " + (i + 1);
            }
        }
        return at(fallback);
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }
}
