package io.camelvan.router.management;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A kind of entity whose QUERY is answered by asking other routers first (the network, its
 * flows): the reply is sent when the returned stage completes. Called on the endpoint's thread.
 */
public interface GatheredType {

    /**
     * @param request the request's body: options such as {@code limit}
     * @return the reply's body, a map or a list
     */
    CompletionStage<Object> query(Map<String, Object> request);
}
