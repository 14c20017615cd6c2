package io.camelvan.camel;

import org.apache.camel.ResolveEndpointFailedException;

/**
 * The part of a {@code van:} URI after the scheme: a plain address ({@code van:orders}), an HTTP routing key with an
 * optional path ({@code van:http:orders/api/v1}) or a TCP routing key ({@code van:tcp:db}).
 *
 * @param kind what travels: messages, HTTP requests or TCP flows
 * @param key  the address or routing key
 * @param path for HTTP, the path below the key, starting with {@code /}; empty otherwise
 */
public record VanAddress(Kind kind, String key, String path) {

    /** What an endpoint carries. */
    public enum Kind {
        MESSAGE, HTTP, TCP
    }

    /** Parses the remaining part of a URI; {@code uri} is only for the error message. */
    public static VanAddress parse(String uri, String remaining) {
        String rest = remaining == null ? "" : remaining;
        while (rest.startsWith("/")) {
            // van://orders is accepted like van:orders
            rest = rest.substring(1);
        }
        if (rest.startsWith("http:")) {
            String keyAndPath = rest.substring("http:".length());
            int slash = keyAndPath.indexOf('/');
            String key = slash < 0 ? keyAndPath : keyAndPath.substring(0, slash);
            String path = slash < 0 ? "" : keyAndPath.substring(slash);
            return new VanAddress(Kind.HTTP, checkedKey(uri, key, "van:http:KEY[/path]"), path);
        }
        if (rest.startsWith("tcp:")) {
            String key = rest.substring("tcp:".length());
            if (key.contains("/")) {
                throw new ResolveEndpointFailedException(uri, "a TCP routing key has no path: use van:tcp:KEY");
            }
            return new VanAddress(Kind.TCP, checkedKey(uri, key, "van:tcp:KEY"), "");
        }
        return new VanAddress(Kind.MESSAGE, checkedKey(uri, rest, "van:ADDRESS"), "");
    }

    private static String checkedKey(String uri, String key, String syntax) {
        if (key.isBlank()) {
            throw new ResolveEndpointFailedException(uri, "the address is missing: use " + syntax);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new ResolveEndpointFailedException(uri, "the address '" + key
                    + "' has a blank or control character at index " + i);
            }
        }
        return key;
    }
}
