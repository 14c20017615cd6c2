package io.camelvan.router.mesh;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.netty.util.concurrent.EventExecutor;

/**
 * Updates of other routers (LSU, MAU) to pass on to this router's neighbours, held until the
 * control thread has worked through the messages queued before them. By then the other neighbours
 * that sent the same update are known, and are not sent it back; and a link state superseded by a
 * newer one of the same router is not sent at all (an LSU is a router's whole link state, so the
 * newest is all that counts; MAUs may be differences and all go out, in order). On an idle router
 * that is at once; while hundreds of routers come up together it saves many of the copies (in a
 * mesh of degree 4 a router gets each update up to 4 times and sent it on 3 times).
 *
 * <p>Not thread-safe: used on the control thread only.
 */
final class PendingFloods {

    /** One update: its kind, the router it is about, that router's instance and the update's number. */
    private record Key(String opcode, String origin, long instance, long seq) {

        static Key of(ControlMessage m) {
            return new Key(m.opcode(), m.get("id"), m.getLong("instance"), m.getLong("seq"));
        }
    }

    private record Pending(ControlMessage message, Set<String> holders) {
    }

    private final EventExecutor control;
    /** Sends an update to every neighbour up but those that hold it already. */
    private final BiConsumer<ControlMessage, Set<String>> flood;
    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    private boolean scheduled;

    PendingFloods(EventExecutor control, BiConsumer<ControlMessage, Set<String>> flood) {
        this.control = control;
        this.flood = flood;
    }

    /**
     * An update new here, from neighbour {@code from}: to be passed on.
     *
     * @param wholeState the update replaces everything before it (an LSU), so older ones of the
     *                   same router still waiting need not go out
     */
    void add(ControlMessage m, String from, boolean wholeState) {
        Key key = Key.of(m);
        if (wholeState) {
            pending.keySet().removeIf(k -> k.opcode.equals(key.opcode) && k.origin.equals(key.origin));
        }
        Set<String> holders = new HashSet<>();
        holders.add(key.origin);
        holders.add(from);
        pending.put(key, new Pending(m, holders));
        if (!scheduled) {
            scheduled = true;
            control.execute(this::flush);
        }
    }

    /** Neighbour {@code from} sent an update this router already had: it need not be sent it. */
    void alsoHeldBy(ControlMessage m, String from) {
        Pending p = pending.get(Key.of(m));
        if (p != null) {
            p.holders.add(from);
        }
    }

    private void flush() {
        scheduled = false;
        pending.values().forEach(p -> flood.accept(p.message, p.holders));
        pending.clear();
    }
}
