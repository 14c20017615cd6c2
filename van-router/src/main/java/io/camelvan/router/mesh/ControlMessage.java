package io.camelvan.router.mesh;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.types.messaging.Properties;

import io.camelvan.router.amqp.AmqpMessage;

/**
 * One message of the routing protocol, as it travels on the {@code _van/control} links: the
 * opcode in the subject, the fields in a map body. See docs/wire-protocol.md.
 *
 * @param opcode {@link #HELLO}, {@link #LSU}, {@link #MAU}, {@link #MAR}, {@link #REACH}
 */
final class ControlMessage {

    /** Neighbour liveness: {id, instance, seen: [router ids heard from on this connection's side]} */
    static final String HELLO = "HELLO";
    /** Link state of one router, flooded: {id, instance, seq, links: {router: cost}, edges: [ids]} */
    static final String LSU = "LSU";
    /** Mobile addresses of one router, flooded: {id, instance, seq, add: [], del: []} or {..., exist: []} */
    static final String MAU = "MAU";
    /** A request for the whole address sets of routers {ids}, after a gap or an advertisement */
    static final String MAR = "MAR";
    /** A request for the link state of routers {ids} */
    static final String LSR = "LSR";
    /** What a router knows, in brief, to a neighbour that came up: {id, entries: [[router, instance, linkSeq, mobileSeq]]} */
    static final String RA = "RA";
    /** Interior to edge: the addresses reachable in the network, {add: [], del: []} or {exist: []} */
    static final String REACH = "REACH";

    private final String opcode;
    private final Map<String, Object> body;
    /** Encoded once, however many links a flooded message goes out on. */
    private volatile byte[] encoded;

    ControlMessage(String opcode, Map<String, Object> body) {
        this.opcode = opcode;
        this.body = body;
    }

    String opcode() {
        return opcode;
    }

    Map<String, Object> body() {
        return body;
    }

    @SuppressWarnings("unchecked")
    <T> T get(String key) {
        return (T) body.get(key);
    }

    long getLong(String key) {
        Object v = body.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    ProtonBuffer encode(ProtonBufferAllocator allocator) {
        byte[] bytes = encoded;
        if (bytes == null) {
            ProtonBuffer buffer = new AmqpMessage(new Properties().setSubject(opcode), null, body).encode();
            bytes = new byte[buffer.getReadableBytes()];
            buffer.readBytes(bytes, 0, bytes.length);
            encoded = bytes;
        }
        return allocator.copy(bytes);
    }

    /** @throws DecodeException when the bytes are not a control message */
    static ControlMessage decode(ProtonBuffer buffer) {
        AmqpMessage message = AmqpMessage.decode(buffer);
        String opcode = message.properties().getSubject();
        if (opcode == null || !(message.body() instanceof Map<?, ?> m)) {
            throw new DecodeException("a control message needs a subject and a map body");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        m.forEach((k, v) -> body.put(String.valueOf(k), v));
        return new ControlMessage(opcode, body);
    }
}
