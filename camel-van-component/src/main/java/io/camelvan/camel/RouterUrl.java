package io.camelvan.camel;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where an external router is: {@code amqp://host[:port]} (default port 5672) or {@code amqps://host[:port]}
 * (TLS, default port 5671).
 */
record RouterUrl(String host, int port, boolean tls) {

    static RouterUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the router url '" + url + "' is malformed: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (!"amqp".equals(scheme) && !"amqps".equals(scheme)) {
            throw new IllegalArgumentException("the router url '" + url
                + "' must start with amqp:// or amqps://, e.g. amqp://127.0.0.1:5672");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the router url '" + url + "' has no host, e.g. amqp://127.0.0.1:5672");
        }
        boolean tls = "amqps".equals(scheme);
        return new RouterUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : tls ? 5671 : 5672, tls);
    }

    @Override
    public String toString() {
        return (tls ? "amqps://" : "amqp://") + host + ":" + port;
    }
}
