package io.camelvan.router.adaptor;

import io.camelvan.router.core.RouterCore;
import io.camelvan.router.net.EventLoops;

/** What every adaptor of a router works with: the router's core and its threads. */
public record AdaptorContext(RouterCore core, EventLoops loops) {
}
