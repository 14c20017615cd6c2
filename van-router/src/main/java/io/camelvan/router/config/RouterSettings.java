package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code router:} section.
 *
 * @param id unique in the network; defaults to the site name
 * @param mode interior (default) or edge
 * @param workerThreads event-loop threads; defaults to the number of cores
 * @param linkCapacity credit window given to each link that sends to the router (default 250)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouterSettings(String id, RouterMode mode, Integer workerThreads, Integer linkCapacity) {

    public static final int DEFAULT_LINK_CAPACITY = 250;

    public RouterSettings {
        mode = mode == null ? RouterMode.INTERIOR : mode;
        linkCapacity = linkCapacity == null ? DEFAULT_LINK_CAPACITY : linkCapacity;
    }

    public int threads() {
        return workerThreads != null ? workerThreads : Runtime.getRuntime().availableProcessors();
    }
}
