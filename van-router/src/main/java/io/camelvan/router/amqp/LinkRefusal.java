package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.engine.Link;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a link the way AMQP asks: attach with the terminus we won't provide left null, then
 * close at once carrying the reason, so the client fails fast with a clear error instead of waiting.
 */
final class LinkRefusal {

    private static final Logger LOG = LoggerFactory.getLogger(LinkRefusal.class);

    private LinkRefusal() {
    }

    static void refuse(AmqpConnection connection, Link<?> link, ErrorCondition error) {
        LOG.info("[{}] refused link '{}' from {}: {} {}", connection.core().routerId(), link.getName(),
            connection.peer(), error.getCondition(), error.getDescription());
        connection.core().metrics().linksRefused.increment();
        if (link.isSender()) {
            link.setSource(null);
            link.setTarget(link.getRemoteTarget() instanceof org.apache.qpid.protonj2.types.messaging.Target t ? t : null);
        } else {
            link.setSource(link.getRemoteSource());
            link.setTarget((org.apache.qpid.protonj2.types.messaging.Target) null);
        }
        link.open();
        link.setCondition(error);
        link.close();
    }
}
