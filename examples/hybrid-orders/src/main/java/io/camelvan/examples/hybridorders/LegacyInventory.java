package io.camelvan.examples.hybridorders;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The on-prem inventory system, as old as it looks: a line protocol over TCP that nobody wants to change.
 *
 * <pre>
 * STOCK widget        -&gt; STOCK widget 10
 * RESERVE widget 2    -&gt; OK widget 8        (reserved; 8 left)
 * RESERVE gizmo 9     -&gt; SHORT gizmo 3      (not reserved; only 3 left)
 * anything else       -&gt; ERROR unknown command: ...
 * </pre>
 */
final class LegacyInventory {

    private final Map<String, Integer> stock = new LinkedHashMap<>();

    LegacyInventory(Map<String, Integer> initialStock) {
        stock.putAll(initialStock);
    }

    /** What the demo's warehouse holds at start; the orders the demo sends are chosen from these items. */
    static LegacyInventory demoStock() {
        return new LegacyInventory(Map.of("widget", 10, "gadget", 6, "gizmo", 3));
    }

    /** Answers one request line. Called from several TCP flows at once, hence synchronized. */
    synchronized String answer(String line) {
        String[] words = line.trim().split("\\s+");
        if (words.length == 2 && words[0].equals("STOCK")) {
            return "STOCK " + words[1] + " " + stock.getOrDefault(words[1], 0);
        }
        if (words.length == 3 && words[0].equals("RESERVE") && words[2].matches("[1-9][0-9]{0,5}")) {
            String item = words[1];
            int wanted = Integer.parseInt(words[2]);
            int left = stock.getOrDefault(item, 0);
            if (wanted > left) {
                return "SHORT " + item + " " + left;
            }
            stock.put(item, left - wanted);
            return "OK " + item + " " + (left - wanted);
        }
        return "ERROR unknown command: " + line.trim();
    }
}
