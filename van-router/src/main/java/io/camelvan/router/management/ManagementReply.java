package io.camelvan.router.management;

import java.util.List;
import java.util.Map;

/**
 * The answer to one management request: a status code as in HTTP (200, 201, 204; 400, 404, 405,
 * 409; 500, 503, 504), its text, and the entity (a map), the entities (a list of maps) or nothing.
 */
public record ManagementReply(int status, String description, Object body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as a list of entities (empty when it is not a list). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> entities() {
        return body instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** The body as one entity (empty when it is not a map). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> entity() {
        return body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
