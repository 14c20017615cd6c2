package io.camelvan.router.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** How a query verb prints what it got: a readable table, or the management reply's body as JSON or YAML for scripts. */
enum OutputFormat {
    TABLE, JSON, YAML;

    private static final ObjectMapper JSON_WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML_WRITER = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** Prints {@code body} as JSON or YAML; false for TABLE, which the verb prints itself. */
    boolean printData(PrintWriter out, Object body) {
        try {
            switch (this) {
                case JSON -> out.println(JSON_WRITER.writeValueAsString(body));
                case YAML -> out.print(YAML_WRITER.writeValueAsString(body));
                default -> {
                    return false;
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the reply as " + name().toLowerCase() + ": " + e.getOriginalMessage(), e);
        }
        out.flush();
        return true;
    }
}
