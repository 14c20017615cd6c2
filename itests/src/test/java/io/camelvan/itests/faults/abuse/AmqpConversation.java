package io.camelvan.itests.faults.abuse;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.types.Binary;
import org.apache.qpid.protonj2.types.Symbol;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.AmqpValue;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.apache.qpid.protonj2.types.security.SaslInit;
import org.apache.qpid.protonj2.types.transport.Attach;
import org.apache.qpid.protonj2.types.transport.Begin;
import org.apache.qpid.protonj2.types.transport.Close;
import org.apache.qpid.protonj2.types.transport.Detach;
import org.apache.qpid.protonj2.types.transport.Disposition;
import org.apache.qpid.protonj2.types.transport.End;
import org.apache.qpid.protonj2.types.transport.Flow;
import org.apache.qpid.protonj2.types.transport.Open;
import org.apache.qpid.protonj2.types.transport.Role;
import org.apache.qpid.protonj2.types.transport.Transfer;

/**
 * One client's side of an AMQP 1.0 conversation, built frame by frame the way a real client
 * speaks (SASL header and init, AMQP header, open, begin, attach, flow, transfers with messages,
 * disposition, detach, end, close), where every field may be made wild with probability
 * {@code chaos}: out-of-range handles, channels and delivery ids, tiny frame sizes, reserved
 * addresses, huge credit, strange types in a router's control messages. {@link AmqpFrameMutator}
 * then breaks the encoded frames themselves.
 */
final class AmqpConversation {

    static final byte[] SASL_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};
    static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
    /** Between the SASL exchange and the rest: the sender waits for the router's SASL outcome here. */
    static final byte[] AWAIT_SASL_OUTCOME = new byte[0];

    private static final String[] OPCODES = {"HELLO", "LSU", "MAU", "MAR", "LSR", "RA", "REACH", "NOPE"};
    private static final Encoder ENCODER = CodecFactory.getDefaultEncoder();
    private static final Encoder SASL_ENCODER = CodecFactory.getDefaultSaslEncoder();

    private final Random random;
    private final double chaos;
    private final boolean routerPeer;
    private final String peerId;
    private final List<byte[]> chunks = new ArrayList<>();

    /**
     * @param routerPeer speak as another router (SASL EXTERNAL, router properties in the open,
     *        control messages) rather than as a client
     */
    private AmqpConversation(Random random, double chaos, boolean routerPeer) {
        this.random = random;
        this.chaos = chaos;
        this.routerPeer = routerPeer;
        this.peerId = "fuzz-" + random.nextInt(1000);
    }

    /** The conversation's chunks: protocol headers, encoded frames and {@link #AWAIT_SASL_OUTCOME}. */
    static List<byte[]> generate(Random random, double chaos, boolean routerPeer) {
        AmqpConversation c = new AmqpConversation(random, chaos, routerPeer);
        c.build();
        return c.chunks;
    }

    private void build() {
        chunks.add(SASL_HEADER);
        chunks.add(frame(1, 0, new SaslInit().setMechanism(Symbol.valueOf(wild(routerPeer ? "EXTERNAL" : "ANONYMOUS",
            () -> pick("PLAIN", "EXTERNAL", "ANONYMOUS", "SCRAM-SHA-256", "", "x".repeat(300))))), null));
        chunks.add(AWAIT_SASL_OUTCOME);
        chunks.add(AMQP_HEADER);
        Map<Symbol, Object> properties = new HashMap<>();
        if (routerPeer) {
            properties.put(Symbol.valueOf("van-router-id"), wild(peerId, this::anyValue));
            properties.put(Symbol.valueOf("van-site"), wild("fuzz", this::anyValue));
            properties.put(Symbol.valueOf("van-instance"), wild((Object) random.nextLong(), this::anyValue));
            properties.put(Symbol.valueOf("van-mode"), wild("interior", () -> pick("edge", "interior", "hub", "")));
            properties.put(Symbol.valueOf("van-cost"), wild((Object) 1, this::anyValue));
        }
        chunks.add(frame(0, 0, new Open().setContainerId(wild(peerId, () -> "c".repeat(random.nextInt(5000))))
            .setMaxFrameSize(wild(65536L, () -> (long) pick(0, 1, 511, 512, 513, Integer.MAX_VALUE)))
            .setChannelMax(wild(65535, () -> random.nextInt(3)))
            .setIdleTimeout(wild(0L, () -> (long) pick(1, 10, 100_000)))
            .setProperties(properties), null));
        int channels = 1 + (wild(false, () -> true) ? random.nextInt(4) : 0);
        for (int ch = 0; ch < channels; ch++) {
            chunks.add(frame(0, wildChannel(ch), new Begin().setNextOutgoingId(wild(0L, () -> random.nextLong() & 0xffffffffL))
                .setIncomingWindow(wild(2048L, () -> (long) pick(0, 1, Integer.MAX_VALUE)))
                .setOutgoingWindow(wild(2048L, () -> (long) pick(0, 1, Integer.MAX_VALUE)))
                .setHandleMax(wild(1024L, () -> (long) pick(0, 1, 5))), null));
            if (wild(false, () -> true)) {
                chunks.add(frame(0, ch, new Begin().setRemoteChannel(random.nextInt(5)).setNextOutgoingId(0)
                    .setIncomingWindow(10).setOutgoingWindow(10), null));
            }
            links(ch);
            if (random.nextBoolean()) {
                chunks.add(frame(0, wildChannel(ch), new End(), null));
            }
        }
        if (random.nextBoolean()) {
            chunks.add(frame(0, 0, new Close(), null));
        }
    }

    private void links(int channel) {
        long deliveryId = 0;
        int links = 1 + random.nextInt(3);
        for (int handle = 0; handle < links; handle++) {
            boolean sender = random.nextBoolean() || routerPeer;
            String address = address();
            Attach attach = new Attach().setName(wild("link-" + handle, () -> random.nextBoolean() ? "" : "n".repeat(3000)))
                .setHandle(wildHandle(handle)).setRole(sender ? Role.SENDER : Role.RECEIVER)
                .setSource(new Source().setAddress(sender ? null : address).setDynamic(wild(false, () -> true)))
                .setTarget(new Target().setAddress(sender ? address : null))
                .setInitialDeliveryCount(wild(0L, () -> random.nextLong() & 0xffffffffL));
            chunks.add(frame(0, channel, attach, null));
            if (sender) {
                int transfers = 1 + random.nextInt(4);
                for (int t = 0; t < transfers; t++) {
                    boolean more = wild(false, () -> true);
                    chunks.add(frame(0, wildChannel(channel), new Transfer().setHandle(wildHandle(handle))
                        .setDeliveryId(wild(deliveryId, () -> random.nextLong() & 0xffffffffL))
                        .setDeliveryTag(new byte[] {(byte) t, (byte) handle})
                        .setMessageFormat(wild(0L, () -> random.nextInt() & 0xffffffffL))
                        .setSettled(random.nextBoolean()).setMore(more).setAborted(wild(false, () -> true)),
                        message(address)));
                    deliveryId++;
                }
            } else {
                chunks.add(frame(0, channel, new Flow().setHandle(wildHandle(handle)).setLinkCredit(wild(10L,
                    () -> (long) pick(0, 1, Integer.MAX_VALUE))).setDeliveryCount(0).setNextIncomingId(0)
                    .setIncomingWindow(wild(2048L, () -> 0L)).setNextOutgoingId(0).setOutgoingWindow(2048)
                    .setDrain(wild(false, () -> true)), null));
                chunks.add(frame(0, channel, new Disposition().setRole(Role.RECEIVER).setFirst(wild(0L, () -> 99L))
                    .setLast(wild(0L, () -> (long) Integer.MAX_VALUE)).setSettled(true).setState(Accepted.getInstance()), null));
            }
            if (random.nextBoolean()) {
                chunks.add(frame(0, channel, new Detach().setHandle(wildHandle(handle)).setClosed(random.nextBoolean()), null));
            }
        }
    }

    private String address() {
        if (routerPeer && random.nextInt(3) > 0) {
            return pick("_van/control/", "_van/data/", "_van/stream/") + peerId;
        }
        return wild(pick("fuzz.queue", "events.fuzz", "steady-other"), () -> pick("$management", "_van/x/temp/1", "",
            "_van/control/" + peerId, "a".repeat(70_000)));
    }

    /** A message: properties and an AMQP value body; for a router peer, a control message with wild fields. */
    private byte[] message(String address) {
        Object body = routerPeer ? controlBody() : wild((Object) "hello", this::anyValue);
        String subject = routerPeer ? pick(OPCODES) : null;
        byte[] encoded = encode(ENCODER, new Properties().setTo(address).setSubject(subject), new AmqpValue<>(body));
        return wild(encoded, () -> randomBytes(random.nextInt(200)));
    }

    private Map<String, Object> controlBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", wild(peerId, this::anyValue));
        body.put("instance", wild((Object) 1L, this::anyValue));
        body.put("seq", wild((Object) (long) random.nextInt(10), this::anyValue));
        body.put("links", wild((Object) Map.of("abuse-1", 1), this::anyValue));
        body.put("edges", wild((Object) List.of(), this::anyValue));
        body.put("seen", wild((Object) List.of("abuse-1"), this::anyValue));
        body.put(pick("add", "del", "exist"), wild((Object) List.of("fuzz.addr"), this::anyValue));
        body.put("ids", wild((Object) List.of("abuse-1", peerId), this::anyValue));
        body.put("entries", wild((Object) List.of(List.of("abuse-1", 1L, 1L, 1L)), this::anyValue));
        return body;
    }

    /** A value of some AMQP type, sometimes nested, sometimes large. */
    private Object anyValue() {
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> random.nextLong();
            case 2 -> -1;
            case 3 -> "s".repeat(random.nextInt(100));
            case 4 -> new Binary(randomBytes(random.nextInt(50)));
            case 5 -> List.of(random.nextInt(), "x", List.of());
            case 6 -> Map.of("k", random.nextInt(), "abuse-1", "not a number");
            case 7 -> java.util.Collections.nCopies(random.nextInt(5000), "fuzz");
            case 8 -> random.nextDouble();
            default -> Symbol.valueOf("sym");
        };
    }

    private long wildHandle(int handle) {
        return wild((long) handle, () -> pick(5L, 1023L, (long) Integer.MAX_VALUE, 0xffffffffL));
    }

    private int wildChannel(int channel) {
        return wild(channel, () -> pick(1, 7, 65535));
    }

    private byte[] frame(int type, int channel, Object performative, byte[] payload) {
        byte[] body = encode(type == 1 ? SASL_ENCODER : ENCODER, performative);
        int size = 8 + body.length + (payload == null ? 0 : payload.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(size >>> 24);
        out.write(size >>> 16 & 0xff);
        out.write(size >>> 8 & 0xff);
        out.write(size & 0xff);
        out.write(2);                // data offset: 2 words, no extended header
        out.write(type);
        out.write(channel >>> 8 & 0xff);
        out.write(channel & 0xff);
        out.writeBytes(body);
        if (payload != null) {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static byte[] encode(Encoder encoder, Object... values) {
        ProtonBuffer buffer = ProtonBufferAllocator.defaultAllocator().allocate(256);
        var state = encoder.newEncoderState();
        for (Object value : values) {
            encoder.writeObject(buffer, state, value);
        }
        byte[] bytes = new byte[buffer.getReadableBytes()];
        buffer.readBytes(bytes, 0, bytes.length);
        buffer.close();
        return bytes;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The valid value, or with probability {@code chaos} a wild one. */
    private <T> T wild(T valid, java.util.function.Supplier<T> wildOne) {
        return random.nextDouble() < chaos ? wildOne.get() : valid;
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
