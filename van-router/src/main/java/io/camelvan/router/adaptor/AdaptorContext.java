package io.camelvan.router.adaptor;

import io.camelvan.router.core.RouterCore;
import io.camelvan.router.management.FlowRecorder;
import io.camelvan.router.net.EventLoops;

/** What every adaptor of a router works with: the router's core, its threads, and where listeners report their flows. */
public record AdaptorContext(RouterCore core, EventLoops loops, FlowRecorder flows) {
}
