package io.camelvan.router.config;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The line of every key and value of a YAML document, by JSON pointer ({@code /listeners/0/port}),
 * so that checks made after binding can still point the operator at the right line.
 */
final class YamlLines {

    private final Map<String, Integer> lines = new HashMap<>();

    YamlLines(String yaml) {
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token.isScalarValue() || token.isStructStart()) {
                    String pointer = parser.getParsingContext().pathAsPointer().toString();
                    if (token == JsonToken.FIELD_NAME) {
                        pointer = pointer.isEmpty() ? "/" + parser.currentName() : pointer;
                    }
                    lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException | RuntimeException e) {
            // syntax errors are reported by the binder with their own location
        }
    }

    /** The line of the key at {@code pointer}, or of its nearest parent that has one; 0 when unknown. */
    int lineOf(String pointer) {
        String p = pointer;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return 0;
    }
}
