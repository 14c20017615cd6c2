package io.camelvan.examples.hybridorders;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON bodies of the demo's HTTP requests and responses: flat objects, read into and written from maps. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses a JSON object; anything else is a 400. */
    static Map<String, Object> object(String text) {
        try {
            return MAPPER.readValue(text == null ? "" : text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new HttpStatusException(400, "the body is not a JSON object: " + e.getOriginalMessage());
        }
    }

    /** A map of the given name, value pairs, in that order (so that the JSON reads in that order). */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    static String write(Map<String, ?> object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + object, e);
        }
    }

    /** A required string field made of letters, digits or '-' (it goes into a line of the legacy protocol). */
    static String item(Map<String, ?> object) {
        Object item = object.get("item");
        if (!(item instanceof String s) || !s.matches("[A-Za-z0-9-]{1,40}")) {
            throw new HttpStatusException(400, "'item' must be a name of letters, digits or '-': " + item);
        }
        return s;
    }

    /** A required whole number from 1 to 1000. */
    static int quantity(Map<String, ?> object) {
        Object quantity = object.get("quantity");
        if (!(quantity instanceof Integer q) || q < 1 || q > 1000) {
            throw new HttpStatusException(400, "'quantity' must be a whole number from 1 to 1000: " + quantity);
        }
        return q;
    }
}
