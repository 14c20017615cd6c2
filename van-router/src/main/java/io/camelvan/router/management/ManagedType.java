package io.camelvan.router.management;

import java.util.List;
import java.util.Map;

/**
 * One kind of entity the management endpoint manages (tcpListener, link, address, ...). Each
 * operation returns the entity's attributes as a map, or throws {@link ManagementException}.
 * Called on the endpoint's thread, one request at a time.
 */
public interface ManagedType {

    default Map<String, Object> create(String name, Map<String, Object> attributes) {
        throw new ManagementException(405, "entities of this type cannot be created");
    }

    default Map<String, Object> read(String name) {
        return query().stream().filter(e -> name.equals(e.get("name"))).findFirst()
            .orElseThrow(() -> ManagementException.notFound("'" + name + "'"));
    }

    default Map<String, Object> update(String name, Map<String, Object> attributes) {
        throw new ManagementException(405, "entities of this type cannot be updated");
    }

    default void delete(String name) {
        throw new ManagementException(405, "entities of this type cannot be deleted");
    }

    /** Every entity of the type. */
    List<Map<String, Object>> query();

    /** The entities a QUERY asks for: every one, unless the type reads options from the request's body. */
    default List<Map<String, Object>> query(Map<String, Object> request) {
        return query();
    }
}
