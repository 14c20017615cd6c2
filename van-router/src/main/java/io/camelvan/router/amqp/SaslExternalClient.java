package io.camelvan.router.amqp;

import java.security.Principal;
import java.util.Set;

import org.apache.qpid.protonj2.engine.sasl.client.SaslAuthenticator;
import org.apache.qpid.protonj2.engine.sasl.client.SaslCredentialsProvider;
import org.apache.qpid.protonj2.engine.sasl.client.SaslMechanismSelector;

/** SASL EXTERNAL as a client, for links to other routers: the TLS client certificate is the identity. */
public final class SaslExternalClient {

    private SaslExternalClient() {
    }

    /** @param subject our certificate's subject */
    public static AmqpConnection.SaslSetup setup(Principal subject) {
        SaslCredentialsProvider credentials = new SaslCredentialsProvider() {
            @Override
            public String vhost() {
                return null;
            }

            @Override
            public String username() {
                return null;
            }

            @Override
            public String password() {
                return null;
            }

            @Override
            public Principal localPrincipal() {
                return subject;
            }
        };
        return (engine, connection) -> engine.saslDriver().client().setListener(
            new SaslAuthenticator(new SaslMechanismSelector(Set.of("EXTERNAL")), credentials));
    }
}
