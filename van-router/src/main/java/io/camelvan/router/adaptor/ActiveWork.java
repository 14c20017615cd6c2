package io.camelvan.router.adaptor;

/** Something an adaptor has under way (a flow, a request) that ends at once when the adaptor closes. */
public interface ActiveWork {

    /** Ends it now, from any thread: sockets are reset and the other side hears of an abort. */
    void abort();
}
