package io.camelvan.router.config;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code policy:} of a listener: the addresses its connections may send to and receive from.
 * A pattern is an address, or a prefix followed by {@code *} ({@code events.*}); {@code *} alone
 * is any address. An absent list allows any address. Replies need no rule: a client may always
 * receive from its own temporary address and send to a temporary (reply) address.
 *
 * @param send patterns of addresses that may be sent to
 * @param receive patterns of addresses that may be received from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddressPolicy(List<String> send, List<String> receive) {

    public static final AddressPolicy ANY = new AddressPolicy(null, null);

    public AddressPolicy {
        send = send == null ? null : List.copyOf(send);
        receive = receive == null ? null : List.copyOf(receive);
    }

    public boolean maySend(String address) {
        return matches(send, address);
    }

    public boolean mayReceive(String address) {
        return matches(receive, address);
    }

    @JsonIgnore
    public boolean isOpen() {
        return send == null && receive == null;
    }

    private static boolean matches(List<String> patterns, String address) {
        if (patterns == null) {
            return true;
        }
        for (String p : patterns) {
            if (p.endsWith("*") ? address.startsWith(p.substring(0, p.length() - 1)) : address.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
