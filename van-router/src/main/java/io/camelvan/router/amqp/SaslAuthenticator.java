package io.camelvan.router.amqp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.engine.sasl.SaslOutcome;
import org.apache.qpid.protonj2.engine.sasl.SaslServerContext;
import org.apache.qpid.protonj2.engine.sasl.SaslServerListener;
import org.apache.qpid.protonj2.types.Symbol;
import org.apache.qpid.protonj2.types.security.SaslCode;
import org.apache.qpid.protonj2.types.transport.AMQPHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.SaslMechanism;
import io.camelvan.router.config.Secrets;
import io.camelvan.router.config.UserConfig;
import io.camelvan.router.core.RouterMetrics;
import io.camelvan.router.pki.Certificates;
import io.camelvan.router.pki.PeerCheckHandler;

/**
 * The SASL server side of one listener: ANONYMOUS, PLAIN against the configured users, and
 * EXTERNAL from the TLS client certificate. Protonj2 ships only client mechanisms, so the
 * server exchanges are answered here. Passwords are compared in constant time and never logged.
 */
public final class SaslAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticator.class);

    private final ListenerConfig listener;
    private final Map<String, byte[]> passwords = new HashMap<>();
    private final Symbol[] offered;
    private final RouterMetrics metrics;
    private final AuthFailureLimiter limiter;

    public SaslAuthenticator(ListenerConfig listener, List<UserConfig> users, RouterMetrics metrics,
            AuthFailureLimiter limiter) {
        this.listener = listener;
        this.metrics = metrics;
        this.limiter = limiter;
        users.forEach(u -> passwords.put(u.name(), Secrets.resolve(u.password()).getBytes(StandardCharsets.UTF_8)));
        this.offered = mechanisms().stream().map(m -> Symbol.valueOf(m.name())).toArray(Symbol[]::new);
    }

    /** The mechanisms this listener offers: configured, else sensible for its role. */
    List<SaslMechanism> mechanisms() {
        List<SaslMechanism> list = new ArrayList<>();
        if (listener.saslMechanisms() != null) {
            list.addAll(listener.saslMechanisms());
        } else if (listener.role() != ListenerRole.NORMAL) {
            list.add(SaslMechanism.EXTERNAL);
        } else {
            list.add(SaslMechanism.ANONYMOUS);
            if (!passwords.isEmpty()) {
                list.add(SaslMechanism.PLAIN);
            }
        }
        if (listener.authenticatePeer()) {
            list.remove(SaslMechanism.ANONYMOUS);
        }
        return list;
    }

    /** Whether a client may skip SASL altogether (an AMQP header straight away). */
    public boolean allowsNoSasl() {
        return mechanisms().contains(SaslMechanism.ANONYMOUS);
    }

    /** How accepted connections of this listener do SASL. */
    public AmqpConnection.SaslSetup serverSetup() {
        return (engine, connection) -> engine.saslDriver().server().setListener(serverListener(connection));
    }

    SaslServerListener serverListener(AmqpConnection connection) {
        return new SaslServerListener() {
            @Override
            public void handleSaslHeader(SaslServerContext context, AMQPHeader header) {
                context.sendMechanisms(offered);
            }

            @Override
            public void handleSaslInit(SaslServerContext context, Symbol mechanism, ProtonBuffer response) {
                try {
                    answer(context, mechanism, response);
                } finally {
                    if (response != null) {
                        response.close(); // a slice of the input: ours to release
                    }
                }
            }

            private void answer(SaslServerContext context, Symbol mechanism, ProtonBuffer response) {
                if (limiter.isBlocked(connection.channel().remoteAddress())) {
                    metrics.authFailures.increment();
                    context.sendOutcome(SaslOutcome.SASL_TEMP, null); // not checked: too many failures lately
                    connection.closeAfterFlush();
                    return;
                }
                String failure = authenticate(connection, mechanism, response);
                if (failure == null) {
                    context.sendOutcome(SaslOutcome.SASL_OK, null);
                } else {
                    metrics.authFailures.increment();
                    LOG.warn("SASL {} authentication failed for connection from {} on listener '{}': {}",
                        mechanism, connection.peer(), listener.name(), failure);
                    if (limiter.failed(connection.channel().remoteAddress())) {
                        LOG.warn("too many failed logins from {} on listener '{}': its logins are refused for {} s",
                            connection.peer(), listener.name(), AuthFailureLimiter.BLOCK_MS / 1000);
                    }
                    context.sendOutcome(SaslOutcome.SASL_AUTH, null);
                    connection.closeAfterFlush();
                }
            }

            @Override
            public void handleSaslResponse(SaslServerContext context, ProtonBuffer response) {
                context.sendOutcome(SaslOutcome.SASL_PERM, null);
                connection.closeAfterFlush();
            }
        };
    }

    /** @return null when authenticated, else why not (no secrets in it) */
    private String authenticate(AmqpConnection connection, Symbol mechanism, ProtonBuffer response) {
        SaslMechanism chosen;
        try {
            chosen = SaslMechanism.valueOf(mechanism.toString());
        } catch (IllegalArgumentException e) {
            return "mechanism not supported";
        }
        if (!mechanisms().contains(chosen)) {
            return "mechanism " + chosen + " is not offered on this listener";
        }
        switch (chosen) {
            case ANONYMOUS -> {
                connection.authenticated("anonymous");
                return null;
            }
            case PLAIN -> {
                return plain(connection, response);
            }
            default -> {
                return external(connection);
            }
        }
    }

    private String plain(AmqpConnection connection, ProtonBuffer response) {
        if (response == null) {
            return "no PLAIN response";
        }
        byte[] bytes = new byte[response.getReadableBytes()];
        response.readBytes(bytes, 0, bytes.length);
        int first = indexOf(bytes, 0);
        int second = first < 0 ? -1 : indexOf(bytes, first + 1);
        if (second < 0) {
            return "malformed PLAIN response";
        }
        String user = new String(bytes, first + 1, second - first - 1, StandardCharsets.UTF_8);
        byte[] given = Arrays.copyOfRange(bytes, second + 1, bytes.length);
        Arrays.fill(bytes, (byte) 0);
        byte[] expected = passwords.get(user);
        boolean ok = MessageDigest.isEqual(expected == null ? new byte[given.length + 1] : expected, given);
        Arrays.fill(given, (byte) 0);
        if (!ok) {
            return "wrong user name or password for user '" + user + "'";
        }
        connection.authenticated(user);
        return null;
    }

    /** The identity is the verified client certificate's common name (a router id or a linked site). */
    private String external(AmqpConnection connection) {
        X509Certificate peer = connection.channel().attr(PeerCheckHandler.PEER_CERTIFICATE).get();
        if (peer == null) {
            return "EXTERNAL needs a TLS connection with a verified client certificate";
        }
        connection.authenticated(Certificates.commonName(peer));
        return null;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
