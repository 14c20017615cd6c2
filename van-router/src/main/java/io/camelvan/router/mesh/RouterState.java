package io.camelvan.router.mesh;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this router knows of another interior router: its links and costs, the edge routers
 * attached to it, and the addresses it has consumers for, each with the sequence number of the
 * update it came from. Touched only on the mesh's control thread.
 */
final class RouterState {

    final String id;
    long instance;
    /** The router's site, from its link state; null until its first LSU. */
    String site;
    long linkSeq = -1;
    Map<String, Integer> links = Map.of();
    List<String> edges = List.of();
    long mobileSeq = -1;
    final Set<String> addresses = new HashSet<>();
    /** When this router stopped being reachable from here, or 0 while it is. */
    long unreachableSince;

    RouterState(String id, long instance) {
        this.id = id;
        this.instance = instance;
    }

    /** Forgets everything a previous instance of the router said. */
    void restarted(long newInstance) {
        instance = newInstance;
        linkSeq = -1;
        links = Map.of();
        edges = List.of();
        mobileSeq = -1;
        addresses.clear();
    }
}
